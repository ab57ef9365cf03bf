import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AccessKeySecret } from '../../../src/registry/account-store.js';
import { ChangeHub } from '../../../src/registry/registry-changes.js';
import { AccessKeyCache } from '../../../src/server/auth/access-key-cache.js';

/** A key table that counts lookups; its answers can be changed behind the cache's back. */
function keyTable(entries: Record<string, AccessKeySecret>) {
  const table = new Map(Object.entries(entries));
  const lookups: string[] = [];
  return {
    table,
    lookups,
    findAccessKey: async (id: string) => {
      lookups.push(id);
      return table.get(id);
    },
  };
}

const KEY = { accountId: '123456789012', secretAccessKey: 's'.repeat(40) };

test('a known key is looked up once; unknown keys every time', async () => {
  const store = keyTable({ AKIA1: KEY });
  const cache = new AccessKeyCache(store, new ChangeHub('database'));
  assert.deepEqual(await cache.findAccessKey('AKIA1'), KEY);
  assert.deepEqual(await cache.findAccessKey('AKIA1'), KEY);
  assert.equal(await cache.findAccessKey('AKIA2'), undefined);
  store.table.set('AKIA2', KEY);
  assert.deepEqual(await cache.findAccessKey('AKIA2'), KEY);
  assert.deepEqual(store.lookups, ['AKIA1', 'AKIA2', 'AKIA2']);
});

test('an announced deletion forgets that key; resync forgets all', async () => {
  const store = keyTable({ AKIA1: KEY, AKIA2: KEY });
  const hub = new ChangeHub('database');
  const cache = new AccessKeyCache(store, hub);
  await cache.findAccessKey('AKIA1');
  await cache.findAccessKey('AKIA2');
  store.table.delete('AKIA1');
  hub.publish({ kind: 'access-key-deleted', accessKeyId: 'AKIA1' });
  assert.equal(await cache.findAccessKey('AKIA1'), undefined);
  assert.deepEqual(await cache.findAccessKey('AKIA2'), KEY);
  store.table.delete('AKIA2');
  hub.publish({ kind: 'resync' });
  assert.equal(await cache.findAccessKey('AKIA2'), undefined);
});

test('a lookup that raced a deletion does not remember what it read before it', async () => {
  const hub = new ChangeHub('database');
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let calls = 0;
  const cache = new AccessKeyCache(
    {
      findAccessKey: async () => {
        calls++;
        if (calls === 1) await gate;
        return calls === 1 ? KEY : undefined;
      },
    },
    hub,
  );
  const first = cache.findAccessKey('AKIA1');
  hub.publish({ kind: 'access-key-deleted', accessKeyId: 'AKIA1' });
  release();
  assert.deepEqual(await first, KEY);
  assert.equal(await cache.findAccessKey('AKIA1'), undefined);
});

test('entries expire after maxAgeMs and the least recently used go first beyond maxEntries', async () => {
  let now = 0;
  const store = keyTable({ A: KEY, B: KEY, C: KEY });
  const cache = new AccessKeyCache(store, new ChangeHub('database'), { maxEntries: 2, maxAgeMs: 1000, now: () => now });
  await cache.findAccessKey('A');
  await cache.findAccessKey('B');
  await cache.findAccessKey('A'); // A is now the most recent
  await cache.findAccessKey('C'); // evicts B
  await cache.findAccessKey('A');
  await cache.findAccessKey('B');
  assert.deepEqual(store.lookups, ['A', 'B', 'C', 'B']);
  now = 1000;
  await cache.findAccessKey('B');
  assert.deepEqual(store.lookups, ['A', 'B', 'C', 'B', 'B']);
});

test('refuses a feed that does not hear other processes', () => {
  assert.throws(() => new AccessKeyCache(keyTable({}), new ChangeHub('process')), /database-wide/);
});
