import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { CERTIFICATE_COLUMNS } from '../../../src/registry/certificate-row.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from '../../../src/registry/migrations.js';
import { openSqliteDatabase } from '../../../src/registry/sqlite/sqlite-database.js';
import { applySqliteMigrations } from '../../../src/registry/sqlite/sqlite-migrator.js';
import { prepareStatements } from '../../../src/registry/sqlite/sqlite-statements.js';
import { openSqliteStore, type SqliteCertificateStoreOptions } from '../../../src/registry/sqlite/sqlite-store.js';
import type { CertificateStore } from '../../../src/registry/store.js';
import { StoreError, type StoreErrorCode } from '../../../src/registry/store-error.js';
import { makeRecord, SCOPE } from '../certificate-fixtures.js';
import { type StoreFixture, storeConformance } from '../store-conformance.js';

const run = promisify(execFile);

/** The compiled store, as a child process imports it (this file runs from dist/test/registry/). */
const STORE_MODULE = new URL('../../../src/registry/sqlite/sqlite-store.js', import.meta.url).href;

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'fleetca-registry-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function sqliteFixture(options: SqliteCertificateStoreOptions = {}): Promise<StoreFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'fleetca-registry-'));
  const file = join(dir, 'registry.db');
  const opened: CertificateStore[] = [];
  const open = async () => {
    const store = await openSqliteStore(file, options);
    opened.push(store);
    return store;
  };
  return {
    store: await open(),
    reopen: open,
    cleanup: async () => {
      for (const store of opened) await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Expects openSqliteStore(file) to refuse with the given code and a message matching every pattern. */
async function assertRefused(file: string, code: StoreErrorCode, ...patterns: RegExp[]): Promise<void> {
  await assert.rejects(openSqliteStore(file), (error: unknown) => {
    assert.ok(error instanceof StoreError, `expected a StoreError, got ${String(error)}`);
    assert.equal(error.code, code);
    for (const pattern of patterns) assert.match(error.message, pattern);
    return true;
  });
}

/**
 * A child process that waits for a common start instant, opens the store and does one task.
 * Arguments: store module URL, database file, start time (epoch ms), JSON task.
 */
const CHILD_SCRIPT = `
const [moduleUrl, file, startAt, taskJson] = process.argv.slice(2);
const task = JSON.parse(taskJson);
const { openSqliteStore } = await import(moduleUrl);
while (Date.now() < Number(startAt)) {}
const store = await openSqliteStore(file);
const scope = { accountId: '123456789012', region: 'us-east-1' };
if (task.insert) await store.insertCertificate(task.insert);
for (let i = 0; i < (task.toggles ?? 0); i++) {
  await store.updateStatus(scope, task.certificateId, (current) => ({
    status: current.status === 'ACTIVE' ? 'INACTIVE' : 'ACTIVE',
    lastModifiedDate: Date.now(),
    generationId: task.label + '-' + i,
  }));
  await new Promise((resolve) => setImmediate(resolve));
}
await store.close();
process.stdout.write('done');
`;

/** Starts `tasks.length` processes on `file` that all open it at the same instant; resolves when all succeeded. */
async function runTogether(dir: string, file: string, tasks: readonly object[]): Promise<void> {
  const script = join(dir, 'child.mjs');
  await writeFile(script, CHILD_SCRIPT);
  // Far enough ahead for every node process to have started and imported the store.
  const startAt = Date.now() + 1500;
  const results = await Promise.all(
    tasks.map((task) =>
      run(process.execPath, [script, STORE_MODULE, file, String(startAt), JSON.stringify(task)], {
        timeout: 60_000,
      }),
    ),
  );
  for (const { stdout } of results) assert.equal(stdout, 'done');
}

storeConformance('sqlite', () => sqliteFixture());
// The default commits inserts on a writer thread from the second insert on; the same rules hold without it.
storeConformance('sqlite without a writer thread', () => sqliteFixture({ writerThread: 'off' }));

describe('sqlite store', () => {
  test('runs in WAL mode and records the applied migrations', () =>
    withTempDir(async (dir) => {
      const file = join(dir, 'registry.db');
      const before = Date.now();
      await (await openSqliteStore(file)).close();
      const raw = new Database(file, { readonly: true });
      try {
        assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
        const rows = raw.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all() as {
          version: number;
          name: string;
          applied_at: number;
        }[];
        assert.deepEqual(
          rows.map(({ version, name }) => ({ version, name })),
          MIGRATIONS.map(({ version, name }) => ({ version, name })),
        );
        for (const row of rows) assert.ok(row.applied_at >= before && row.applied_at <= Date.now());
      } finally {
        raw.close();
      }
    }));

  test('reopening applies nothing again', () =>
    withTempDir(async (dir) => {
      const file = join(dir, 'registry.db');
      const store = await openSqliteStore(file);
      await store.insertCertificate(makeRecord('kept'));
      await store.close();
      const snapshot = () => {
        const raw = new Database(file, { readonly: true });
        try {
          return raw.prepare('SELECT * FROM schema_migrations ORDER BY version').all();
        } finally {
          raw.close();
        }
      };
      const first = snapshot();
      for (let i = 0; i < 3; i++) await (await openSqliteStore(file)).close();
      assert.deepEqual(snapshot(), first);
      const again = await openSqliteStore(file);
      assert.deepEqual(await again.getCertificate(SCOPE, makeRecord('kept').certificateId), makeRecord('kept'));
      await again.close();
    }));

  test('the certificates table has the schema columns and no place for a private key', () =>
    withTempDir(async (dir) => {
      const file = join(dir, 'registry.db');
      await (await openSqliteStore(file)).close();
      const raw = new Database(file, { readonly: true });
      try {
        const columns = (raw.pragma('table_info(certificates)') as { name: string }[]).map((c) => c.name);
        assert.deepEqual(columns, [...CERTIFICATE_COLUMNS]);
        // issuer_key_id is the issuing CA's public key identifier; nothing may hold a private key.
        assert.ok(!columns.some((c) => /private|key_pem|_key$/i.test(c)));
      } finally {
        raw.close();
      }
    }));

  test('list pages are index range scans in both directions, without a sort', () =>
    withTempDir(async (dir) => {
      const file = join(dir, 'registry.db');
      await (await openSqliteStore(file)).close();
      const raw = new Database(file, { readonly: true });
      try {
        const sql = prepareStatements(raw);
        const params = { account_id: 'a', region: 'r', limit: 2, creation_date: 1, certificate_id: 'c' };
        for (const statement of [
          sql.pageAscending,
          sql.pageAscendingAfter,
          sql.pageDescending,
          sql.pageDescendingAfter,
        ]) {
          const plan = (raw.prepare(`EXPLAIN QUERY PLAN ${statement.source}`).all(params) as { detail: string }[])
            .map((row) => row.detail)
            .join('; ');
          assert.match(plan, /SEARCH certificates USING (COVERING )?INDEX certificates_by_creation/);
          assert.doesNotMatch(plan, /TEMP B-TREE/);
        }
      } finally {
        raw.close();
      }
    }));

  // fleetca makes a registry file complete before it appears (built aside, then linked into place), so an empty
  // one is never a new registry but a lost one: SQLite would take it for a new database and drop the -wal beside it.
  test('an empty (zero-byte) file is refused and left untouched, its -wal included', () =>
    withTempDir(async (dir) => {
      const file = join(dir, 'registry.db');
      const log = Buffer.alloc(8232, 7);
      await writeFile(file, '');
      await writeFile(`${file}-wal`, log);
      await assertRefused(file, 'EMPTY', /registry\.db is empty \(0 bytes\)/, /restore it from a backup/i);
      assert.equal((await readFile(file)).length, 0);
      assert.deepEqual(await readFile(`${file}-wal`), log);
      assert.equal(existsSync(`${file}-shm`), false);
    }));

  test('a missing file is made owner-only and complete, and its maker is told', () =>
    withTempDir(async (dir) => {
      const file = join(dir, 'new.db');
      const created: string[] = [];
      const db = await openSqliteDatabase(file, { onCreated: (made) => created.push(made) });
      db.close();
      assert.deepEqual(created, [file]);
      assert.equal((await stat(file)).mode & 0o777, 0o600);
      assert.deepEqual(await readdir(dir), ['new.db'], 'no temporary file is left behind');
      const reopened = await openSqliteDatabase(file, { onCreated: (made) => created.push(made) });
      reopened.close();
      assert.equal(created.length, 1, 'an existing file is opened, not made');
    }));

  test('a missing file that must exist, or one whose -wal is left, is refused and nothing is made', () =>
    withTempDir(async (dir) => {
      const file = join(dir, 'registry.db');
      await assert.rejects(openSqliteDatabase(file, { create: false }), (error: StoreError) => {
        assert.equal(error.code, 'MISSING');
        assert.match(error.message, /registry\.db is missing; restore it from a backup/);
        return true;
      });
      await writeFile(`${file}-wal`, Buffer.alloc(8232, 7));
      await assertRefused(file, 'MISSING', /write-ahead log \S+registry\.db-wal is there/);
      assert.deepEqual(await readdir(dir), ['registry.db-wal']);
    }));

  test('two processes opening a fresh file at the same moment both succeed with one schema', () =>
    withTempDir(async (dir) => {
      const file = join(dir, 'registry.db');
      const a = makeRecord('from-a');
      const b = makeRecord('from-b');
      await runTogether(dir, file, [{ insert: a }, { insert: b }]);
      const raw = new Database(file, { readonly: true });
      try {
        const versions = raw.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
        assert.deepEqual(
          versions,
          MIGRATIONS.map((m) => m.version),
        );
      } finally {
        raw.close();
      }
      const store = await openSqliteStore(file);
      assert.deepEqual(await store.getCertificate(SCOPE, a.certificateId), a);
      assert.deepEqual(await store.getCertificate(SCOPE, b.certificateId), b);
      await store.close();
    }));

  test('two processes updating one certificate lose no update', () =>
    withTempDir(async (dir) => {
      const file = join(dir, 'registry.db');
      const record = makeRecord('contended');
      const setup = await openSqliteStore(file);
      await setup.insertCertificate(record);
      await setup.close();
      const toggles = 100;
      await runTogether(dir, file, [
        { certificateId: record.certificateId, toggles, label: 'a' },
        { certificateId: record.certificateId, toggles, label: 'b' },
      ]);
      const store = await openSqliteStore(file);
      const final = await store.getCertificate(SCOPE, record.certificateId);
      await store.close();
      assert.equal(final?.customerVersion, 1 + 2 * toggles);
      assert.equal(final?.status, 'INACTIVE');
    }));

  test('a file that is not a SQLite database is refused and left untouched', () =>
    withTempDir(async (dir) => {
      const file = join(dir, 'registry.db');
      const garbage = Buffer.from('this is certainly not a SQLite database, it is just some text\n'.repeat(20));
      await writeFile(file, garbage);
      await assertRefused(file, 'NOT_A_DATABASE', /file is not a database/, /registry\.db/);
      assert.deepEqual(await readFile(file), garbage);
      assert.equal(existsSync(`${file}-wal`), false);
    }));

  test('a SQLite database of another application is refused and left untouched', () =>
    withTempDir(async (dir) => {
      const file = join(dir, 'other.db');
      const raw = new Database(file);
      raw.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hello')");
      raw.close();
      const before = await readFile(file);
      await assertRefused(file, 'FOREIGN_DATABASE', /not a fleetca registry/, /notes/, /other\.db/);
      assert.deepEqual(await readFile(file), before);
    }));

  test("another tool's schema_migrations table is refused", () =>
    withTempDir(async (dir) => {
      const file = join(dir, 'rails.db');
      const raw = new Database(file);
      raw.exec("CREATE TABLE schema_migrations (version TEXT PRIMARY KEY); INSERT INTO schema_migrations VALUES ('1')");
      raw.close();
      await assertRefused(file, 'FOREIGN_DATABASE', /schema_migrations/, /not created by fleetca/);
    }));

  test('a schema newer than this code is refused', () =>
    withTempDir(async (dir) => {
      const file = join(dir, 'registry.db');
      await (await openSqliteStore(file)).close();
      const raw = new Database(file);
      raw.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(999, 'future', 0);
      raw.close();
      await assertRefused(
        file,
        'SCHEMA_TOO_NEW',
        /schema version 999/,
        new RegExp(`version ${LATEST_SCHEMA_VERSION} this fleetca supports`),
      );
    }));

  test('a schema whose recorded migrations differ from the known ones is refused', () =>
    withTempDir(async (dir) => {
      const file = join(dir, 'registry.db');
      await (await openSqliteStore(file)).close();
      const raw = new Database(file);
      raw.prepare("UPDATE schema_migrations SET name = 'renamed' WHERE version = 1").run();
      raw.close();
      await assertRefused(file, 'SCHEMA_MISMATCH', /'renamed'/);
    }));

  test('a file in a missing directory is refused with OPEN_FAILED', () =>
    withTempDir(async (dir) => {
      await assertRefused(join(dir, 'no', 'such', 'registry.db'), 'OPEN_FAILED', /cannot open registry/);
    }));

  test('later migrations are applied on top of an existing schema, once', () =>
    withTempDir(async (dir) => {
      const file = join(dir, 'registry.db');
      await (await openSqliteStore(file)).close();
      const next: Migration = {
        version: LATEST_SCHEMA_VERSION + 1,
        name: 'probe',
        statements: ['CREATE TABLE probe (id TEXT NOT NULL PRIMARY KEY)'],
      };
      const raw = new Database(file);
      try {
        assert.deepEqual(applySqliteMigrations(raw, file, [...MIGRATIONS, next]), [next.version]);
        assert.deepEqual(applySqliteMigrations(raw, file, [...MIGRATIONS, next]), []);
      } finally {
        raw.close();
      }
      // This code now finds a schema newer than it knows.
      await assertRefused(file, 'SCHEMA_TOO_NEW');
    }));

  test('a failing migration leaves no trace', () =>
    withTempDir(async (dir) => {
      const file = join(dir, 'registry.db');
      await (await openSqliteStore(file)).close();
      const broken: Migration = {
        version: LATEST_SCHEMA_VERSION + 1,
        name: 'broken',
        statements: ['CREATE TABLE t (x TEXT)', 'NOT SQL'],
      };
      const raw = new Database(file);
      try {
        const tables = () => raw.prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").pluck().get();
        const before = tables();
        assert.throws(() => applySqliteMigrations(raw, file, [...MIGRATIONS, broken]));
        assert.equal(tables(), before);
        assert.equal(raw.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get(), LATEST_SCHEMA_VERSION);
      } finally {
        raw.close();
      }
      await (await openSqliteStore(file)).close();
    }));
});
