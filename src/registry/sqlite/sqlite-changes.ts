import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { ChangeHub, type RegistryChange } from '../registry-changes.js';
import { SqliteChangeLog } from './sqlite-change-log.js';

export interface SqliteChangesOptions {
  /**
   * Hear other processes' changes on the file (a long-running server); without it no timer runs, so a
   * one-shot command exits as soon as it is done, and only this process's changes are heard.
   */
  readonly watchChanges?: boolean;
  /** How often the watcher polls (tests). */
  readonly pollIntervalMs?: number;
  /** Hears the first of a run of failed polls, and when the next is due. */
  readonly onWatchError?: (error: unknown, retryInMs: number) => void;
}

/**
 * What a SQLite store needs to announce a change: the log row it writes inside its transaction (other processes),
 * and the hub it publishes to after commit (this process). Both optional, so stores also work on their own.
 */
export interface SqliteAnnouncer {
  readonly changes?: ChangeHub;
  readonly changeLog?: SqliteChangeLog;
}

/** A registry's change plumbing on SQLite: the hub its stores publish to, the log they write, the watcher. */
export interface SqliteChanges {
  readonly changes: ChangeHub;
  readonly changeLog: SqliteChangeLog;
  stopWatching(): void;
}

export async function openSqliteChanges(
  db: Database.Database,
  options: SqliteChangesOptions = {},
): Promise<SqliteChanges> {
  // One origin per opened registry: its watcher skips what its stores announced in-process already.
  const changeLog = new SqliteChangeLog(db, randomUUID());
  if (options.watchChanges !== true) {
    // Nothing from other processes is heard: 'process' keeps callers from caching on its word.
    return { changes: new ChangeHub('process'), changeLog, stopWatching: () => {} };
  }
  // The watcher's code is imported only by the processes that watch.
  const { DEFAULT_POLL_INTERVAL_MS, startSqliteChangeFeed } = await import('./sqlite-change-feed.js');
  const changes = new ChangeHub('database');
  const intervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const onWatchError = options.onWatchError;
  const feed = startSqliteChangeFeed(db, changes, {
    origin: changeLog.origin,
    intervalMs,
    ...(onWatchError && { onError: (error: unknown) => onWatchError(error, intervalMs) }),
  });
  return { changes, changeLog, stopWatching: () => feed.close() };
}

/**
 * A BEGIN IMMEDIATE transaction of `work` whose changes are logged inside it (other processes) and published to this
 * process only once it committed: `announce` is what `work` calls for each change it makes.
 */
export function announcingTransaction<A extends unknown[], R>(
  db: Database.Database,
  announcer: SqliteAnnouncer,
  work: (announce: (change: RegistryChange) => void, ...args: A) => R,
): (...args: A) => R {
  const transaction = db.transaction(
    (changes: RegistryChange[], ...args: A): R =>
      work(
        (change) => {
          announcer.changeLog?.append(change);
          changes.push(change);
        },
        ...args,
      ),
  );
  return (...args: A): R => {
    const changes: RegistryChange[] = [];
    const result = transaction.immediate(changes, ...args);
    for (const change of changes) announcer.changes?.publish(change);
    return result;
  };
}
