import { isAbsolute, resolve } from 'node:path';

/** Where the registry lives: a SQLite file, or a PostgreSQL database (its URL may carry a password). */
export type StoreLocation =
  | { readonly engine: 'sqlite'; readonly file: string }
  | { readonly engine: 'postgres'; readonly url: string };

/** A store setting fleetca cannot use; the message says what is accepted. */
export class StoreLocationError extends Error {
  override readonly name = 'StoreLocationError';
}

const POSTGRES = /^postgres(?:ql)?:\/\//i;
const SQLITE = /^sqlite:/i;

/**
 * Reads a `--store` / FLEETCA_STORE value: `postgres://` or `postgresql://` URLs (libpq's form), or
 * `sqlite:FILE` (relative to the working directory). Absent or empty means the data directory's file.
 */
export function parseStoreLocation(value: string | undefined, defaultFile: string, source: string): StoreLocation {
  if (value === undefined || value === '') return { engine: 'sqlite', file: defaultFile };
  if (POSTGRES.test(value)) {
    try {
      new URL(value);
    } catch {
      throw new StoreLocationError(`${source} is not a valid PostgreSQL URL`);
    }
    return { engine: 'postgres', url: value };
  }
  if (SQLITE.test(value)) {
    const file = value.replace(SQLITE, '').replace(/^\/\//, '');
    if (file === '') throw new StoreLocationError(`${source} names no file: use sqlite:FILE`);
    return { engine: 'sqlite', file: isAbsolute(file) ? file : resolve(file) };
  }
  // Never echo the value: a mistyped URL may still hold a password.
  throw new StoreLocationError(
    `${source} must be a PostgreSQL URL (postgres://user@host:5432/database) or sqlite:FILE`,
  );
}
