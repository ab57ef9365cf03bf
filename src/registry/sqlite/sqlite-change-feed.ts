import type Database from 'better-sqlite3';
import { type ChangeHub, decodeChange } from '../registry-changes.js';

/** How often the feed asks whether another connection committed: well inside the one second sessions need. */
export const DEFAULT_POLL_INTERVAL_MS = 100;

export interface SqliteChangeFeedOptions {
  /** This registry's own origin (SqliteChangeLog): its changes were announced in-process already. */
  readonly origin: string;
  readonly intervalMs?: number;
  /** Hears the first of a run of failed polls (the next poll tries again; nothing is skipped). */
  readonly onError?: (error: unknown) => void;
}

export interface SqliteChangeFeed {
  /** Polls at once (tests, measurements); the timer calls the same. */
  poll(): void;
  /** Stops the timer; the connection stays the caller's. */
  close(): void;
}

interface ChangeRow {
  readonly seq: number;
  readonly origin: string;
  readonly payload: string;
}

/**
 * Hears the changes other connections — other processes, or other registries in this one — commit to the
 * SQLite file, by polling `PRAGMA data_version` on `db` (it moves only when another connection committed;
 * a few microseconds, no file I/O beyond the WAL index) and then reading the registry_changes rows past the
 * last one seen. Rows pruned before they were read (the process was stalled for minutes) make it publish
 * `resync`. Starts at the current end of the log; the timer is unref'd, so it never keeps a process alive.
 */
export function startSqliteChangeFeed(
  db: Database.Database,
  hub: ChangeHub,
  options: SqliteChangeFeedOptions,
): SqliteChangeFeed {
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  const lastSeq = db.prepare<[], number | null>('SELECT max(seq) FROM registry_changes').pluck();
  const rowsAfter = db.prepare<[number], ChangeRow>(
    'SELECT seq, origin, payload FROM registry_changes WHERE seq > ? ORDER BY seq',
  );
  // Read before the end of the log: a commit in between moves the version and is read on the first poll.
  let version = dataVersion.get();
  let seen = lastSeq.get() ?? 0;
  let failing = false;

  const readChanges = () => {
    const rows = rowsAfter.all(seen);
    const last = rows.at(-1);
    if (last === undefined) {
      // The log never shrinks below its newest row; a lower end means the file was replaced (a restore).
      const end = lastSeq.get() ?? 0;
      if (end < seen) {
        seen = end;
        hub.publish({ kind: 'resync' });
      }
      return;
    }
    // seq has no holes among committed rows, so fewer rows than the span means some were pruned before this
    // feed read them (normally the oldest; any, should the clock have jumped back).
    if (last.seq - seen !== rows.length) hub.publish({ kind: 'resync' });
    for (const row of rows) {
      seen = row.seq;
      if (row.origin === options.origin) continue;
      const change = decodeChange(row.payload);
      if (change !== undefined) hub.publish(change);
    }
  };

  const poll = () => {
    if (!db.open) {
      close();
      return;
    }
    try {
      const current = dataVersion.get();
      if (current !== version) {
        readChanges();
        // Only once read: a failed read is retried by the next poll.
        version = current;
      }
      failing = false;
    } catch (error) {
      // Reported once per run of failures, not ten times a second.
      if (!failing) options.onError?.(error);
      failing = true;
    }
  };

  const timer = setInterval(poll, options.intervalMs ?? DEFAULT_POLL_INTERVAL_MS);
  timer.unref();
  const close = () => clearInterval(timer);
  return { poll, close };
}
