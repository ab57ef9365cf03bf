/**
 * Fills a SQLite registry (already created and migrated by fleetca's own openSqliteRegistry) with the synthetic
 * certificates: one prepared INSERT, large transactions, every index kept — it is a real registry afterwards.
 */

import Database from 'better-sqlite3';
import { CERTIFICATE_COLUMNS } from '../../src/registry/certificate-row.js';
import type { LoadTimes } from './load-times.js';
import type { SyntheticRegistry } from './synthetic-registry.js';

const ROWS_PER_TRANSACTION = 50_000;
/**
 * 1 GiB of page cache for this connection only: certificate ids are random, so every insert lands on a random
 * page of the primary key and the by-id index, which SQLite's default 2 MB cache would keep re-reading.
 */
const LOADER_CACHE_KIB = 1_048_576;

export function loadSqlite(file: string, registry: SyntheticRegistry, onProgress: (rows: number) => void): LoadTimes {
  const db = new Database(file);
  try {
    const started = performance.now();
    db.pragma(`cache_size = -${LOADER_CACHE_KIB}`);
    const insert = db.prepare(
      `INSERT INTO certificates (${CERTIFICATE_COLUMNS.join(', ')}) VALUES (${CERTIFICATE_COLUMNS.map(() => '?').join(', ')})`,
    );
    const insertRange = db.transaction((from: number, to: number) => {
      for (let index = from; index < to; index++) {
        const row = registry.row(index);
        insert.run(CERTIFICATE_COLUMNS.map((column) => row[column]));
      }
    });
    for (let from = 0; from < registry.rows; from += ROWS_PER_TRANSACTION) {
      const to = Math.min(registry.rows, from + ROWS_PER_TRANSACTION);
      insertRange(from, to);
      onProgress(to);
    }
    const inserted = performance.now();
    // Everything into the main file, the WAL emptied: the sizes measured next are the registry's own.
    db.pragma('wal_checkpoint(TRUNCATE)');
    return { insertSeconds: (inserted - started) / 1000, settleSeconds: (performance.now() - inserted) / 1000 };
  } finally {
    db.close();
  }
}
