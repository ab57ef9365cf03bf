import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Registry } from '../../../src/registry/registry.js';
import { openSqliteRegistry } from '../../../src/registry/sqlite/sqlite-registry.js';
import { type PolicyStoreFixture, policyStoreConformance } from '../policy-store-conformance.js';

policyStoreConformance('sqlite', async (): Promise<PolicyStoreFixture> => {
  const dir = await mkdtemp(join(tmpdir(), 'fleetca-policies-'));
  const opened: Registry[] = [];
  // Every registry on the same file has its own connection.
  const open = async () => {
    const registry = await openSqliteRegistry(join(dir, 'registry.db'));
    opened.push(registry);
    return registry;
  };
  return {
    registry: await open(),
    reopen: open,
    cleanup: async () => {
      for (const registry of opened) await registry.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
