import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import type { AccountStore } from '../../../src/registry/account-store.js';
import { MIGRATIONS } from '../../../src/registry/migrations.js';
import { SqliteAccountStore } from '../../../src/registry/sqlite/sqlite-account-store.js';
import { openSqliteDatabase } from '../../../src/registry/sqlite/sqlite-database.js';
import { applySqliteMigrations } from '../../../src/registry/sqlite/sqlite-migrator.js';
import { openSqliteRegistry } from '../../../src/registry/sqlite/sqlite-registry.js';
import { type AccountStoreFixture, accountStoreConformance } from '../account-store-conformance.js';
import { makeRecord, rowBeforeRevocation, SCOPE } from '../certificate-fixtures.js';

async function sqliteFixture(now: () => number): Promise<AccountStoreFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'fleetca-accounts-'));
  const file = join(dir, 'registry.db');
  const opened: Database.Database[] = [];
  const open = async (): Promise<AccountStore> => {
    const db = await openSqliteDatabase(file);
    opened.push(db);
    return new SqliteAccountStore(db, now);
  };
  return {
    accounts: await open(),
    reopen: open,
    cleanup: async () => {
      for (const db of opened) db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

accountStoreConformance('SQLite', sqliteFixture);

test('the SQLite registry carries the account store on its shared connection', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fleetca-accounts-'));
  try {
    const registry = await openSqliteRegistry(join(dir, 'registry.db'));
    await registry.accounts.createAccount('123456789012');
    const key = await registry.accounts.createAccessKey('123456789012');
    assert.equal((await registry.accounts.findAccessKey(key.accessKeyId))?.accountId, '123456789012');
    await registry.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a version-1 registry is migrated to carry accounts, its certificates untouched', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fleetca-accounts-'));
  const file = join(dir, 'registry.db');
  try {
    const raw = new Database(file);
    applySqliteMigrations(raw, file, MIGRATIONS.slice(0, 1));
    const record = makeRecord('before-accounts');
    const row = rowBeforeRevocation(record);
    const columns = Object.keys(row);
    raw
      .prepare(`INSERT INTO certificates (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`)
      .run(row);
    raw.close();

    const registry = await openSqliteRegistry(file);
    assert.deepEqual(await registry.certificates.getCertificate(SCOPE, record.certificateId), record);
    await registry.accounts.createAccount('123456789012');
    await registry.close();

    const check = new Database(file, { readonly: true });
    const applied = check.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    check.close();
    assert.deepEqual(applied.slice(0, 2), [
      { version: 1, name: 'certificates' },
      { version: 2, name: 'accounts' },
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the secret is stored as issued (SigV4 needs it back), under its key id only', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fleetca-accounts-'));
  const file = join(dir, 'registry.db');
  try {
    const db = await openSqliteDatabase(file);
    const accounts = new SqliteAccountStore(db);
    await accounts.createAccount('123456789012');
    const key = await accounts.createAccessKey('123456789012');
    const rows = db.prepare('SELECT access_key_id, account_id, secret FROM access_keys').all();
    assert.deepEqual(rows, [
      { access_key_id: key.accessKeyId, account_id: '123456789012', secret: key.secretAccessKey },
    ]);
    // The foreign key backs the store's own check: no key without its account.
    assert.throws(
      () =>
        db
          .prepare('INSERT INTO access_keys (access_key_id, account_id, secret, created_at) VALUES (?, ?, ?, ?)')
          .run('AKIAORPHANORPHANORPH', '999999999999', 's', 0),
      /FOREIGN KEY/,
    );
    db.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
