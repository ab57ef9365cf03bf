import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { rowFromRecord } from '../../../src/registry/certificate-row.js';
import { InsertWriter, InsertWriterError } from '../../../src/registry/sqlite/insert-writer.js';
import { openSqliteDatabase } from '../../../src/registry/sqlite/sqlite-database.js';
import {
  openSqliteStore,
  SqliteCertificateStore,
  type SqliteCertificateStoreOptions,
} from '../../../src/registry/sqlite/sqlite-store.js';
import { DuplicateCertificateError } from '../../../src/registry/store.js';
import { certificateIdOf, makeRecord, SCOPE } from '../certificate-fixtures.js';

async function withFile(fn: (file: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'fleetca-batching-'));
  try {
    await fn(join(dir, 'registry.db'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Certificate ids in the order their rows were written, read by an independent connection. */
function committedIds(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT certificate_id FROM certificates ORDER BY rowid').pluck().all() as string[];
  } finally {
    db.close();
  }
}

const seeds = (n: number, prefix = 'row') => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

/** Both ways a store commits inserts: on its own connection, and on the writer thread. */
const MODES: ReadonlyArray<{
  readonly name: string;
  readonly options: SqliteCertificateStoreOptions;
  readonly thread: boolean;
}> = [
  { name: 'on the opening connection', options: { writerThread: 'off' }, thread: false },
  { name: 'on the writer thread', options: {}, thread: true },
];

for (const mode of MODES) {
  describe(`sqlite store, inserts committed ${mode.name}`, () => {
    const open = async (file: string, extra: SqliteCertificateStoreOptions = {}) => {
      const store = await openSqliteStore(file, { ...mode.options, ...extra });
      if (mode.thread) assert.equal(await store.startWriterThread(), true);
      return store;
    };

    test('concurrent inserts all succeed, are committed in submission order, and are durable when answered', () =>
      withFile(async (file) => {
        const store = await open(file);
        try {
          const names = seeds(40);
          const answered: string[] = [];
          await Promise.all(
            names.map((seed) =>
              store.insertCertificate(makeRecord(seed)).then(() => {
                // Answered means committed: an independent connection sees the row at that moment.
                const db = new Database(file, { readonly: true });
                try {
                  const row = db
                    .prepare('SELECT 1 FROM certificates WHERE certificate_id = ?')
                    .pluck()
                    .get(certificateIdOf(seed));
                  assert.equal(row, 1, `${seed} answered before it was committed`);
                } finally {
                  db.close();
                }
                answered.push(seed);
              }),
            ),
          );
          assert.deepEqual(answered, names, 'answers come in submission order');
          assert.deepEqual(committedIds(file), names.map(certificateIdOf));
        } finally {
          await store.close();
        }
      }));

    test('one failing row among many fails only its own caller', () =>
      withFile(async (file) => {
        const store = await open(file);
        try {
          await store.insertCertificate(makeRecord('existing'));
          const names = [...seeds(5, 'a'), 'existing', ...seeds(5, 'b'), 'a-2'];
          const results = await Promise.allSettled(names.map((seed) => store.insertCertificate(makeRecord(seed))));
          results.forEach((result, i) => {
            const duplicate = i === 5 || i === names.length - 1;
            assert.equal(result.status, duplicate ? 'rejected' : 'fulfilled', names[i]);
            if (duplicate) {
              const { reason } = result as PromiseRejectedResult;
              assert.ok(reason instanceof DuplicateCertificateError, String(reason));
              assert.equal(reason.certificateId, certificateIdOf(names[i] as string));
            }
          });
          assert.deepEqual(committedIds(file), ['existing', ...seeds(5, 'a'), ...seeds(5, 'b')].map(certificateIdOf));
          assert.equal((await store.getCertificate(SCOPE, certificateIdOf('a-2')))?.generationId, 'gen-a-2');
        } finally {
          await store.close();
        }
      }));

    test('close commits the inserts still waiting for their group', () =>
      withFile(async (file) => {
        const store = await open(file);
        const pending = seeds(10).map((seed) => store.insertCertificate(makeRecord(seed)));
        await store.close();
        await Promise.all(pending);
        assert.deepEqual(committedIds(file), seeds(10).map(certificateIdOf));
      }));

    test('rows written by the store are read back by it at once', () =>
      withFile(async (file) => {
        const store = await open(file);
        try {
          const record = makeRecord('read-your-write', { status: 'ACTIVE' });
          await store.insertCertificate(record);
          assert.deepEqual(await store.getCertificate(SCOPE, record.certificateId), record);
          const updated = await store.updateStatus(SCOPE, record.certificateId, () => ({
            status: 'INACTIVE',
            lastModifiedDate: record.lastModifiedDate + 1,
            generationId: 'after',
          }));
          assert.equal(updated.customerVersion, 2);
        } finally {
          await store.close();
        }
      }));
  });
}

describe('sqlite store group commit', () => {
  test('inserts of the same turn share one transaction on the opening connection', () =>
    withFile(async (file) => {
      const sizes: number[] = [];
      const store = await openSqliteStore(file, { writerThread: 'off', onLocalCommit: (n) => sizes.push(n) });
      try {
        await Promise.all(seeds(25).map((seed) => store.insertCertificate(makeRecord(seed))));
        await store.insertCertificate(makeRecord('alone'));
        assert.deepEqual(sizes, [25, 1]);
      } finally {
        await store.close();
      }
    }));

  test('by default the writer thread starts with the second insert, and takes over the commits', () =>
    withFile(async (file) => {
      const sizes: number[] = [];
      const store = await openSqliteStore(file, { onLocalCommit: (n) => sizes.push(n) });
      try {
        await store.insertCertificate(makeRecord('first'));
        assert.deepEqual(sizes, [1], 'a single insert (a CLI run) commits here, without a thread');
        await store.insertCertificate(makeRecord('second'));
        assert.equal(await store.startWriterThread(), true, 'already started by the second insert');
        const before = sizes.length;
        await Promise.all(seeds(10).map((seed) => store.insertCertificate(makeRecord(seed))));
        assert.equal(sizes.length, before, 'no more commits on the opening connection');
        assert.deepEqual(committedIds(file), ['first', 'second', ...seeds(10)].map(certificateIdOf));
      } finally {
        await store.close();
      }
    }));

  test('an in-memory database never gets a writer thread', async () => {
    const store = new SqliteCertificateStore(await openSqliteDatabase(':memory:'));
    try {
      assert.equal(await store.startWriterThread(), false);
      await Promise.all(seeds(3).map((seed) => store.insertCertificate(makeRecord(seed))));
      assert.equal((await store.listCertificates(SCOPE, { limit: 10, ascending: true })).records.length, 3);
    } finally {
      await store.close();
    }
  });
});

describe('InsertWriter', () => {
  test('refuses to start on a registry that does not exist (it never creates one)', () =>
    withFile(async (file) => {
      await assert.rejects(InsertWriter.start(file, 100), /unable to open|does not exist|no such file/i);
    }));

  test('commits a group on its own connection and reports each row', () =>
    withFile(async (file) => {
      const db = await openSqliteDatabase(file);
      const writer = await InsertWriter.start(file, 1000);
      try {
        const rows = ['x', 'y', 'x'].map((seed) => rowFromRecord(makeRecord(seed)));
        const outcomes = await writer.commit(rows);
        assert.deepEqual(
          outcomes.map((o) => o.ok),
          [true, true, false],
        );
        const failure = outcomes[2] as { ok: false; error: unknown };
        assert.ok(failure.error instanceof Database.SqliteError, 'SqliteErrors cross the thread as SqliteErrors');
        assert.equal(failure.error.code, 'SQLITE_CONSTRAINT_PRIMARYKEY');
        assert.deepEqual(committedIds(file), ['x', 'y'].map(certificateIdOf));
      } finally {
        await writer.close();
        db.close();
      }
    }));

  test('once closed, it is broken and commits nothing', () =>
    withFile(async (file) => {
      const db = await openSqliteDatabase(file);
      const writer = await InsertWriter.start(file, 1000);
      await writer.close();
      assert.equal(writer.broken, true);
      const [outcome] = await writer.commit([rowFromRecord(makeRecord('late'))]);
      assert.equal(outcome?.ok, false);
      assert.ok((outcome as { ok: false; error: unknown }).error instanceof InsertWriterError);
      assert.deepEqual(committedIds(file), []);
      db.close();
    }));
});
