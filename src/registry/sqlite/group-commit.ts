import type Database from 'better-sqlite3';

/** At most this many writes share one transaction; more go into the next one. */
export const DEFAULT_MAX_GROUP = 256;

/** What one write of a group came to, before its submitter is told. */
export type Outcome = { readonly ok: true } | { readonly ok: false; readonly error: unknown };

const OK: Outcome = { ok: true };

/**
 * Commits a group of writes and says what became of each, in order: synchronously (on this thread's
 * connection) or asynchronously (on another thread's). Must not reject; a failure is an outcome.
 */
export type GroupCommitter<T> = (items: readonly T[]) => readonly Outcome[] | Promise<readonly Outcome[]>;

export interface GroupCommitOptions {
  /** Largest number of writes committed together (default DEFAULT_MAX_GROUP). */
  readonly maxGroup?: number;
}

interface Pending<T> {
  readonly item: T;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit: writes submitted while no group is being committed are collected until the end of the
 * event-loop turn (setImmediate) and committed as one group; writes submitted while a group is being committed
 * (on another thread) wait for it and then form the next group. Each submitter's promise settles only after the
 * commit that carries its write, with that write's own outcome. Groups are committed one at a time, in
 * submission order.
 */
export class GroupCommit<T> {
  readonly #commit: GroupCommitter<T>;
  readonly #maxGroup: number;
  #queue: Pending<T>[] = [];
  #scheduled: NodeJS.Immediate | undefined;
  #inFlight: Promise<void> | undefined;

  constructor(commit: GroupCommitter<T>, options: GroupCommitOptions = {}) {
    const maxGroup = options.maxGroup ?? DEFAULT_MAX_GROUP;
    if (!Number.isSafeInteger(maxGroup) || maxGroup < 1) throw new RangeError(`maxGroup must be ≥ 1, got ${maxGroup}`);
    this.#commit = commit;
    this.#maxGroup = maxGroup;
  }

  /** Writes waiting for a group (not counting the group being committed). */
  get queued(): number {
    return this.#queue.length;
  }

  /** Queues a write; resolves once it is committed, rejects with its own error. */
  submit(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      // setImmediate runs after the poll phase: every write submitted by this turn's callbacks and their
      // promise continuations is queued by then. A group in flight drains the queue when it is done.
      if (this.#inFlight === undefined) {
        this.#scheduled ??= setImmediate(() => {
          this.#scheduled = undefined;
          this.#drain();
        });
      }
    });
  }

  /** Resolves once every write submitted so far has been committed (or failed). */
  async flush(): Promise<void> {
    if (this.#scheduled !== undefined) {
      clearImmediate(this.#scheduled);
      this.#scheduled = undefined;
    }
    for (;;) {
      if (this.#inFlight !== undefined) await this.#inFlight;
      else if (this.#queue.length > 0) this.#drain();
      else return;
    }
  }

  #drain(): void {
    while (this.#inFlight === undefined && this.#queue.length > 0) {
      const group = this.#queue.splice(0, this.#maxGroup);
      let result: readonly Outcome[] | Promise<readonly Outcome[]>;
      try {
        result = this.#commit(group.map((pending) => pending.item));
      } catch (error) {
        result = group.map(() => ({ ok: false, error }));
      }
      if (!(result instanceof Promise)) {
        settle(group, result);
        continue;
      }
      this.#inFlight = result
        .then(
          (outcomes) => settle(group, outcomes),
          (error: unknown) =>
            settle(
              group,
              group.map(() => ({ ok: false, error })),
            ),
        )
        .finally(() => {
          this.#inFlight = undefined;
          // What arrived during the commit is the next group, at once.
          this.#drain();
        });
    }
  }
}

function settle<T>(group: readonly Pending<T>[], outcomes: readonly Outcome[]): void {
  group.forEach((pending, i) => {
    const outcome = outcomes[i] ?? { ok: false, error: new Error('the group commit lost track of this write') };
    if (outcome.ok) pending.resolve();
    else pending.reject(outcome.error);
  });
}

/**
 * Runs a group of writes on `db` as one `BEGIN IMMEDIATE` transaction, so that with `synchronous = FULL` they
 * share one WAL sync instead of paying one each; returns each write's outcome. Nothing is reported committed
 * before the COMMIT has returned.
 *
 * Each write is one statement. A statement that fails a constraint is undone by SQLite on its own (statement
 * atomicity) while the transaction goes on, so a bad write fails only itself. Should a failure end the whole
 * transaction instead (SQLite rolls back on some I/O and memory errors), nothing of the group was kept, and each
 * write is retried in a transaction of its own, so that each learns its own outcome. When the transaction cannot
 * start (another process holds the write lock past the busy timeout) or cannot commit, every write of the group
 * fails with that error, exactly as each would have alone. `onCommit` hears the size of every committed
 * transaction.
 */
export function commitGroup<T>(
  db: Database.Database,
  write: (item: T) => void,
  items: readonly T[],
  onCommit?: (size: number) => void,
): Outcome[] {
  if (items.length === 1) return [commitAlone(write, items[0] as T, onCommit)];
  try {
    return commitTogether(db, write, items, onCommit);
  } catch (error) {
    if (error instanceof TransactionLost) return items.map((item) => commitAlone(write, item, onCommit));
    return items.map(() => ({ ok: false, error }));
  }
}

interface TransactionStatements {
  readonly begin: Database.Statement;
  readonly commit: Database.Statement;
  readonly rollback: Database.Statement;
}

const transactionStatements = new WeakMap<Database.Database, TransactionStatements>();

function transactionOf(db: Database.Database): TransactionStatements {
  let statements = transactionStatements.get(db);
  if (statements === undefined) {
    statements = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
    };
    transactionStatements.set(db, statements);
  }
  return statements;
}

function commitTogether<T>(
  db: Database.Database,
  write: (item: T) => void,
  items: readonly T[],
  onCommit: ((size: number) => void) | undefined,
): Outcome[] {
  const transaction = transactionOf(db);
  transaction.begin.run();
  const outcomes: Outcome[] = [];
  try {
    for (const item of items) {
      try {
        write(item);
        outcomes.push(OK);
      } catch (error) {
        if (!db.inTransaction) throw new TransactionLost();
        outcomes.push({ ok: false, error });
      }
    }
    transaction.commit.run();
  } catch (error) {
    if (db.inTransaction) transaction.rollback.run();
    throw error;
  }
  onCommit?.(items.length);
  return outcomes;
}

/** One write in its own transaction (autocommit: one statement is one transaction). */
function commitAlone<T>(write: (item: T) => void, item: T, onCommit: ((size: number) => void) | undefined): Outcome {
  try {
    write(item);
  } catch (error) {
    return { ok: false, error };
  }
  onCommit?.(1);
  return OK;
}

/** A write's failure rolled the group's transaction back: none of the group was committed. */
class TransactionLost extends Error {}
