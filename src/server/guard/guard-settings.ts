import { type OpenFileLimit, openFileLimit } from './open-file-limit.js';

/**
 * How the listeners defend themselves against clients that connect and then do nothing (or too little).
 * A connection is *pending* from TCP accept until it proves it is a client: REST — its first request arrived;
 * device door — its CONNECT was admitted. Pending connections are cheap to make and expensive to hold (a socket,
 * a file descriptor, TLS state), so they get short deadlines and a bounded pool of their own.
 */
export interface ConnectionGuardSettings {
  /** From TCP accept to the end of the TLS handshake (TLS doors only). */
  readonly handshakeTimeoutMs: number;
  /** From TCP accept (plain REST) or the end of the handshake (TLS) to the first request / an admitted CONNECT. */
  readonly firstRequestTimeoutMs: number;
  /** Open connections of both doors together, pending and established; beyond it new ones are refused. */
  readonly maxConnections: number;
  /** Pending connections of both doors together; a new one evicts the oldest when the pool is full. */
  readonly maxPending: number;
  /** Pending connections from one source address; a new one evicts that address's oldest. */
  readonly maxPendingPerAddress: number;
}

export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;
export const DEFAULT_FIRST_REQUEST_TIMEOUT_MS = 10_000;

/**
 * File descriptors kept back from connections for everything else the process opens: the registry (SQLite
 * file, WAL, shared memory, or PostgreSQL pool), its change feed, logs, worker threads' pipes, epoll. 5 % of
 * the limit, at least 256, at most 4096.
 */
export function fileDescriptorReserve(limit: number): number {
  return Math.min(4096, Math.max(256, Math.ceil(limit * 0.05)));
}

/**
 * Defaults derived from the open-file limit: every connection may be open until only the reserve is left;
 * at most a quarter of them pending, so that a flood of idle connections leaves three quarters to admitted
 * devices and API callers; one address at most an eighth of the pending pool, so that one flooding host
 * cannot by itself push everyone else's handshakes out.
 */
export function guardSettings(
  given: Partial<ConnectionGuardSettings> = {},
  limit: OpenFileLimit = openFileLimit(),
): ConnectionGuardSettings {
  const maxConnections = given.maxConnections ?? Math.max(64, limit.files - fileDescriptorReserve(limit.files));
  const maxPending = given.maxPending ?? Math.max(16, Math.floor(maxConnections / 4));
  const maxPendingPerAddress = given.maxPendingPerAddress ?? Math.max(8, Math.floor(maxPending / 8));
  return {
    handshakeTimeoutMs: given.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
    firstRequestTimeoutMs: given.firstRequestTimeoutMs ?? DEFAULT_FIRST_REQUEST_TIMEOUT_MS,
    maxConnections,
    maxPending: Math.min(maxPending, maxConnections),
    maxPendingPerAddress: Math.min(maxPendingPerAddress, maxPending, maxConnections),
  };
}

/**
 * Connections the kernel queues for accept (capped by net.core.somaxconn). Node's default, 511, overflows in a
 * burst of connects, and a dropped SYN costs its client a 1 s, then 3 s, then 7 s retransmission: a legitimate
 * client caught in a flood's burst waits seconds. Accepting is cheap; the guard sheds what it must once accepted.
 */
export const LISTEN_BACKLOG = 4096;
