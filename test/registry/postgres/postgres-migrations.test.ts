import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from '../../../src/registry/migrations.js';
import { createPgPool, describePgUrl, pgPoolConfig } from '../../../src/registry/postgres/pg-connection.js';
import { PgDatabase } from '../../../src/registry/postgres/pg-database.js';
import { applyPgMigrations } from '../../../src/registry/postgres/pg-migrator.js';
import { openPostgresRegistry } from '../../../src/registry/postgres/pg-registry.js';
import { StoreError, type StoreErrorCode } from '../../../src/registry/store-error.js';
import { makeRecord, SCOPE } from '../certificate-fixtures.js';
import { adminQuery, freshSchema, type PgTestSchema, POSTGRES_URL, urlWithSchema } from './postgres-fixtures.js';

async function withSchema(fn: (schema: PgTestSchema) => Promise<void>): Promise<void> {
  const schema = await freshSchema();
  try {
    await fn(schema);
  } finally {
    await schema.cleanup();
  }
}

/** The relations of a schema, by name: what "left untouched" is checked against. */
async function relationsOf(schema: string): Promise<string[]> {
  const rows = await adminQuery<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 ORDER BY c.relname`,
    [schema],
  );
  return rows.map((row) => row.name);
}

async function appliedMigrations(
  schema: PgTestSchema,
): Promise<{ version: number; name: string; applied_at: string }[]> {
  return schema.query('SELECT version, name, applied_at FROM schema_migrations ORDER BY version');
}

/** Expects opening `url` to be refused with `code`, naming the redacted URL, and matching every pattern. */
async function assertRefused(url: string, code: StoreErrorCode, ...patterns: RegExp[]): Promise<void> {
  await assert.rejects(openPostgresRegistry(url, { changeFeed: false }), (error: unknown) => {
    assert.ok(error instanceof StoreError, `expected a StoreError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.ok(error.message.includes(describePgUrl(url)), error.message);
    for (const pattern of patterns) assert.match(error.message, pattern);
    return true;
  });
}

/** A database handle whose pool has not migrated anything (openPgDatabase always does). */
function unmigratedDatabase(url: string): PgDatabase {
  const config = pgPoolConfig(url);
  return new PgDatabase(createPgPool(config), describePgUrl(url), config);
}

describe('postgres migrations', () => {
  test('a fresh schema is migrated in place and every version recorded', () =>
    withSchema(async (schema) => {
      const before = Date.now();
      await schema.open({ changeFeed: false });
      const applied = await appliedMigrations(schema);
      assert.deepEqual(
        applied.map(({ version, name }) => ({ version, name })),
        MIGRATIONS.map(({ version, name }) => ({ version, name })),
      );
      assert.equal(applied.at(-1)?.version, LATEST_SCHEMA_VERSION);
      for (const row of applied) assert.ok(Number(row.applied_at) >= before && Number(row.applied_at) <= Date.now());
      // Everything landed in the URL's search_path schema.
      const relations = await relationsOf(schema.name);
      for (const table of ['schema_migrations', 'certificates', 'accounts', 'ca_certificates', 'scope_identifiers']) {
        assert.ok(relations.includes(table), `${table} in ${schema.name}`);
      }
      assert.ok(relations.includes('certificates_by_creation') && relations.includes('certificates_by_ca'));
    }));

  test('opening again applies nothing and keeps the data', () =>
    withSchema(async (schema) => {
      const first = await schema.open({ changeFeed: false });
      const record = makeRecord('kept');
      await first.certificates.insertCertificate(record);
      const recorded = await appliedMigrations(schema);
      for (let i = 0; i < 3; i++) await schema.open({ changeFeed: false });
      assert.deepEqual(await appliedMigrations(schema), recorded);
      assert.deepEqual(await applyPgMigrations(await schema.openDatabase()), []);
      const again = await schema.open({ changeFeed: false });
      assert.deepEqual(await again.certificates.getCertificate(SCOPE, record.certificateId), record);
    }));

  test('replicas migrating a fresh schema together: exactly one applies, all succeed', () =>
    withSchema(async (schema) => {
      const databases = Array.from({ length: 5 }, () => unmigratedDatabase(schema.url));
      try {
        const results = await Promise.all(databases.map((db) => applyPgMigrations(db)));
        const full = MIGRATIONS.map((m) => m.version);
        assert.deepEqual(
          results.filter((applied) => applied.length > 0),
          [full],
        );
        assert.equal(results.filter((applied) => applied.length === 0).length, databases.length - 1);
      } finally {
        await Promise.all(databases.map((db) => db.close()));
      }
    }));

  test('registries opened together on a fresh schema all open, on one schema', () =>
    withSchema(async (schema) => {
      const registries = await Promise.all(Array.from({ length: 4 }, () => schema.open({ changeFeed: false })));
      await Promise.all(registries.map((r, i) => r.certificates.insertCertificate(makeRecord(`together-${i}`))));
      assert.deepEqual(
        (await appliedMigrations(schema)).map((m) => m.version),
        MIGRATIONS.map((m) => m.version),
      );
      assert.equal((await schema.query('SELECT 1 FROM certificates')).length, registries.length);
    }));

  test('a schema holding tables fleetca did not create is refused and left untouched', () =>
    withSchema(async (schema) => {
      await schema.query("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hello')");
      await assertRefused(schema.url, 'FOREIGN_DATABASE', /not a fleetca registry/, /notes/);
      assert.deepEqual(await relationsOf(schema.name), ['notes']);
      assert.deepEqual(await schema.query('SELECT body FROM notes'), [{ body: 'hello' }]);
    }));

  test("another tool's schema_migrations table is refused", () =>
    withSchema(async (schema) => {
      await schema.query(
        "CREATE TABLE schema_migrations (version TEXT PRIMARY KEY); INSERT INTO schema_migrations VALUES ('1')",
      );
      await assertRefused(schema.url, 'FOREIGN_DATABASE', /schema_migrations/, /not created by fleetca/);
      assert.deepEqual(await relationsOf(schema.name), ['schema_migrations', 'schema_migrations_pkey']);
    }));

  test('a schema newer than this code is refused and left untouched', () =>
    withSchema(async (schema) => {
      await schema.open({ changeFeed: false });
      await schema.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)");
      const relations = await relationsOf(schema.name);
      const recorded = await appliedMigrations(schema);
      await assertRefused(
        schema.url,
        'SCHEMA_TOO_NEW',
        /schema version 999/,
        new RegExp(`version ${LATEST_SCHEMA_VERSION} this fleetca supports`),
      );
      assert.deepEqual(await relationsOf(schema.name), relations);
      assert.deepEqual(await appliedMigrations(schema), recorded);
    }));

  test('a schema whose recorded migrations differ from the known ones is refused and left untouched', () =>
    withSchema(async (schema) => {
      await schema.open({ changeFeed: false });
      await schema.query("UPDATE schema_migrations SET name = 'renamed' WHERE version = 1");
      const recorded = await appliedMigrations(schema);
      await assertRefused(schema.url, 'SCHEMA_MISMATCH', /'renamed'/);
      assert.deepEqual(await appliedMigrations(schema), recorded);
    }));

  test('later migrations are applied on top of an existing schema, once', () =>
    withSchema(async (schema) => {
      const db = await schema.openDatabase();
      const next: Migration = {
        version: LATEST_SCHEMA_VERSION + 1,
        name: 'probe',
        statements: ['CREATE TABLE probe (id TEXT NOT NULL PRIMARY KEY)'],
      };
      assert.deepEqual(await applyPgMigrations(db, [...MIGRATIONS, next]), [next.version]);
      assert.deepEqual(await applyPgMigrations(db, [...MIGRATIONS, next]), []);
      assert.ok((await relationsOf(schema.name)).includes('probe'));
      await assertRefused(schema.url, 'SCHEMA_TOO_NEW');
    }));

  test('a failing migration leaves no trace', () =>
    withSchema(async (schema) => {
      const db = unmigratedDatabase(schema.url);
      try {
        const broken: Migration = { version: 1, name: 'broken', statements: ['CREATE TABLE t (x TEXT)', 'NOT SQL'] };
        await assert.rejects(applyPgMigrations(db, [broken]), /syntax error/);
        assert.deepEqual(await relationsOf(schema.name), []);
      } finally {
        await db.close();
      }
      await schema.open({ changeFeed: false });
    }));

  test('only the first schema of the search_path is looked at and migrated', () =>
    withSchema(async (foreign) => {
      await foreign.query('CREATE TABLE notes (body TEXT)');
      await withSchema(async (mine) => {
        const url = urlWithSchema(POSTGRES_URL, `${mine.name},${foreign.name}`);
        const registry = await openPostgresRegistry(url, { changeFeed: false });
        try {
          await registry.certificates.insertCertificate(makeRecord('first-schema'));
        } finally {
          await registry.close();
        }
        assert.equal((await mine.query('SELECT 1 FROM certificates')).length, 1);
        assert.deepEqual(await relationsOf(foreign.name), ['notes']);
      });
    }));

  test('a search_path naming no existing schema is refused with OPEN_FAILED', async () => {
    const url = urlWithSchema(POSTGRES_URL, 'fleetca_t_does_not_exist');
    await assertRefused(url, 'OPEN_FAILED', /search_path names no existing schema/);
  });
});
