import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Registry } from '../../../src/registry/registry.js';
import { openSqliteRegistry } from '../../../src/registry/sqlite/sqlite-registry.js';
import { provisioningClaimStoreConformance } from '../provisioning-claim-store-conformance.js';
import {
  type ProvisioningFixture,
  provisioningTemplateStoreConformance,
} from '../provisioning-template-store-conformance.js';

/** A fresh registry file; `reopen` opens another registry (its own connection) on the same file. */
async function openFixture(): Promise<ProvisioningFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'fleetca-provisioning-'));
  const opened: Registry[] = [];
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
}

provisioningTemplateStoreConformance('sqlite', openFixture);
provisioningClaimStoreConformance('sqlite', openFixture);
