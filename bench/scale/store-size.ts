/**
 * How much room a loaded store takes, in total and per table and index. SQLite: the file and its WAL after a
 * checkpoint, split by SQLite's dbstat table. PostgreSQL: pg_total_relation_size of every table in the bench
 * schema (heap, TOAST, free-space and visibility maps, indexes), split into heap and each index.
 */

import { stat } from 'node:fs/promises';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { StoreTarget } from './stores.js';

export interface TableSize {
  readonly table: string;
  /** The table's own pages (PostgreSQL: with TOAST and maps). */
  readonly dataBytes: number;
  readonly indexes: readonly { readonly name: string; readonly bytes: number }[];
}

export interface StoreSize {
  readonly totalBytes: number;
  readonly tables: readonly TableSize[];
  /** What the total is made of, in words (files for SQLite). */
  readonly detail: string;
}

export function indexBytes(table: TableSize): number {
  return table.indexes.reduce((sum, index) => sum + index.bytes, 0);
}

export async function measureStoreSize(target: StoreTarget): Promise<StoreSize> {
  return target.kind === 'sqlite' ? sqliteSize(target.file) : postgresSize(target.url, target.schema);
}

async function fileBytes(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
}

async function sqliteSize(file: string): Promise<StoreSize> {
  const db = new Database(file);
  let rows: { name: string; type: string; tbl_name: string; bytes: number }[];
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    rows = db
      .prepare(
        `SELECT s.name AS name, m.type AS type, m.tbl_name AS tbl_name, SUM(s.pgsize) AS bytes
           FROM dbstat s JOIN sqlite_schema m ON m.name = s.name GROUP BY s.name`,
      )
      .all() as typeof rows;
  } finally {
    db.close();
  }
  const main = await fileBytes(file);
  const wal = await fileBytes(`${file}-wal`);
  const tables = new Map<string, { dataBytes: number; indexes: { name: string; bytes: number }[] }>();
  const entry = (table: string) => {
    const found = tables.get(table) ?? { dataBytes: 0, indexes: [] };
    tables.set(table, found);
    return found;
  };
  for (const row of rows) {
    if (row.type === 'table') entry(row.tbl_name).dataBytes += row.bytes;
    else entry(row.tbl_name).indexes.push({ name: row.name, bytes: row.bytes });
  }
  return {
    totalBytes: main + wal,
    tables: [...tables].map(([table, size]) => ({ table, ...size })).sort(bySize),
    detail: `registry.db ${formatBytes(main)} + registry.db-wal ${formatBytes(wal)} after wal_checkpoint(TRUNCATE)`,
  };
}

async function postgresSize(url: string, schema: string): Promise<StoreSize> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ table: string; data: string }>(
      `SELECT c.relname AS table, pg_table_size(c.oid) AS data
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind = 'r'`,
      [schema],
    );
    const indexes = await client.query<{ table: string; name: string; bytes: string }>(
      `SELECT t.relname AS table, i.relname AS name, pg_relation_size(i.oid) AS bytes
         FROM pg_index x
         JOIN pg_class i ON i.oid = x.indexrelid
         JOIN pg_class t ON t.oid = x.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = $1`,
      [schema],
    );
    const total = await client.query<{ bytes: string }>(
      `SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) AS bytes
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind = 'r'`,
      [schema],
    );
    const sized: TableSize[] = tables.rows.map((row) => ({
      table: row.table,
      dataBytes: Number(row.data),
      indexes: indexes.rows
        .filter((index) => index.table === row.table)
        .map((index) => ({ name: index.name, bytes: Number(index.bytes) })),
    }));
    return {
      totalBytes: Number(total.rows[0]?.bytes ?? 0),
      tables: sized.sort(bySize),
      detail: `sum of pg_total_relation_size over the tables of schema ${schema}`,
    };
  } finally {
    await client.end();
  }
}

function bySize(a: TableSize, b: TableSize): number {
  return b.dataBytes + indexBytes(b) - (a.dataBytes + indexBytes(a));
}

/** 1.23 GiB, 456 MiB, 8.0 KiB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0
    ? `${value} B`
    : `${value >= 100 ? Math.round(value) : value.toFixed(value >= 10 ? 1 : 2)} ${units[unit]}`;
}
