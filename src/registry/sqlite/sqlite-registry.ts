import type { Registry } from '../registry.js';
import { ChangeHub } from '../registry-changes.js';
import { SqliteAccountStore } from './sqlite-account-store.js';
import { SqliteCaCertificateStore } from './sqlite-ca-certificate-store.js';
import { openSqliteDatabase } from './sqlite-database.js';
import { SqliteScopeIdentifierStore } from './sqlite-scope-identifier-store.js';
import { SqliteCertificateStore } from './sqlite-store.js';

/**
 * The whole registry on one SQLite file (WAL), every store sharing the one connection. Changes are
 * announced within this process only: SQLite has no way to notify other processes on the same file.
 */
export async function openSqliteRegistry(file: string): Promise<Registry> {
  const db = await openSqliteDatabase(file);
  const changes = new ChangeHub('process');
  const certificates = new SqliteCertificateStore(db, { changes });
  return {
    certificates,
    accounts: new SqliteAccountStore(db, Date.now, changes),
    changes,
    caCertificates: new SqliteCaCertificateStore(db),
    scopeIdentifiers: new SqliteScopeIdentifierStore(db),
    close: async () => {
      // Inserts waiting for their group commit are committed, not dropped; the writer thread ends.
      await certificates.close();
      if (db.open) db.close();
    },
  };
}
