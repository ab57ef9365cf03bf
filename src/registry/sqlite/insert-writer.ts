import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { CertificateRowValues } from '../certificate-row.js';
import type { Outcome } from './group-commit.js';
import type {
  InsertWriterData,
  InsertWriterReply,
  InsertWriterRequest,
  SerializedError,
} from './insert-writer-protocol.js';

const WORKER_URL = new URL('./insert-writer-worker.js', import.meta.url);

/** The error a row gets when the writer thread could not tell what became of it. */
export class InsertWriterError extends Error {
  override readonly name = 'InsertWriterError';
}

/** An error from the writer thread as the main thread's code expects it: SqliteErrors stay SqliteErrors. */
function revive(error: SerializedError): Error {
  if (error.name === 'SqliteError' && error.code !== undefined)
    return new Database.SqliteError(error.message, error.code);
  const revived = new Error(error.message);
  revived.name = error.name;
  return revived;
}

/**
 * The main thread's side of the insert writer thread (insert-writer-worker.ts): a second connection to the
 * registry that commits groups of certificate rows, one group at a time. The worker keeps the process alive only
 * while a group is being committed. If the thread dies, the group in flight fails (its fate on disk is unknown,
 * as after an I/O error) and `broken` turns true; the owner then commits on its own connection again.
 */
export class InsertWriter {
  readonly #worker: Worker;
  readonly #inFlight = new Map<
    number,
    { readonly size: number; readonly resolve: (outcomes: readonly Outcome[]) => void }
  >();
  #nextId = 1;
  #broken = false;
  #closing: Promise<void> | undefined;

  private constructor(worker: Worker) {
    this.#worker = worker;
  }

  /**
   * Starts the thread on `file` (an existing, migrated registry); rejects if it cannot open it. With `origin`, each
   * insert is logged as a change under it (see certificateInserter).
   */
  static start(file: string, busyTimeoutMs: number, origin?: string): Promise<InsertWriter> {
    const workerData: InsertWriterData = { file, busyTimeoutMs, ...(origin !== undefined && { origin }) };
    const worker = new Worker(WORKER_URL, { workerData });
    worker.unref();
    return new Promise<InsertWriter>((resolve, reject) => {
      const fail = (error: Error) => {
        worker.off('message', onFirst);
        void worker.terminate();
        reject(error);
      };
      const onFirst = (message: InsertWriterReply) => {
        if (message.type === 'failed') return fail(revive(message.error));
        if (message.type !== 'ready') return fail(new InsertWriterError(`unexpected ${message.type} before ready`));
        worker.off('message', onFirst).off('error', fail).off('exit', onEarlyExit);
        resolve(new InsertWriter(worker).#listen());
      };
      const onEarlyExit = (code: number) => fail(new InsertWriterError(`the insert writer exited with ${code}`));
      worker.on('message', onFirst).once('error', fail).once('exit', onEarlyExit);
    });
  }

  /** True once the thread has died or been closed: nothing more can be committed through it. */
  get broken(): boolean {
    return this.#broken || this.#closing !== undefined;
  }

  /** Commits `rows` as one group on the writer's connection; never rejects (failures are outcomes). */
  commit(rows: readonly CertificateRowValues[]): Promise<readonly Outcome[]> {
    if (this.broken) return Promise.resolve(rows.map(() => lost('the insert writer is closed')));
    const id = this.#nextId++;
    return new Promise<readonly Outcome[]>((resolve) => {
      this.#inFlight.set(id, { size: rows.length, resolve });
      // Nobody may exit while a commit is out: its callers are waiting for the answer.
      this.#worker.ref();
      this.#post({ type: 'commit', id, rows });
    });
  }

  /**
   * Closes the writer's connection and ends the thread. Groups already sent are still answered first (the thread
   * handles messages in order); the owner flushes before closing, so none are left waiting.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      if (this.#broken) return;
      const closed = new Promise<void>((resolve) => {
        this.#worker.on('message', (message: InsertWriterReply) => {
          if (message.type === 'closed') resolve();
        });
        this.#worker.once('exit', () => resolve());
      });
      this.#worker.ref();
      this.#post({ type: 'close' });
      await closed;
      await this.#worker.terminate();
    })();
    return this.#closing;
  }

  #listen(): this {
    this.#worker.on('message', (message: InsertWriterReply) => {
      if (message.type !== 'committed') return;
      const pending = this.#inFlight.get(message.id);
      this.#inFlight.delete(message.id);
      if (this.#inFlight.size === 0) this.#worker.unref();
      pending?.resolve(
        message.outcomes.map((outcome) => (outcome.ok ? outcome : { ok: false, error: revive(outcome.error) })),
      );
    });
    this.#worker.on('error', (error) => this.#die(`the insert writer failed: ${error.message}`));
    this.#worker.on('exit', (code) => this.#die(`the insert writer exited with ${code}`));
    return this;
  }

  #post(message: InsertWriterRequest): void {
    this.#worker.postMessage(message);
  }

  /** The thread is gone: whatever it was committing is answered with an error, and nothing more is sent. */
  #die(reason: string): void {
    this.#broken = true;
    for (const { size, resolve } of this.#inFlight.values()) resolve(Array.from({ length: size }, () => lost(reason)));
    this.#inFlight.clear();
  }
}

function lost(reason: string): Outcome {
  return { ok: false, error: new InsertWriterError(reason) };
}
