import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type Database from 'better-sqlite3';
import type { Registry } from '../../../src/registry/registry.js';
import { ChangeHub, type RegistryChange } from '../../../src/registry/registry-changes.js';
import { DEFAULT_POLL_INTERVAL_MS, startSqliteChangeFeed } from '../../../src/registry/sqlite/sqlite-change-feed.js';
import { CHANGE_RETENTION_MS, SqliteChangeLog } from '../../../src/registry/sqlite/sqlite-change-log.js';
import { openSqliteDatabase } from '../../../src/registry/sqlite/sqlite-database.js';
import { openSqliteRegistry } from '../../../src/registry/sqlite/sqlite-registry.js';
import { eventually } from '../../helpers/eventually.js';
import { makeRecord, SCOPE } from '../certificate-fixtures.js';
import { type ChangeFeedFixture, changeFeedConformance } from '../change-feed-conformance.js';

changeFeedConformance('sqlite', async (): Promise<ChangeFeedFixture> => {
  const dir = await mkdtemp(join(tmpdir(), 'fleetca-sqlite-feed-'));
  const file = join(dir, 'registry.db');
  const opened: Registry[] = [];
  return {
    open: async ({ watch }) => {
      const registry = await openSqliteRegistry(file, watch ? { watchChanges: true } : {});
      opened.push(registry);
      return registry;
    },
    cleanup: async () => {
      for (const registry of opened.splice(0)) await registry.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

/** What a registry's hub hears, from now on. */
function listen(registry: Registry): RegistryChange[] {
  const heard: RegistryChange[] = [];
  registry.changes.subscribe((change) => heard.push(change));
  return heard;
}

const change = (n: number, status: 'REVOKED' | 'DELETED' = 'REVOKED'): RegistryChange => ({
  kind: 'certificate',
  ...SCOPE,
  certificateId: String(n).repeat(64).slice(0, 64),
  status,
});

describe('SQLite change feed between registries on one file', () => {
  let dir: string;
  let file: string;
  /** The server's side: watching. */
  let watcher: Registry;
  /** Another process's side (a CLI run): not watching. */
  let writer: Registry;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fleetca-sqlite-feed-'));
    file = join(dir, 'registry.db');
    watcher = await openSqliteRegistry(file, { watchChanges: true });
    writer = await openSqliteRegistry(file);
  });

  after(async () => {
    await writer.close();
    await watcher.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** A creation another connection logs after everything before it: hearing it means having read those. */
  async function logMarker(name: string): Promise<RegistryChange> {
    const record = makeRecord(name, { status: 'ACTIVE' });
    await writer.certificates.insertCertificate(record);
    return { kind: 'certificate', ...SCOPE, certificateId: record.certificateId, status: 'ACTIVE' };
  }

  test('a change logged and then rolled back with its transaction leaves no row and is never heard', async () => {
    const heard = listen(watcher);
    const db = await openSqliteDatabase(file);
    try {
      const log = new SqliteChangeLog(db, 'rolled-back');
      const logThenFail = db.transaction(() => {
        log.append(change(1));
        throw new Error('rolled back');
      });
      assert.throws(() => logThenFail.immediate(), /rolled back/);
      assert.equal(db.prepare("SELECT count(*) FROM registry_changes WHERE origin = 'rolled-back'").pluck().get(), 0);
    } finally {
      db.close();
    }
    // The feed reads rows in order: once it heard a change logged after this one, it passed it.
    const marker = await logMarker('rolled-back-marker');
    await eventually('the marker heard', () => heard.length > 0);
    assert.deepEqual(heard, [marker]);
  });

  test('a change cannot be logged outside a transaction', async () => {
    const db = await openSqliteDatabase(file);
    try {
      assert.throws(() => new SqliteChangeLog(db, 'loose').append(change(2)), /inside its write transaction/);
    } finally {
      db.close();
    }
  });
});

describe('SQLite change feed, step by step', () => {
  let dir: string;
  let watching: Database.Database;
  let writing: Database.Database;
  let now: number;
  let log: SqliteChangeLog;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fleetca-sqlite-feed-'));
    const file = join(dir, 'registry.db');
    watching = await openSqliteDatabase(file);
    writing = await openSqliteDatabase(file);
    now = Date.now();
    log = new SqliteChangeLog(writing, 'writer', () => now);
  });

  after(async () => {
    watching.close();
    writing.close();
    await rm(dir, { recursive: true, force: true });
  });

  const append = (...changes: RegistryChange[]) =>
    writing
      .transaction(() => {
        for (const c of changes) log.append(c);
      })
      .immediate();
  const seqs = () => writing.prepare<[], number>('SELECT seq FROM registry_changes ORDER BY seq').pluck().all();

  /** A feed that polls only when told (the timer is far away). */
  function manualFeed(origin = 'watcher') {
    const hub = new ChangeHub('database');
    const heard: RegistryChange[] = [];
    hub.subscribe((c) => heard.push(c));
    const feed = startSqliteChangeFeed(watching, hub, { origin, intervalMs: 3_600_000 });
    return { feed, heard };
  }

  test('starts at the end of the log, then delivers new rows in order, skipping its own origin', () => {
    append(change(1));
    const { feed, heard } = manualFeed('mine');
    try {
      feed.poll();
      assert.deepEqual(heard, [], 'what was logged before it started');
      append(change(2), change(3, 'DELETED'));
      writing.transaction(() => new SqliteChangeLog(writing, 'mine').append(change(4))).immediate();
      append(change(5));
      feed.poll();
      assert.deepEqual(heard, [change(2), change(3, 'DELETED'), change(5)]);
      feed.poll();
      assert.equal(heard.length, 3, 'nothing twice');
    } finally {
      feed.close();
    }
  });

  test('rows pruned before the feed read them make it publish resync', () => {
    const { feed, heard } = manualFeed();
    try {
      append(change(6), change(7), change(8));
      // As if the feed had stalled past the retention: everything but the newest row is gone.
      writing.exec('DELETE FROM registry_changes WHERE seq < (SELECT max(seq) FROM registry_changes)');
      feed.poll();
      assert.deepEqual(heard, [{ kind: 'resync' }, change(8)]);
      append(change(9));
      feed.poll();
      assert.deepEqual(heard.slice(2), [change(9)], 'back in step');
      // A row pruned out of order (the clock jumped back) is a gap too.
      append(change(10), change(11), change(12));
      writing.exec('DELETE FROM registry_changes WHERE seq = (SELECT max(seq) - 1 FROM registry_changes)');
      feed.poll();
      assert.deepEqual(heard.slice(3), [{ kind: 'resync' }, change(10), change(12)]);
    } finally {
      feed.close();
    }
  });

  test('a log that went backwards (the file was restored from a backup) makes it publish resync', () => {
    append(change(10), change(11));
    const { feed, heard } = manualFeed();
    try {
      writing.exec('DELETE FROM registry_changes');
      append(change(12));
      feed.poll();
      assert.deepEqual(heard, [{ kind: 'resync' }]);
      append(change(13));
      feed.poll();
      assert.deepEqual(heard.slice(1), [change(13)], 'back in step');
    } finally {
      feed.close();
    }
  });

  test('appending prunes a few expired rows, never the newest, so seq keeps growing', () => {
    writing.exec('DELETE FROM registry_changes');
    append(...Array.from({ length: 12 }, (_, i) => change(i)));
    assert.deepEqual(
      seqs(),
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
    now += CHANGE_RETENTION_MS + 1;
    append(change(20));
    assert.deepEqual(seqs(), [9, 10, 11, 12, 13], 'the oldest 8 expired rows went');
    append(change(21));
    assert.deepEqual(seqs(), [13, 14]);
    now += CHANGE_RETENTION_MS + 1;
    append(change(22));
    assert.deepEqual(seqs(), [15]);
    now += CHANGE_RETENTION_MS + 1;
    append(change(23));
    assert.deepEqual(seqs(), [16], 'the newest row stays, so seq never starts again at 1 behind a watcher');
  });

  test('the timer polls on its interval; close stops it', (t) => {
    t.mock.timers.enable({ apis: ['setInterval'] });
    const hub = new ChangeHub('database');
    const heard: RegistryChange[] = [];
    hub.subscribe((c) => heard.push(c));
    const feed = startSqliteChangeFeed(watching, hub, { origin: 'closing', intervalMs: 10 });
    append(change(30));
    t.mock.timers.tick(9);
    assert.deepEqual(heard, [], 'not before the interval');
    t.mock.timers.tick(1);
    assert.deepEqual(heard, [change(30)]);
    feed.close();
    append(change(31));
    t.mock.timers.tick(1_000);
    assert.deepEqual(heard, [change(30)]);
  });

  test('a registry starts the timer only when watching, and stops it on close', async (t) => {
    const started = t.mock.method(globalThis, 'setInterval');
    const cleared = t.mock.method(globalThis, 'clearInterval');
    const oneShot = await openSqliteRegistry(join(dir, 'registry.db'));
    await oneShot.close();
    assert.equal(started.mock.callCount(), 0, 'a one-shot registry has no timer');
    const watcher = await openSqliteRegistry(join(dir, 'registry.db'), { watchChanges: true });
    const timer = started.mock.calls[0]?.result;
    try {
      assert.equal(started.mock.callCount(), 1);
      assert.equal(started.mock.calls[0]?.arguments[1], DEFAULT_POLL_INTERVAL_MS, 'polls every 100 ms');
      assert.equal(timer?.hasRef(), false, 'the timer never keeps a process alive');
    } finally {
      await watcher.close();
    }
    assert.ok(cleared.mock.calls.some((call) => call.arguments[0] === timer));
  });
});
