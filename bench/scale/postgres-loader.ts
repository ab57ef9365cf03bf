/**
 * Fills a PostgreSQL registry (created and migrated by fleetca's own adapter) with the synthetic certificates:
 * multi-row INSERT ... SELECT FROM unnest(arrays), a few batches in flight on their own connections, every index
 * kept. Then VACUUM (ANALYZE) and a CHECKPOINT, so the measurements meet the steady state autovacuum would reach
 * (visibility map set, planner statistics) and no write-back of the load.
 */

import pg from 'pg';
import { CERTIFICATE_COLUMNS } from '../../src/registry/certificate-row.js';
import type { LoadTimes } from './load-times.js';
import type { SyntheticRegistry } from './synthetic-registry.js';

const ROWS_PER_BATCH = 4_000;
const BATCHES_IN_FLIGHT = 3;

/** The SQL type of each column, as migrations.ts declares it. */
const COLUMN_TYPES: Readonly<Record<(typeof CERTIFICATE_COLUMNS)[number], string>> = {
  account_id: 'text',
  region: 'text',
  certificate_id: 'text',
  status: 'text',
  certificate_pem: 'text',
  ca_certificate_id: 'text',
  owned_by: 'text',
  previous_owned_by: 'text',
  creation_date: 'bigint',
  last_modified_date: 'bigint',
  customer_version: 'integer',
  generation_id: 'text',
  not_before: 'bigint',
  not_after: 'bigint',
  certificate_mode: 'text',
  issuer_key_id: 'text',
  serial_number: 'text',
  revocation_reason: 'integer',
};

const INSERT = `INSERT INTO certificates (${CERTIFICATE_COLUMNS.join(', ')})
  SELECT * FROM unnest(${CERTIFICATE_COLUMNS.map((column, i) => `$${i + 1}::${COLUMN_TYPES[column]}[]`).join(', ')})`;

/** Column-wise arrays of rows [from, to): one query parameter per column. */
function batch(registry: SyntheticRegistry, from: number, to: number): unknown[][] {
  const columns = CERTIFICATE_COLUMNS.map(() => [] as unknown[]);
  for (let index = from; index < to; index++) {
    const row = registry.row(index);
    for (const [i, column] of CERTIFICATE_COLUMNS.entries()) columns[i]?.push(row[column]);
  }
  return columns;
}

export async function loadPostgres(
  url: string,
  registry: SyntheticRegistry,
  onProgress: (rows: number) => void,
): Promise<LoadTimes> {
  const pool = new pg.Pool({ connectionString: url, max: BATCHES_IN_FLIGHT });
  try {
    const started = performance.now();
    const inFlight = new Set<Promise<void>>();
    let loaded = 0;
    let failure: unknown;
    for (let from = 0; from < registry.rows && failure === undefined; from += ROWS_PER_BATCH) {
      const to = Math.min(registry.rows, from + ROWS_PER_BATCH);
      // The next batch is built while the previous ones are being inserted.
      const params = batch(registry, from, to);
      const done: Promise<void> = pool
        .query(INSERT, params)
        .then(
          () => {
            loaded += to - from;
            onProgress(loaded);
          },
          (error: unknown) => {
            failure ??= error;
          },
        )
        .finally(() => inFlight.delete(done));
      inFlight.add(done);
      if (inFlight.size >= BATCHES_IN_FLIGHT) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    if (failure !== undefined) throw failure;
    const inserted = performance.now();
    await pool.query('VACUUM (ANALYZE) certificates');
    await pool.query('CHECKPOINT');
    return { insertSeconds: (inserted - started) / 1000, settleSeconds: (performance.now() - inserted) / 1000 };
  } finally {
    await pool.end();
  }
}
