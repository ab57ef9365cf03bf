import { provisioningClaimStoreConformance } from '../provisioning-claim-store-conformance.js';
import {
  type ProvisioningFixture,
  provisioningTemplateStoreConformance,
} from '../provisioning-template-store-conformance.js';
import { freshSchema } from './postgres-fixtures.js';

/** A fresh schema of its own; `reopen` opens another registry (its own pool) on it. */
async function openFixture(): Promise<ProvisioningFixture> {
  const schema = await freshSchema();
  const open = () => schema.open({ changeFeed: false });
  return { registry: await open(), reopen: open, cleanup: schema.cleanup };
}

provisioningTemplateStoreConformance('postgres', openFixture);
provisioningClaimStoreConformance('postgres', openFixture);
