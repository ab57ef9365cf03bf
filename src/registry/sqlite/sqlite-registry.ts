import { MIGRATIONS_TABLE } from '../migrations.js';
import type { Registry } from '../registry.js';
import { SqliteAccountStore } from './sqlite-account-store.js';
import { SqliteCaCertificateStore } from './sqlite-ca-certificate-store.js';
import { openSqliteChanges, type SqliteChangesOptions } from './sqlite-changes.js';
import { openSqliteDatabase } from './sqlite-database.js';
import type { SqliteFileOptions } from './sqlite-file.js';
import { SqliteOwnershipTokenStore } from './sqlite-ownership-token-store.js';
import { SqliteProvisioningClaimStore } from './sqlite-provisioning-claim-store.js';
import { SqliteProvisioningStore } from './sqlite-provisioning-store.js';
import { SqliteProvisioningTemplateStore } from './sqlite-provisioning-template-store.js';
import { SqliteScopeIdentifierStore } from './sqlite-scope-identifier-store.js';
import { SqliteCertificateStore } from './sqlite-store.js';
import { SqliteThingStore } from './sqlite-thing-store.js';

/** Reads the file itself (its bookkeeping table), not just the connection. */
const PING = `SELECT MAX(version) FROM ${MIGRATIONS_TABLE}`;

/**
 * The whole registry on one SQLite file (WAL), every store sharing the one connection. Changes are
 * announced in-process and logged for other processes on the file, which hear them when `watchChanges`.
 */
export async function openSqliteRegistry(
  file: string,
  options: SqliteChangesOptions & SqliteFileOptions = {},
): Promise<Registry> {
  const db = await openSqliteDatabase(file, options);
  const { changes, changeLog, stopWatching } = openSqliteChanges(db, options);
  const certificates = new SqliteCertificateStore(db, { changes, changeLog });
  return {
    certificates,
    accounts: new SqliteAccountStore(db, Date.now, changes, changeLog),
    changes,
    caCertificates: new SqliteCaCertificateStore(db),
    scopeIdentifiers: new SqliteScopeIdentifierStore(db),
    ownershipTokens: new SqliteOwnershipTokenStore(db),
    provisioningTemplates: new SqliteProvisioningTemplateStore(db, { changes, changeLog }),
    provisioningClaims: new SqliteProvisioningClaimStore(db, { changes, changeLog }),
    things: new SqliteThingStore(db),
    provisioning: new SqliteProvisioningStore(db, { changes, changeLog }),
    ping: async () => {
      db.prepare(PING).get();
    },
    close: async () => {
      stopWatching();
      // Inserts waiting for their group commit are committed, not dropped; the writer thread ends.
      await certificates.close();
      if (db.open) db.close();
    },
  };
}
