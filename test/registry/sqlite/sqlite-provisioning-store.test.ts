import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Registry } from '../../../src/registry/registry.js';
import { openSqliteRegistry } from '../../../src/registry/sqlite/sqlite-registry.js';
import { THING_COLUMNS, type ThingRow, thingRecordFromRow } from '../../../src/registry/thing-row.js';
import { type ProvisioningFixture, provisioningStoreConformance } from '../provisioning-store-conformance.js';

provisioningStoreConformance('sqlite', async (): Promise<ProvisioningFixture> => {
  const dir = await mkdtemp(join(tmpdir(), 'fleetca-provisioning-'));
  const file = join(dir, 'registry.db');
  const opened: Registry[] = [];
  const open = async () => {
    const registry = await openSqliteRegistry(file);
    opened.push(registry);
    return registry;
  };
  const registry = await open();
  // A connection of its own, reading what the registry committed.
  const raw = new Database(file);
  return {
    registry,
    second: open,
    inspect: {
      thing: async (scope, thingName) => {
        const row = raw
          .prepare<[string, string, string], ThingRow>(
            `SELECT ${THING_COLUMNS.join(', ')} FROM things WHERE account_id = ? AND region = ? AND thing_name = ?`,
          )
          .get(scope.accountId, scope.region, thingName);
        return row === undefined ? undefined : thingRecordFromRow(row);
      },
      attachments: async (scope, certificateId) =>
        raw
          .prepare<[string, string, string], string>(
            `SELECT kind || ':' || name FROM certificate_attachments
              WHERE account_id = ? AND region = ? AND certificate_id = ? ORDER BY kind, name`,
          )
          .pluck()
          .all(scope.accountId, scope.region, certificateId),
      redeemedAt: async (scope, certificateId) =>
        raw
          .prepare<[string, string, string], { redeemed_at: number | null }>(
            'SELECT redeemed_at FROM ownership_tokens WHERE account_id = ? AND region = ? AND certificate_id = ?',
          )
          .get(scope.accountId, scope.region, certificateId)?.redeemed_at,
    },
    cleanup: async () => {
      raw.close();
      for (const each of opened) await each.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
