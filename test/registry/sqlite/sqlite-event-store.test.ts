import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Registry } from '../../../src/registry/registry.js';
import { openSqliteRegistry } from '../../../src/registry/sqlite/sqlite-registry.js';
import { eventStoreConformance } from '../event-store-conformance.js';

eventStoreConformance('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fleetca-event-store-'));
  const opened: Registry[] = [];
  return {
    eventsReachEveryProcess: false,
    open: async () => {
      const registry = await openSqliteRegistry(join(dir, 'registry.db'), { watchChanges: true, pollIntervalMs: 10 });
      opened.push(registry);
      return registry;
    },
    cleanup: async () => {
      for (const registry of opened) await registry.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
