import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteRegistry } from '../../../src/registry/sqlite/sqlite-registry.js';

/** A registry file made by fleetca (migrated, then closed), reopened read-only so a test can inspect its schema. */
export async function withRawRegistryFile(prefix: string, fn: (raw: Database.Database) => void): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  try {
    const file = join(dir, 'registry.db');
    await (await openSqliteRegistry(file)).close();
    const raw = new Database(file, { readonly: true });
    try {
      fn(raw);
    } finally {
      raw.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
