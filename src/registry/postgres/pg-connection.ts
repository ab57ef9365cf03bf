import pg from 'pg';
import { StoreError } from '../store-error.js';

/** Connections a registry's pool holds at most, unless told otherwise. */
export const DEFAULT_POOL_SIZE = 10;

/** How long opening one connection (or waiting for a free one in the pool) may take before it counts as a failure. */
const CONNECT_TIMEOUT_MS = 5000;
/** An idle pooled connection is closed after this long, so a quiet server does not hold sessions forever. */
const IDLE_TIMEOUT_MS = 30_000;
/** TCP keep-alive probes notice a peer that vanished without closing (a failed-over server, a dropped NAT entry). */
const KEEPALIVE_DELAY_MS = 10_000;

const POSTGRES_URL = /^postgres(?:ql)?:\/\//i;

export interface PgPoolOptions {
  /** Largest number of connections; DEFAULT_POOL_SIZE when absent. */
  readonly poolSize?: number;
}

/**
 * The URL as it may be shown: a password (in the userinfo or as a `password` parameter) becomes `***`.
 * Every message about a PostgreSQL registry names it this way, never by the URL it was given.
 */
export function describePgUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not parseable, so its parts are unknown: keep the scheme and hide everything up to the host.
    return url.replace(/^([a-z]+:\/\/)[^@/?#]*@/i, '$1***@').replace(/(password=)[^&#]*/gi, '$1***');
  }
  if (parsed.password !== '') parsed.password = '***';
  for (const name of [...parsed.searchParams.keys()]) {
    if (/password/i.test(name)) parsed.searchParams.set(name, '***');
  }
  return parsed.toString();
}

/**
 * The pool settings for a `postgres://` / `postgresql://` URL. The URL's own parameters win (node-postgres
 * merges them over these), including libpq's `options=-c search_path=...`, which picks the schema.
 */
export function pgPoolConfig(url: string, options: PgPoolOptions = {}): pg.PoolConfig {
  if (!POSTGRES_URL.test(url)) {
    throw new StoreError('OPEN_FAILED', `${describePgUrl(url)} is not a postgres:// or postgresql:// URL`);
  }
  const max = options.poolSize ?? DEFAULT_POOL_SIZE;
  if (!Number.isSafeInteger(max) || max < 1) throw new RangeError(`pool size must be a positive integer, got ${max}`);
  return {
    connectionString: url,
    application_name: 'fleetca',
    max,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: IDLE_TIMEOUT_MS,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
  };
}

/**
 * A pool on `config`. An idle client that dies (the server restarted, an administrator terminated it)
 * makes the pool emit 'error'; the pool has already dropped that client and the next request opens a
 * fresh one, so the event is only reported, never left unhandled (which would end the process).
 */
export function createPgPool(config: pg.PoolConfig, onIdleError: (error: Error) => void = () => {}): pg.Pool {
  const pool = new pg.Pool(config);
  pool.on('error', (error) => onIdleError(error));
  return pool;
}
