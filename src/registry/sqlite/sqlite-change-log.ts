import type Database from 'better-sqlite3';
import { encodeChange, type RegistryChange } from '../registry-changes.js';

/** How long a change stays in registry_changes: far longer than any watcher's poll interval. */
export const CHANGE_RETENTION_MS = 10 * 60_000;

/** Expired rows removed per append, at most: enough to drain any backlog, few enough to stay cheap. */
const PRUNE_BATCH = 8;

/**
 * Writes changes into registry_changes, where other processes on the same SQLite file read them (see
 * sqlite-change-feed.ts). `append` must run inside the write transaction that makes the change: a rolled-back
 * change then leaves no row, and a committed one always does.
 */
export class SqliteChangeLog {
  readonly #db: Database.Database;
  readonly #now: () => number;
  readonly #nextSeq: Database.Statement<[], number>;
  readonly #insert: Database.Statement<[{ seq: number; origin: string; payload: string; created_at: number }]>;
  readonly #prune: Database.Statement<[{ cutoff: number }]>;

  /** `origin` names the writer, so that its own watcher can skip what it already announced in-process. */
  constructor(
    db: Database.Database,
    readonly origin: string,
    now: () => number = Date.now,
  ) {
    this.#db = db;
    this.#now = now;
    // The write lock (BEGIN IMMEDIATE) is held, so max + 1 is unique and seq has no holes among committed rows.
    this.#nextSeq = db.prepare<[], number>('SELECT coalesce(max(seq), 0) + 1 FROM registry_changes').pluck();
    this.#insert = db.prepare(
      'INSERT INTO registry_changes (seq, origin, payload, created_at) VALUES (@seq, @origin, @payload, @created_at)',
    );
    // Only the oldest few rows are looked at, through the primary key. The row just appended is never expired,
    // so the table never empties: seq is max + 1, and would otherwise start again at 1 behind every watcher.
    this.#prune = db.prepare(
      `DELETE FROM registry_changes WHERE seq IN (SELECT seq FROM registry_changes ORDER BY seq LIMIT ${PRUNE_BATCH})
        AND created_at < @cutoff`,
    );
  }

  /** Records `change`; call only inside a write transaction. */
  append(change: RegistryChange): void {
    // Outside a transaction the row would be committed apart from the change it announces.
    if (!this.#db.inTransaction) throw new Error('a registry change must be logged inside its write transaction');
    const now = this.#now();
    const seq = this.#nextSeq.get() ?? 1;
    this.#insert.run({ seq, origin: this.origin, payload: encodeChange(change), created_at: now });
    this.#prune.run({ cutoff: now - CHANGE_RETENTION_MS });
  }
}
