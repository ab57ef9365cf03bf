import { type PolicyStoreFixture, policyStoreConformance } from '../policy-store-conformance.js';
import { freshSchema } from './postgres-fixtures.js';

policyStoreConformance('postgres', async (): Promise<PolicyStoreFixture> => {
  const schema = await freshSchema();
  // The suite's registry hears its changes through the schema's own NOTIFY channel; the others need not listen.
  const open = () => schema.open({ changeFeed: false });
  return { registry: await schema.open(), reopen: open, cleanup: schema.cleanup };
});
