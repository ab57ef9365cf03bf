import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openSqliteRegistry } from '../../../src/registry/sqlite/sqlite-registry.js';
import { SqliteThingStore } from '../../../src/registry/sqlite/sqlite-thing-store.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fleetca-sqlite-registry-'));
});
after(() => rm(dir, { recursive: true, force: true }));

const scope = { accountId: '123456789012', region: 'us-east-1' };

test('a registry makes its stores on first use, or all at open with preloadStores; both answer alike', async () => {
  const file = join(dir, 'registry.db');
  const onFirstUse = await openSqliteRegistry(file);
  const preloaded = await openSqliteRegistry(file, { preloadStores: true });
  try {
    assert.ok(!(onFirstUse.things instanceof SqliteThingStore), 'a stand-in until its first call');
    assert.ok(preloaded.things instanceof SqliteThingStore);
    assert.equal(await onFirstUse.things.getThing(scope, 'absent'), undefined);
    assert.deepEqual(await onFirstUse.accounts.listAccounts(), await preloaded.accounts.listAccounts());
  } finally {
    await onFirstUse.close();
    await preloaded.close();
  }
});
