import type { AccountStore } from '../account-store.js';
import type { CaCertificateStore } from '../ca-certificate-store.js';
import type { EventStore } from '../event-store.js';
import { MIGRATIONS_TABLE } from '../migrations.js';
import type { OwnershipTokenStore } from '../ownership-token-store.js';
import type { PolicyStore } from '../policy-store.js';
import type { ProvisioningClaimStore } from '../provisioning-claim-store.js';
import type { ProvisioningStore } from '../provisioning-store.js';
import type { ProvisioningTemplateStore } from '../provisioning-template-store.js';
import type { Registry } from '../registry.js';
import type { RevocationStore } from '../revocation-store.js';
import type { ScopeIdentifierStore } from '../scope-identifier-store.js';
import { type AsyncStore, storeOnFirstUse } from '../store-on-first-use.js';
import type { ThingStore } from '../thing-store.js';
import { openSqliteChanges, type SqliteChangesOptions } from './sqlite-changes.js';
import { openSqliteDatabase } from './sqlite-database.js';
import type { SqliteFileOptions } from './sqlite-file.js';
import { SqliteCertificateStore } from './sqlite-store.js';

/** Reads the file itself (its bookkeeping table), not just the connection. */
const PING = `SELECT MAX(version) FROM ${MIGRATIONS_TABLE}`;

export interface SqliteRegistryOptions extends SqliteChangesOptions, SqliteFileOptions {
  /**
   * Import and build every store now (a long-running server: no first request pays for it). Otherwise each
   * store but the certificates' is made on its first use, so a one-shot command loads only the stores it uses.
   */
  readonly preloadStores?: boolean;
}

/**
 * The whole registry on one SQLite file (WAL), every store sharing the one connection. Changes are
 * announced in-process and logged for other processes on the file, which hear them when `watchChanges`.
 */
export async function openSqliteRegistry(file: string, options: SqliteRegistryOptions = {}): Promise<Registry> {
  const db = await openSqliteDatabase(file, options);
  const { changes, changeLog, stopWatching } = await openSqliteChanges(db, options);
  const announcer = { changes, changeLog };
  // The store nearly every command uses, and the one whose close commits the inserts still waiting.
  const certificates = new SqliteCertificateStore(db, announcer);
  const store = async <T extends AsyncStore<T>>(make: () => Promise<T>): Promise<T> =>
    options.preloadStores ? make() : storeOnFirstUse(make);
  const [
    accounts,
    caCertificates,
    scopeIdentifiers,
    ownershipTokens,
    provisioningTemplates,
    provisioningClaims,
    things,
    provisioning,
    policies,
    events,
    revocation,
  ] = await Promise.all([
    store<AccountStore>(
      async () => new (await import('./sqlite-account-store.js')).SqliteAccountStore(db, Date.now, changes, changeLog),
    ),
    store<CaCertificateStore>(
      async () => new (await import('./sqlite-ca-certificate-store.js')).SqliteCaCertificateStore(db),
    ),
    store<ScopeIdentifierStore>(
      async () => new (await import('./sqlite-scope-identifier-store.js')).SqliteScopeIdentifierStore(db),
    ),
    store<OwnershipTokenStore>(
      async () => new (await import('./sqlite-ownership-token-store.js')).SqliteOwnershipTokenStore(db),
    ),
    store<ProvisioningTemplateStore>(
      async () =>
        new (await import('./sqlite-provisioning-template-store.js')).SqliteProvisioningTemplateStore(db, announcer),
    ),
    store<ProvisioningClaimStore>(
      async () =>
        new (await import('./sqlite-provisioning-claim-store.js')).SqliteProvisioningClaimStore(db, announcer),
    ),
    store<ThingStore>(async () => new (await import('./sqlite-thing-store.js')).SqliteThingStore(db, announcer)),
    store<ProvisioningStore>(
      async () => new (await import('./sqlite-provisioning-store.js')).SqliteProvisioningStore(db, announcer),
    ),
    store<PolicyStore>(async () => new (await import('./sqlite-policy-store.js')).SqlitePolicyStore(db, announcer)),
    store<EventStore>(async () => new (await import('./sqlite-event-store.js')).SqliteEventStore(db, announcer)),
    store<RevocationStore>(async () => new (await import('./sqlite-revocation-store.js')).SqliteRevocationStore(db)),
  ]);
  return {
    certificates,
    accounts,
    changes,
    caCertificates,
    scopeIdentifiers,
    ownershipTokens,
    provisioningTemplates,
    provisioningClaims,
    things,
    provisioning,
    policies,
    events,
    revocation,
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
