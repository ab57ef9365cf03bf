import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import type { Registry } from '../../../src/registry/registry.js';
import { openSqliteRegistry } from '../../../src/registry/sqlite/sqlite-registry.js';
import { prepareThingStatements } from '../../../src/registry/sqlite/sqlite-thing-statements.js';
import { THING_COLUMNS } from '../../../src/registry/thing-row.js';
import { type ThingStoreFixture, thingStoreConformance } from '../thing-store-conformance.js';

thingStoreConformance('sqlite', async (): Promise<ThingStoreFixture> => {
  const dir = await mkdtemp(join(tmpdir(), 'fleetca-things-'));
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

describe('sqlite thing schema', () => {
  test('the things table has the row columns, and the thing pages are index scans without a sort', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fleetca-things-schema-'));
    try {
      const file = join(dir, 'registry.db');
      await (await openSqliteRegistry(file)).close();
      const raw = new Database(file, { readonly: true });
      try {
        const columns = (raw.pragma('table_info(things)') as { name: string }[]).map((c) => c.name);
        assert.deepEqual(columns, [...THING_COLUMNS]);
        const plan = (source: string) =>
          (
            raw.prepare(`EXPLAIN QUERY PLAN ${source}`).all({
              account_id: 'a',
              region: 'r',
              thing_name: 't',
              certificate_id: 'c',
              limit: 2,
              after: 'x',
              thing_type_name: 'T',
              attribute_name: 'n',
              attribute_value: 'v',
            }) as { detail: string }[]
          )
            .map((row) => row.detail)
            .join('; ');
        const sql = prepareThingStatements(raw);
        for (const after of [false, true]) {
          for (const attribute of ['none', 'equal', 'prefix'] as const) {
            const detail = plan(sql.page({ after, byType: true, attribute }).source);
            assert.match(detail, /SEARCH things USING INDEX sqlite_autoindex_things_1/);
            assert.doesNotMatch(detail, /TEMP B-TREE/);
          }
          assert.match(plan(sql.principals(after).source), /certificate_attachments_by_target/);
          assert.doesNotMatch(plan(sql.principals(after).source), /TEMP B-TREE/);
          assert.doesNotMatch(plan(sql.thingsOf(after).source), /TEMP B-TREE|SCAN certificate_attachments/);
        }
      } finally {
        raw.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
