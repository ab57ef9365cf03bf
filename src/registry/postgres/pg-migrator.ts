import { type AppliedMigration, planMigrations, type SchemaState } from '../migration-plan.js';
import { MIGRATIONS, MIGRATIONS_TABLE, MIGRATIONS_TABLE_DDL, type Migration } from '../migrations.js';
import { StoreError } from '../store-error.js';
import type { PgDatabase } from './pg-database.js';
import type { PgQueryable } from './pg-transaction.js';

/**
 * The advisory lock every fleetca migration takes first: the bytes of "fleetcaM" as a signed 64-bit
 * integer. Fixed, so that replicas starting together on a fresh database (whatever their schema) take
 * turns, and each later one re-reads the schema after the first has committed and finds nothing to do.
 */
export const MIGRATION_LOCK_KEY = '7380385375772172621';

/** Column types under which a schema_migrations table can be fleetca's own. */
const VERSION_TYPES = new Set(['integer', 'bigint', 'smallint']);
const NAME_TYPES = new Set(['text', 'character varying']);

/** A schema name as a quoted SQL identifier. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The schema unqualified names are created in: the first existing schema of the session's search_path. */
export async function currentSchema(db: PgQueryable, where: string): Promise<string> {
  const { rows } = await db.query<{ schema: string | null }>('SELECT current_schema() AS schema');
  const schema = rows[0]?.schema;
  if (schema === null || schema === undefined) {
    throw new StoreError(
      'OPEN_FAILED',
      `cannot open registry ${where}: its search_path names no existing schema to keep the registry in`,
    );
  }
  return schema;
}

/** Reads what `schema` holds, without writing to it. Only that schema is looked at, never the rest of the path. */
export async function inspectPgSchema(db: PgQueryable, schema: string): Promise<SchemaState> {
  // Every relation but indexes, sequences and composite types: a schema holding only views is not empty either.
  const relations = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
      ORDER BY c.relname`,
    [schema],
  );
  const tables = relations.rows.map((row) => row.name);
  if (!tables.includes(MIGRATIONS_TABLE)) return { kind: 'unmanaged', tables };
  // Checked from the catalog rather than by a failing SELECT, which would abort the migrating transaction.
  const columns = await db.query<{ column_name: string; data_type: string }>(
    `SELECT column_name, data_type FROM information_schema.columns
      WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
    [schema, MIGRATIONS_TABLE],
  );
  const typeOf = new Map(columns.rows.map((row) => [row.column_name, row.data_type]));
  const version = typeOf.get('version');
  const name = typeOf.get('name');
  if (version === undefined || name === undefined || !VERSION_TYPES.has(version) || !NAME_TYPES.has(name)) {
    const found = columns.rows.map((row) => `${row.column_name} ${row.data_type}`).join(', ');
    return { kind: 'unreadable', reason: `expected integer version and text name columns, found ${found}` };
  }
  const applied = await db.query<{ version: number | string; name: string }>(
    `SELECT version, name FROM ${quoteIdentifier(schema)}.${MIGRATIONS_TABLE} ORDER BY version`,
  );
  return {
    kind: 'managed',
    applied: applied.rows.map((row): AppliedMigration => ({ version: Number(row.version), name: row.name })),
  };
}

/**
 * Brings the connection's current schema up to date in one transaction that first takes
 * MIGRATION_LOCK_KEY, then inspects, plans (refusing foreign, too-new and mismatched schemas before
 * anything is written) and applies. Returns the versions it applied.
 */
export function applyPgMigrations(
  db: PgDatabase,
  known: readonly Migration[] = MIGRATIONS,
  now: () => number = Date.now,
): Promise<readonly number[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    const schema = await currentSchema(tx, db.where);
    const state = await inspectPgSchema(tx, schema);
    const pending = planMigrations(state, known, db.where);
    if (pending.length === 0) return [];
    // Unqualified DDL lands in current_schema(), the schema just inspected.
    if (state.kind === 'unmanaged') await tx.query(MIGRATIONS_TABLE_DDL);
    for (const migration of pending) {
      for (const statement of migration.statements) await tx.query(statement);
      await tx.query(
        `INSERT INTO ${quoteIdentifier(schema)}.${MIGRATIONS_TABLE} (version, name, applied_at) VALUES ($1, $2, $3)`,
        [migration.version, migration.name, now()],
      );
    }
    return pending.map((m) => m.version);
  });
}
