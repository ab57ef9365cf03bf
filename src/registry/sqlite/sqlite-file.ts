import { constants } from 'node:fs';
import { access, link, open, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fsyncPath } from '../../fsync.js';
import { StoreError } from '../store-error.js';

/** Whether a missing registry file may be made, and who hears that it was. */
export interface SqliteFileOptions {
  /** False where a file once existed (an initialised data directory): its absence is then a loss. */
  readonly create?: boolean;
  readonly onCreated?: (file: string) => void;
}

/**
 * Checks a registry file before SQLite touches it, because SQLite takes a missing or empty file for a new
 * database and drops the write-ahead log beside it. A file fleetca makes appears only complete (see
 * `createAtomically`), so an empty one is always a loss: refused, like one fleetca may not read or write.
 * Returns true when the file still has to be made.
 */
export async function mustCreateSqliteFile(file: string, options: SqliteFileOptions): Promise<boolean> {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw refusal(file, error);
  });
  if (info === undefined) {
    await refuseOrphanLog(file);
    if (options.create === false) {
      throw new StoreError(
        'MISSING',
        `the registry ${file} is missing; restore it from a backup (with its -wal file, if any), or point FLEETCA_HOME (or --store) at another registry`,
      );
    }
    return true;
  }
  if (!info.isFile()) {
    throw new StoreError(
      'NOT_A_DATABASE',
      `the registry ${file} is not a file; move it away or point --store elsewhere`,
    );
  }
  if (info.size === 0) {
    throw new StoreError(
      'EMPTY',
      `the registry ${file} is empty (0 bytes): its data is gone. Restore it from a backup (with its -wal file, if any); fleetca will not start a new registry in its place`,
    );
  }
  await access(file, constants.R_OK | constants.W_OK).catch((error: NodeJS.ErrnoException) => {
    throw refusal(file, error);
  });
  return false;
}

/**
 * Builds the file under a temporary name with `initialise` (schema, WAL mode), then links it into place:
 * link(2) never replaces, so concurrent first uses keep the first file and nobody sees a half-made one.
 */
export async function createAtomically(file: string, initialise: (temp: string) => Promise<void>): Promise<boolean> {
  const temp = join(dirname(file), `.${basename(file)}.new-${process.pid}-${Date.now()}`);
  try {
    // Owner-only before SQLite writes: its -wal and -shm files take the database file's mode.
    await (await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600)).close();
    await initialise(temp);
    await fsyncPath(temp);
    try {
      await link(temp, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
    await fsyncPath(dirname(file));
    return true;
  } catch (error) {
    throw error instanceof StoreError ? error : cannotCreate(file, error as NodeJS.ErrnoException);
  } finally {
    await Promise.all(['', '-wal', '-shm', '-journal'].map((suffix) => rm(temp + suffix, { force: true })));
  }
}

/** A write-ahead log without its database holds the registry's latest commits: never start over beside it. */
async function refuseOrphanLog(file: string): Promise<void> {
  const log = await stat(`${file}-wal`).catch(() => undefined);
  if (log !== undefined && log.size > 0) {
    throw new StoreError(
      'MISSING',
      `the registry ${file} is missing but its write-ahead log ${file}-wal is there; restore ${basename(file)} from a backup`,
    );
  }
}

function cannotCreate(file: string, error: NodeJS.ErrnoException): StoreError {
  if (error.code === 'ENOENT') {
    return new StoreError('OPEN_FAILED', `cannot open registry ${file}: its directory does not exist`, {
      cause: error,
    });
  }
  return refusal(file, error);
}

function refusal(file: string, error: NodeJS.ErrnoException): StoreError {
  if (error.code === 'EACCES' || error.code === 'EPERM') {
    return new StoreError(
      'OPEN_FAILED',
      `the registry ${file} cannot be read or written: permission denied; give the user running fleetca access to it (and to its directory), or run fleetca as the user that owns it`,
      { cause: error },
    );
  }
  if (error.code === 'EROFS') {
    return new StoreError('OPEN_FAILED', `the registry ${file} is on a read-only file system`, { cause: error });
  }
  return new StoreError('OPEN_FAILED', `cannot open registry ${file}: ${error.message}`, { cause: error });
}
