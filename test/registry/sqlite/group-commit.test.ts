import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { commitGroup, GroupCommit, type Outcome } from '../../../src/registry/sqlite/group-commit.js';

const OK: Outcome = { ok: true };

/** A committer that records each group and answers from `decide` (default: every write succeeds). */
function recorder(decide: (item: number) => Outcome = () => OK) {
  const groups: number[][] = [];
  const commit = (items: readonly number[]) => {
    groups.push([...items]);
    return items.map(decide);
  };
  return { groups, commit };
}

/** Settles every promise, recording the order in which they settled. */
async function settleOrder(promises: readonly Promise<void>[]): Promise<number[]> {
  const order: number[] = [];
  await Promise.allSettled(promises.map((p, i) => p.finally(() => order.push(i))));
  return order;
}

describe('GroupCommit', () => {
  test('writes submitted in the same turn are committed as one group, in submission order', async () => {
    const { groups, commit } = recorder();
    const gc = new GroupCommit(commit);
    const promises = Array.from({ length: 20 }, (_, i) => gc.submit(i));
    assert.equal(groups.length, 0, 'nothing is committed before the end of the turn');
    const order = await settleOrder(promises);
    assert.deepEqual(groups, [Array.from({ length: 20 }, (_, i) => i)]);
    assert.deepEqual(
      order,
      Array.from({ length: 20 }, (_, i) => i),
    );
  });

  test('writes of later turns form later groups', async () => {
    const { groups, commit } = recorder();
    const gc = new GroupCommit(commit);
    await Promise.all([gc.submit(1), gc.submit(2)]);
    await Promise.all([gc.submit(3)]);
    assert.deepEqual(groups, [[1, 2], [3]]);
  });

  test('a failing write rejects only its own submitter, with its own error', async () => {
    const boom = new Error('write 3 failed');
    const { commit } = recorder((item) => (item === 3 ? { ok: false, error: boom } : OK));
    const gc = new GroupCommit(commit);
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => gc.submit(i)));
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled'],
    );
    assert.equal((results[3] as PromiseRejectedResult).reason, boom);
  });

  test('a committer that throws fails the whole group, and the next group still runs', async () => {
    let calls = 0;
    const gc = new GroupCommit<number>((items) => {
      calls++;
      if (calls === 1) throw new Error('cannot begin');
      return items.map(() => OK);
    });
    const first = await Promise.allSettled([gc.submit(1), gc.submit(2)]);
    assert.deepEqual(
      first.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    await gc.submit(3);
  });

  test('maxGroup splits a large turn into groups, still in order', async () => {
    const { groups, commit } = recorder();
    const gc = new GroupCommit(commit, { maxGroup: 4 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => gc.submit(i)));
    assert.deepEqual(groups, [
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
  });

  test('while an asynchronous commit is out, new writes wait and then go together as the next group', async () => {
    const groups: number[][] = [];
    const releases: Array<() => void> = [];
    const gc = new GroupCommit<number>((items) => {
      groups.push([...items]);
      return new Promise((resolve) => releases.push(() => resolve(items.map(() => OK))));
    });
    const first = gc.submit(0);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(groups, [[0]]);
    // Three turns' worth of writes arrive while group [0] is being committed.
    const later: Promise<void>[] = [gc.submit(1)];
    await new Promise((resolve) => setImmediate(resolve));
    later.push(gc.submit(2));
    await new Promise((resolve) => setImmediate(resolve));
    later.push(gc.submit(3));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(groups, [[0]], 'one group at a time');
    let firstDone = false;
    void first.then(() => {
      firstDone = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(firstDone, false, 'a write is not acknowledged before its commit');
    releases[0]?.();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(groups, [[0], [1, 2, 3]]);
    releases[1]?.();
    await Promise.all(later);
  });

  test('flush waits for the queued writes and the group in flight', async () => {
    const releases: Array<() => void> = [];
    const committed: number[] = [];
    const gc = new GroupCommit<number>(
      (items) =>
        new Promise((resolve) =>
          releases.push(() => {
            committed.push(...items);
            resolve(items.map(() => OK));
          }),
        ),
    );
    void gc.submit(1);
    void gc.submit(2);
    const flushed = gc.flush();
    let done = false;
    void flushed.then(() => {
      done = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(done, false);
    void gc.submit(3);
    releases[0]?.();
    await new Promise((resolve) => setImmediate(resolve));
    releases[1]?.();
    await flushed;
    assert.deepEqual(committed, [1, 2, 3]);
    assert.equal(gc.queued, 0);
  });
});

describe('commitGroup on SQLite', () => {
  let dir: string;
  let file: string;
  let db: Database.Database;
  let insert: Database.Statement<[{ id: string }]>;
  const write = (item: { id: string }) => {
    insert.run(item);
  };
  const ids = () => (db.prepare('SELECT id FROM t ORDER BY rowid').pluck().all() as string[]).join(',');

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fleetca-group-'));
    file = join(dir, 'group.db');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const fresh = () => {
    db?.close();
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('DROP TABLE IF EXISTS t; CREATE TABLE t (id TEXT PRIMARY KEY)');
    insert = db.prepare('INSERT INTO t (id) VALUES (@id)');
  };

  test('one transaction for the group; a constraint failure fails only its row', () => {
    fresh();
    insert.run({ id: 'taken' });
    const sizes: number[] = [];
    const outcomes = commitGroup(
      db,
      write,
      ['a', 'b', 'taken', 'c', 'c'].map((id) => ({ id })),
      (n) => sizes.push(n),
    );
    assert.deepEqual(
      outcomes.map((o) => o.ok),
      [true, true, false, true, false],
    );
    const failure = outcomes[2] as { ok: false; error: unknown };
    assert.ok(failure.error instanceof Database.SqliteError);
    assert.equal(failure.error.code, 'SQLITE_CONSTRAINT_PRIMARYKEY');
    assert.deepEqual(sizes, [5], 'one commit carried the group');
    assert.equal(db.inTransaction, false);
    // Committed: another connection sees exactly the rows that succeeded, in order.
    const other = new Database(file, { readonly: true });
    try {
      assert.equal(
        (other.prepare('SELECT id FROM t ORDER BY rowid').pluck().all() as string[]).join(','),
        'taken,a,b,c',
      );
    } finally {
      other.close();
    }
  });

  test('a failure that ends the transaction: every row is retried alone, so each gets its own outcome', () => {
    fresh();
    const killer = (item: { id: string }) => {
      if (item.id === 'kill') {
        // As SQLite does itself on some I/O errors: the whole transaction is rolled back.
        if (db.inTransaction) db.exec('ROLLBACK');
        throw new Error('transaction lost');
      }
      write(item);
    };
    const sizes: number[] = [];
    const outcomes = commitGroup(
      db,
      killer,
      ['a', 'kill', 'b'].map((id) => ({ id })),
      (n) => sizes.push(n),
    );
    assert.deepEqual(
      outcomes.map((o) => o.ok),
      [true, false, true],
    );
    assert.equal(ids(), 'a,b');
    assert.deepEqual(sizes, [1, 1], 'the survivors were committed one by one');
  });

  test('when the transaction cannot begin, every row of the group gets that error', () => {
    fresh();
    db.pragma('busy_timeout = 20');
    const holder = new Database(file);
    holder.prepare('BEGIN IMMEDIATE').run();
    try {
      const outcomes = commitGroup(
        db,
        write,
        ['a', 'b'].map((id) => ({ id })),
      );
      for (const outcome of outcomes) {
        assert.equal(outcome.ok, false);
        const { error } = outcome as { ok: false; error: unknown };
        assert.ok(error instanceof Database.SqliteError);
        assert.match(error.code, /^SQLITE_BUSY/);
      }
    } finally {
      holder.prepare('ROLLBACK').run();
      holder.close();
    }
    assert.equal(ids(), '');
    assert.equal(db.inTransaction, false);
  });

  test('a single row is committed on its own, without an explicit transaction', () => {
    fresh();
    const sizes: number[] = [];
    assert.deepEqual(
      commitGroup(db, write, [{ id: 'solo' }], (n) => sizes.push(n)),
      [{ ok: true }],
    );
    assert.deepEqual(sizes, [1]);
    assert.equal(ids(), 'solo');
    db.close();
  });
});
