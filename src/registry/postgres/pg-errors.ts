import pg from 'pg';
import { StoreError } from '../store-error.js';

/** SQLSTATEs meaning the server is going away, not there yet, or full: worth trying again later. */
const UNAVAILABLE_STATES = new Set([
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, in recovery)
  '53300', // too_many_connections
]);

/** SQLSTATEs that no retry will fix: wrong credentials or a database that does not exist. */
const REFUSED_STATES = new Set([
  '28P01', // invalid_password
  '28000', // invalid_authorization_specification
  '3D000', // invalid_catalog_name
]);

/** Node socket errors on the way to the server. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** What node-postgres and its pool say, as plain Errors, when a connection breaks or cannot be had in time. */
const DRIVER_CONNECTION_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Client has encountered a connection error and is not queryable/,
];

/** The SQLSTATE of a server error, undefined for anything else. */
export function sqlStateOf(error: unknown): string | undefined {
  return error instanceof pg.DatabaseError ? error.code : undefined;
}

/** A unique or primary key violation. */
export function isUniqueViolation(error: unknown): boolean {
  return sqlStateOf(error) === '23505';
}

/** A foreign key violation (the referenced row is gone). */
export function isForeignKeyViolation(error: unknown): boolean {
  return sqlStateOf(error) === '23503';
}

/** True when `error` says the server cannot be reached or is not serving now: a transient failure. */
export function isConnectionFailure(error: unknown): boolean {
  const state = sqlStateOf(error);
  if (state !== undefined) return state.startsWith('08') || UNAVAILABLE_STATES.has(state);
  if (!(error instanceof Error)) return false;
  // Node reports a host with several addresses as an AggregateError of one failure per address.
  if (error instanceof AggregateError && error.errors.some(isConnectionFailure)) return true;
  const code = (error as NodeJS.ErrnoException).code;
  // Only system errors carry a syscall: a rule's own error with such a code is not mistaken for one.
  if (typeof code === 'string' && SOCKET_CODES.has(code) && 'syscall' in error) return true;
  return error.constructor === Error && DRIVER_CONNECTION_MESSAGES.some((pattern) => pattern.test(error.message));
}

/**
 * Driver errors as StoreErrors: a lost or unreachable server is UNAVAILABLE, wrong credentials or an
 * unknown database OPEN_FAILED, both naming `where` (the redacted URL). Anything else, a rule's own error
 * included, comes back untouched, for the caller to recognise (isUniqueViolation, ...) or pass on.
 */
export function translatePgError(error: unknown, where: string): unknown {
  if (error instanceof StoreError) return error;
  if (isConnectionFailure(error)) {
    return new StoreError('UNAVAILABLE', `PostgreSQL registry ${where} is unavailable: ${messageOf(error)}`, {
      cause: error,
    });
  }
  const state = sqlStateOf(error);
  if (state !== undefined && REFUSED_STATES.has(state)) {
    return new StoreError('OPEN_FAILED', `cannot open registry ${where}: ${messageOf(error)}`, { cause: error });
  }
  return error;
}

function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.message === '') {
    return error.errors.map(messageOf).join('; ');
  }
  return error instanceof Error ? error.message : String(error);
}
