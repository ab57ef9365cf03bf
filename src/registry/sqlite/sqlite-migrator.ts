import type Database from 'better-sqlite3';
import { type AppliedMigration, planMigrations, type SchemaState } from '../migration-plan.js';
import { MIGRATIONS, MIGRATIONS_TABLE, MIGRATIONS_TABLE_DDL, type Migration } from '../migrations.js';

/** Reads what the database holds, without writing to it. */
export function inspectSqliteSchema(db: Database.Database): SchemaState {
  const tables = db
    .prepare<[], string>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )
    .pluck()
    .all();
  if (!tables.includes(MIGRATIONS_TABLE)) return { kind: 'unmanaged', tables };
  try {
    const applied = db
      .prepare<[], AppliedMigration>(`SELECT version, name FROM ${MIGRATIONS_TABLE} ORDER BY version`)
      .all();
    return { kind: 'managed', applied };
  } catch (error) {
    // Another tool's schema_migrations (e.g. one with only a version column).
    return { kind: 'unreadable', reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Refuses a foreign or too-new database before anything is written to it, so that opening the
 * wrong file leaves it exactly as it was (not even switched to WAL).
 */
export function checkSqliteSchema(
  db: Database.Database,
  where: string,
  known: readonly Migration[] = MIGRATIONS,
): void {
  planMigrations(inspectSqliteSchema(db), known, where);
}

/**
 * Brings the schema up to date under BEGIN IMMEDIATE: the write lock is taken before the schema
 * is read, so processes opening a fresh file together serialize (busy_timeout makes the others
 * wait) and each later one finds the work done. Returns the versions it applied.
 */
export function applySqliteMigrations(
  db: Database.Database,
  where: string,
  known: readonly Migration[] = MIGRATIONS,
  now: () => number = Date.now,
): readonly number[] {
  const migrate = db.transaction((): readonly number[] => {
    const state = inspectSqliteSchema(db);
    const pending = planMigrations(state, known, where);
    if (pending.length === 0) return [];
    if (state.kind === 'unmanaged') db.exec(MIGRATIONS_TABLE_DDL);
    const record = db.prepare(`INSERT INTO ${MIGRATIONS_TABLE} (version, name, applied_at) VALUES (?, ?, ?)`);
    for (const migration of pending) {
      for (const statement of migration.statements) db.exec(statement);
      record.run(migration.version, migration.name, now());
    }
    return pending.map((m) => m.version);
  });
  return migrate.immediate();
}
