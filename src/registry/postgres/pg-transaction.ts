import { createHash } from 'node:crypto';
import type pg from 'pg';
import { isConnectionFailure, translatePgError } from './pg-errors.js';

/** What a store runs its statements on: a pooled client, inside or outside a transaction. */
export interface PgQueryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: readonly unknown[],
  ): Promise<pg.QueryResult<R>>;
  /** Rows as arrays (`rowMode: 'array'`), for the reads that return many rows. */
  queryArrays<R extends readonly unknown[]>(text: string, values?: readonly unknown[]): Promise<R[]>;
}

/**
 * A statement with parameters as a named (prepared) statement: each connection parses and plans it once, not
 * on every call, which is a quarter of a primary-key lookup's time. The stores' statements are a fixed set of
 * texts, so the names (a hash of the text) stay few per connection.
 */
function prepared(text: string, values: readonly unknown[] | undefined): pg.QueryConfig {
  if (values === undefined || values.length === 0) return { text };
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `fleetca_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return { name, text, values: values as unknown[] };
}

const statementNames = new Map<string, string>();

/** Runs statements on `client` as prepared statements. */
function preparing(client: pg.PoolClient): PgQueryable {
  return {
    query: <R extends pg.QueryResultRow>(text: string, values?: readonly unknown[]) =>
      client.query<R>(prepared(text, values)),
    queryArrays: async <R extends readonly unknown[]>(text: string, values?: readonly unknown[]) =>
      (await client.query({ ...prepared(text, values), rowMode: 'array' })).rows as unknown as R[],
  };
}

/** A client checked out of the pool, and whether it must be destroyed rather than reused. */
interface Session {
  readonly client: pg.PoolClient;
  broken: Error | undefined;
}

/**
 * Runs `work` on a client of `pool` and gives the client back: to the pool when it is sound, destroyed
 * (`release(error)`) when its connection failed. Errors leave through translatePgError, so a lost
 * server is a StoreError UNAVAILABLE naming `where`; anything else (a rule's error) passes untouched.
 */
async function withSession<T>(pool: pg.Pool, where: string, work: (session: Session) => Promise<T>): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw translatePgError(error, where);
  }
  const session: Session = { client, broken: undefined };
  // The connection may die between two statements, when no query is there to receive the error: the
  // client then emits 'error', which must have a listener or it would end the process.
  const onError = (error: Error) => {
    session.broken ??= error;
  };
  client.on('error', onError);
  try {
    return await work(session);
  } catch (error) {
    if (isConnectionFailure(error)) session.broken ??= error as Error;
    throw translatePgError(error, where);
  } finally {
    client.off('error', onError);
    client.release(session.broken);
  }
}

/** One statement on a pooled client, committed on its own (autocommit). */
export function queryOnce<R extends pg.QueryResultRow>(
  pool: pg.Pool,
  where: string,
  text: string,
  values?: readonly unknown[],
): Promise<pg.QueryResult<R>> {
  return withSession(pool, where, ({ client }) => client.query<R>(prepared(text, values)));
}

/**
 * One statement on a pooled client whose rows come back as arrays (`rowMode: 'array'`): no object with named
 * members per row, for the reads that return many rows.
 */
export async function queryArraysOnce<R extends readonly unknown[]>(
  pool: pg.Pool,
  where: string,
  text: string,
  values?: readonly unknown[],
): Promise<R[]> {
  return withSession(pool, where, ({ client }) => preparing(client).queryArrays<R>(text, values));
}

/**
 * Runs `work` between BEGIN and COMMIT on one pooled client; any throw rolls back, and the thrown
 * error reaches the caller as it was (driver errors translated, see withSession). NOTIFYs sent by
 * `work` are delivered only if COMMIT succeeds.
 */
export function inTransaction<T>(pool: pg.Pool, where: string, work: (tx: PgQueryable) => Promise<T>): Promise<T> {
  return withSession(pool, where, async (session) => {
    const { client } = session;
    // Explicit, whatever default_transaction_isolation says: the stores' row and advisory locks are designed
    // for READ COMMITTED, where each statement sees what committed before it (after any lock it waited for).
    await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
    let result: T;
    try {
      result = await work(preparing(client));
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // The session is in an unknown state (most likely its connection is gone): never reuse it. The
        // server rolls back a transaction whose connection ends.
        session.broken ??= rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      }
      throw error;
    }
    await client.query('COMMIT');
    return result;
  });
}
