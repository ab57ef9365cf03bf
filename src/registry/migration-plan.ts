import { MIGRATIONS_TABLE, type Migration } from './migrations.js';
import { StoreError } from './store-error.js';

/** A row of schema_migrations. */
export interface AppliedMigration {
  readonly version: number;
  readonly name: string;
}

/** What a store found in a database before migrating it. */
export type SchemaState =
  /** No schema_migrations table; `tables` lists the user tables that exist anyway. */
  | { readonly kind: 'unmanaged'; readonly tables: readonly string[] }
  /** A schema_migrations table exists but does not have fleetca's columns. */
  | { readonly kind: 'unreadable'; readonly reason: string }
  | { readonly kind: 'managed'; readonly applied: readonly AppliedMigration[] };

/**
 * Decides which migrations a database still needs, or refuses it. Store-neutral: every SQL
 * store inspects its database into a SchemaState and calls this inside its migrating transaction.
 * `where` names the database in messages (a file path, a connection string without secrets).
 */
export function planMigrations(state: SchemaState, known: readonly Migration[], where: string): readonly Migration[] {
  if (state.kind === 'unreadable') {
    throw new StoreError(
      'FOREIGN_DATABASE',
      `${where} is not a fleetca registry: its ${MIGRATIONS_TABLE} table was not created by fleetca (${state.reason}); point --store or FLEETCA_HOME at fleetca's registry`,
    );
  }
  if (state.kind === 'unmanaged') {
    if (state.tables.length > 0) {
      throw new StoreError(
        'FOREIGN_DATABASE',
        `${where} is not a fleetca registry: it has tables (${state.tables.join(', ')}) but no ${MIGRATIONS_TABLE}; point --store or FLEETCA_HOME at fleetca's registry`,
      );
    }
    return known;
  }
  const latest = known[known.length - 1]?.version ?? 0;
  const newest = state.applied.reduce((max, m) => Math.max(max, m.version), 0);
  if (newest > latest) {
    throw new StoreError(
      'SCHEMA_TOO_NEW',
      `${where} has registry schema version ${newest}, newer than the version ${latest} this fleetca supports; upgrade fleetca`,
    );
  }
  const byVersion = new Map(state.applied.map((m) => [m.version, m.name]));
  for (const migration of known) {
    if (migration.version > newest) break;
    const recorded = byVersion.get(migration.version);
    if (recorded === undefined) {
      // Migrations are linear: a hole below the newest version means the schema was edited by hand.
      throw new StoreError(
        'SCHEMA_MISMATCH',
        `${where} records schema version ${newest} but not version ${migration.version} (${migration.name})`,
      );
    }
    if (recorded !== migration.name) {
      throw new StoreError(
        'SCHEMA_MISMATCH',
        `${where} records schema version ${migration.version} as '${recorded}', but fleetca knows it as '${migration.name}'`,
      );
    }
  }
  return known.filter((m) => m.version > newest);
}
