import type { CertificateRowValues } from '../certificate-row.js';

/** What the insert writer thread is started with. */
export interface InsertWriterData {
  /** The registry file, already created and migrated by the opening connection. */
  readonly file: string;
  readonly busyTimeoutMs: number;
  /** The opening registry's change-log origin: inserts are logged under it, so its own watcher skips them. */
  readonly origin?: string;
}

/** Main → writer: commit these rows as one group; or stop. */
export type InsertWriterRequest =
  | { readonly type: 'commit'; readonly id: number; readonly rows: readonly CertificateRowValues[] }
  | { readonly type: 'close' };

/** An error as it crosses the thread boundary: SqliteErrors keep their code. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
}

export type SerializedOutcome = { readonly ok: true } | { readonly ok: false; readonly error: SerializedError };

/** Writer → main. */
export type InsertWriterReply =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly error: SerializedError }
  | { readonly type: 'committed'; readonly id: number; readonly outcomes: readonly SerializedOutcome[] }
  | { readonly type: 'closed' };

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, message: error.message, ...(typeof code === 'string' && { code }) };
  }
  return { name: 'Error', message: String(error) };
}
