import assert from 'node:assert/strict';
import { test } from 'node:test';
import { THING_COLUMNS } from '../../../src/registry/thing-row.js';
import { type ThingStoreFixture, thingStoreConformance } from '../thing-store-conformance.js';
import { freshSchema } from './postgres-fixtures.js';

thingStoreConformance('postgres', async (): Promise<ThingStoreFixture> => {
  const schema = await freshSchema();
  const open = () => schema.open({ changeFeed: false });
  return { registry: await open(), reopen: open, cleanup: schema.cleanup };
});

test('postgres: the things table has the row columns', async () => {
  const schema = await freshSchema();
  try {
    await schema.open({ changeFeed: false });
    const columns = await schema.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = 'things' ORDER BY ordinal_position`,
    );
    assert.deepEqual(
      columns.map((c) => c.column_name),
      [...THING_COLUMNS],
    );
  } finally {
    await schema.cleanup();
  }
});
