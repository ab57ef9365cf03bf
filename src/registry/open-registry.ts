import type { Registry } from './registry.js';
import type { SqliteFileOptions } from './sqlite/sqlite-file.js';
import type { StoreError } from './store-error.js';
import type { StoreLocation } from './store-location.js';

export interface OpenRegistryOptions {
  /**
   * How long to keep trying while a database server is unreachable (epoch ms); absent: one attempt.
   * Infinity for a server that must come up whenever the database does.
   */
  readonly connectDeadline?: number;
  /** Hears each failed attempt and the pause before the next (the operator's log). */
  readonly onConnectRetry?: (error: StoreError, delayMs: number, attempt: number) => void;
  /**
   * Listen for other processes' changes (PostgreSQL: a LISTEN connection; SQLite: a 100 ms poll of the file's
   * change log): a long-running server does, a one-shot command need not hold a connection or a timer for it.
   */
  readonly watchChanges?: boolean;
  /** Hears the change feed losing its connection (PostgreSQL) or failing to poll (SQLite). */
  readonly onFeedDisconnect?: (error: unknown, retryInMs: number) => void;
  /**
   * Import every store's code now (a long-running server, whose first requests should not pay for it); otherwise
   * a store's code may be imported on its first use, so a one-shot command loads only the stores it uses.
   */
  readonly preloadStores?: boolean;
  /** SQLite: whether a missing file may be made (default yes), and who hears that it was. */
  readonly sqliteFile?: SqliteFileOptions;
}

/** Opens the registry wherever it lives; PostgreSQL's driver is loaded only when it is used. */
export async function openRegistry(location: StoreLocation, options: OpenRegistryOptions = {}): Promise<Registry> {
  if (location.engine === 'sqlite') {
    const { openSqliteRegistry } = await import('./sqlite/sqlite-registry.js');
    return openSqliteRegistry(location.file, {
      watchChanges: options.watchChanges === true,
      onWatchError: options.onFeedDisconnect,
      preloadStores: options.preloadStores === true,
      ...options.sqliteFile,
    });
  }
  const { openPostgresRegistry } = await import('./postgres/pg-registry.js');
  return openPostgresRegistry(location.url, {
    connect: { deadline: options.connectDeadline, onRetry: options.onConnectRetry },
    changeFeed: options.watchChanges === true,
    onFeedDisconnect: options.onFeedDisconnect,
  });
}
