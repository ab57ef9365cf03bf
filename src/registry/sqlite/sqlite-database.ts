import { existsSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { StoreError } from '../store-error.js';
import { createAtomically, mustCreateSqliteFile, type SqliteFileOptions } from './sqlite-file.js';
import { applySqliteMigrations, checkSqliteSchema } from './sqlite-migrator.js';

/** How long a connection waits for another process's write lock before giving up. */
const BUSY_TIMEOUT_MS = 5000;

let addon: { readonly nativeBinding?: string } | undefined;

/**
 * better-sqlite3's addon where its install puts it (build/Release), named directly: its own lookup (the `bindings`
 * package) reads a stack trace and tries other paths first, a cost every one-shot command paid at start-up.
 * Anywhere else (a debug build, say), its own lookup finds it as before.
 */
function nativeBinding(): { readonly nativeBinding?: string } {
  if (addon === undefined) {
    const release = new URL('../build/Release/better_sqlite3.node', import.meta.resolve('better-sqlite3'));
    const path = fileURLToPath(release);
    addon = existsSync(path) ? { nativeBinding: path } : {};
  }
  return addon;
}

/**
 * Opens the SQLite registry at `file`, migrated to the current schema; a missing file is made (see
 * sqlite-file.ts) unless `options.create` is false. Refuses with a StoreError an empty or inaccessible file, a
 * file that is not a SQLite database, a database that fleetca did not create, and a schema newer than this code.
 */
export async function openSqliteDatabase(file: string, options: SqliteFileOptions = {}): Promise<Database.Database> {
  // An in-memory database (tests) has no file to check or make.
  if (file !== ':memory:' && (await mustCreateSqliteFile(file, options))) {
    const created = await createAtomically(file, async (temp) => {
      (await openPrepared(temp)).close();
    });
    if (created) options.onCreated?.(file);
  }
  return openPrepared(file);
}

async function openPrepared(file: string): Promise<Database.Database> {
  const db = openDatabase(file);
  try {
    // busy_timeout first: every later step may meet another process's lock.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    await retryWhileBusy(() => prepareDatabase(db, file), Date.now() + BUSY_TIMEOUT_MS);
    return db;
  } catch (error) {
    db.close();
    throw translateOpenError(error, file);
  }
}

/** Checks, configures and migrates the database; idempotent, so it can be retried as a whole. */
function prepareDatabase(db: Database.Database, file: string): void {
  checkSqliteSchema(db, file);
  db.pragma('journal_mode = WAL');
  // FULL syncs the WAL on every commit: a certificate handed to a client must survive power loss.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  applySqliteMigrations(db, file);
}

/**
 * Switching a fresh file to WAL needs an exclusive lock, and SQLite reports SQLITE_BUSY at once,
 * without consulting busy_timeout, when another process is migrating the same file. Retrying the
 * whole idempotent setup after a short, jittered pause lets the processes take turns.
 */
async function retryWhileBusy(step: () => void, deadline: number): Promise<void> {
  for (;;) {
    try {
      step();
      return;
    } catch (error) {
      const busy = error instanceof Database.SqliteError && error.code.startsWith('SQLITE_BUSY');
      if (!busy || Date.now() >= deadline) throw error;
      await delay(5 + Math.random() * 20);
    }
  }
}

function openDatabase(file: string): Database.Database {
  try {
    // fileMustExist: the file was checked (or made) just before; SQLite never makes one behind fleetca's back.
    return new Database(file, { fileMustExist: true, ...nativeBinding() });
  } catch (error) {
    throw new StoreError('OPEN_FAILED', `cannot open registry ${file}: ${messageOf(error)}`, { cause: error });
  }
}

function translateOpenError(error: unknown, file: string): unknown {
  if (error instanceof StoreError) return error;
  if (error instanceof Database.SqliteError && error.code === 'SQLITE_NOTADB') {
    return new StoreError(
      'NOT_A_DATABASE',
      `${file} is not a SQLite database (file is not a database); restore fleetca's registry from a backup, or point FLEETCA_HOME (or --store) at another registry`,
      {
        cause: error,
      },
    );
  }
  return new StoreError('OPEN_FAILED', `cannot open registry ${file}: ${messageOf(error)}`, { cause: error });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
