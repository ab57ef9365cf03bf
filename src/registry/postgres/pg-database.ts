import type pg from 'pg';
import { StoreError } from '../store-error.js';
import { type ConnectRetryOptions, retryWhileUnavailable } from './pg-connect-retry.js';
import { createPgPool, describePgUrl, type PgPoolOptions, pgPoolConfig } from './pg-connection.js';
import { applyPgMigrations } from './pg-migrator.js';
import { inTransaction, type PgQueryable, queryArraysOnce, queryOnce } from './pg-transaction.js';

/**
 * The connection pool the PostgreSQL stores share, with the redacted URL (`where`) that names the
 * database in every message. Statements run in the connection's search_path schema.
 */
export class PgDatabase {
  #closed = false;

  constructor(
    readonly pool: pg.Pool,
    readonly where: string,
    /** The settings the pool was made from; the change feed opens its own connection with them. */
    readonly config: pg.PoolConfig,
  ) {}

  /** One statement, committed on its own. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: readonly unknown[],
  ): Promise<pg.QueryResult<R>> {
    return queryOnce<R>(this.pool, this.where, text, values);
  }

  /** One statement, committed on its own, its rows as arrays (see queryArraysOnce). */
  queryArrays<R extends readonly unknown[]>(text: string, values?: readonly unknown[]): Promise<R[]> {
    return queryArraysOnce<R>(this.pool, this.where, text, values);
  }

  /** `work` in one transaction on one connection; see inTransaction. */
  transaction<T>(work: (tx: PgQueryable) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, this.where, work);
  }

  /** Ends every pooled connection; idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.pool.end();
  }
}

export interface PgOpenOptions extends PgPoolOptions {
  readonly connect?: ConnectRetryOptions;
}

/**
 * Connects to the database at `url` and migrates its search_path schema, retrying while the server is
 * unavailable (see retryWhileUnavailable). Refusals (credentials, unknown database, foreign or too-new
 * schema) are StoreErrors naming the redacted URL, and leave nothing open.
 */
export async function openPgDatabase(url: string, options: PgOpenOptions = {}): Promise<PgDatabase> {
  const where = describePgUrl(url);
  const config = pgPoolConfig(url, options);
  const db = new PgDatabase(createPgPool(config), where, config);
  try {
    await retryWhileUnavailable(() => applyPgMigrations(db), options.connect);
    return db;
  } catch (error) {
    await db.close().catch(() => {});
    if (error instanceof StoreError) throw error;
    // A URL the driver cannot use (bad TLS files, malformed parts): its messages never quote the URL.
    const message = error instanceof Error ? error.message : String(error);
    throw new StoreError('OPEN_FAILED', `cannot open registry ${where}: ${message}`, { cause: error });
  }
}
