/** The two stores the scale benchmark fills: where each lives, how to open it, how `fleetca serve` is pointed at it. */

import pg from 'pg';
import { openPostgresRegistry } from '../../src/registry/postgres/pg-registry.js';
import type { Registry } from '../../src/registry/registry.js';
import { openSqliteRegistry } from '../../src/registry/sqlite/sqlite-registry.js';

/** What the bench's PostgreSQL sessions, fleetca serve's included, call themselves in pg_stat_activity. */
export const BENCH_APPLICATION_NAME = 'fleetca-bench-scale';

export type StoreKind = 'sqlite' | 'postgres';
export const STORE_KINDS: readonly StoreKind[] = ['sqlite', 'postgres'];

export const STORE_NAMES: Readonly<Record<StoreKind, string>> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

export type StoreTarget =
  | { readonly kind: 'sqlite'; readonly file: string }
  | {
      readonly kind: 'postgres';
      /** The database's URL as given, without the bench schema. */
      readonly baseUrl: string;
      readonly schema: string;
      /** baseUrl with `options=-c search_path=<schema>` and an application_name: what the loader and `fleetca serve --store` use. */
      readonly url: string;
    };

/** A PostgreSQL URL whose sessions use `schema` (libpq's `options` parameter, which node-postgres passes on too). */
export function postgresTarget(baseUrl: string, schema: string): StoreTarget {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`schema name ${schema} is not a plain identifier`);
  // By hand, not with URL: for a postgres: URL (not a "special" scheme) it has no usable origin to rebuild from.
  const queryAt = baseUrl.indexOf('?');
  const path = queryAt < 0 ? baseUrl : baseUrl.slice(0, queryAt);
  const params = queryAt < 0 ? [] : baseUrl.slice(queryAt + 1).split('&');
  const kept = params.filter((p) => p !== '' && !p.startsWith('options=') && !p.startsWith('application_name='));
  // %20, not '+': libpq does not read '+' as a space. The application name finds fleetca's backends (their CPU).
  kept.push(`options=-c%20search_path%3D${schema}`, `application_name=${BENCH_APPLICATION_NAME}`);
  return { kind: 'postgres', baseUrl, schema, url: `${path}?${kept.join('&')}` };
}

/** Arguments that point `fleetca serve` at the store (SQLite: none, the data directory's registry.db is the default). */
export function serveStoreArgs(target: StoreTarget): string[] {
  return target.kind === 'sqlite' ? [] : ['--store', target.url];
}

/** Opens (creating and migrating) the store through fleetca's own adapter. */
export async function openStoreRegistry(target: StoreTarget): Promise<Registry> {
  if (target.kind === 'sqlite') return openSqliteRegistry(target.file);
  // The loader only creates an account: no use for the change feed's listening connection.
  return openPostgresRegistry(target.url, { changeFeed: false });
}

type PostgresTarget = Extract<StoreTarget, { kind: 'postgres' }>;

async function onDatabase(target: PostgresTarget, statements: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: target.baseUrl });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Drops the bench schema with everything in it and creates it empty: each load starts from nothing. */
export function resetPostgresSchema(target: PostgresTarget): Promise<void> {
  return onDatabase(target, [`DROP SCHEMA IF EXISTS ${target.schema} CASCADE`, `CREATE SCHEMA ${target.schema}`]);
}

/** The gigabytes of a finished run are not left in the shared database. */
export function dropPostgresSchema(target: PostgresTarget): Promise<void> {
  return onDatabase(target, [`DROP SCHEMA IF EXISTS ${target.schema} CASCADE`]);
}
