import type { Registry } from '../registry.js';
import { ChangeHub } from '../registry-changes.js';
import { PgAccountStore } from './pg-account-store.js';
import { PgCaCertificateStore } from './pg-ca-certificate-store.js';
import { PgCertificateStore } from './pg-certificate-store.js';
import { startChangeFeed } from './pg-change-feed.js';
import type { ConnectRetryOptions } from './pg-connect-retry.js';
import { openPgDatabase } from './pg-database.js';
import { PgEventStore } from './pg-event-store.js';
import { PgOwnershipTokenStore } from './pg-ownership-token-store.js';
import { PgPolicyStore } from './pg-policy-store.js';
import { PgProvisioningClaimStore } from './pg-provisioning-claim-store.js';
import { PgProvisioningStore } from './pg-provisioning-store.js';
import { PgProvisioningTemplateStore } from './pg-provisioning-template-store.js';
import { PgRevocationStore } from './pg-revocation-store.js';
import { PgScopeIdentifierStore } from './pg-scope-identifier-store.js';
import { PgThingStore } from './pg-thing-store.js';

export interface PostgresRegistryOptions {
  /** Largest number of pooled connections (the change feed holds one more). */
  readonly poolSize?: number;
  /** Retrying while the server is unreachable; one attempt unless a deadline is given. */
  readonly connect?: ConnectRetryOptions;
  /** Listen for other processes' changes (default true); off for one-shot commands that never read `changes`. */
  readonly changeFeed?: boolean;
  /** Hears the change feed losing its connection, and when it will try again. */
  readonly onFeedDisconnect?: (error: unknown, retryInMs: number) => void;
}

/** How long opening waits for the change feed to be listening; past it the feed keeps trying on its own. */
const FEED_READY_WAIT_MS = 5000;

/**
 * The whole registry in one PostgreSQL schema: the first of the URL's search_path (libpq's
 * `options=-c search_path=...` picks it), migrated on open. The stores share one pool; `changes` hears
 * every status change, deletion and deleted access key committed by any process on the same database.
 */
export async function openPostgresRegistry(url: string, options: PostgresRegistryOptions = {}): Promise<Registry> {
  const db = await openPgDatabase(url, {
    ...(options.poolSize !== undefined && { poolSize: options.poolSize }),
    ...(options.connect && { connect: options.connect }),
  });
  const listen = options.changeFeed !== false;
  // Without the feed nothing is heard at all: 'process' keeps callers from caching on its word.
  const changes = new ChangeHub(listen ? 'database' : 'process');
  const feed = !listen
    ? undefined
    : startChangeFeed(db.config, changes, {
        ...(options.onFeedDisconnect && { onDisconnect: options.onFeedDisconnect }),
      });
  if (feed !== undefined) await settledWithin(feed.ready, FEED_READY_WAIT_MS);
  return {
    certificates: new PgCertificateStore(db),
    accounts: new PgAccountStore(db),
    caCertificates: new PgCaCertificateStore(db),
    scopeIdentifiers: new PgScopeIdentifierStore(db),
    ownershipTokens: new PgOwnershipTokenStore(db),
    provisioningTemplates: new PgProvisioningTemplateStore(db),
    provisioningClaims: new PgProvisioningClaimStore(db),
    things: new PgThingStore(db),
    provisioning: new PgProvisioningStore(db),
    policies: new PgPolicyStore(db),
    events: new PgEventStore(db, changes),
    revocation: new PgRevocationStore(db),
    changes,
    ping: async () => {
      await db.query('SELECT 1');
    },
    close: async () => {
      await feed?.close();
      await db.close();
    },
  };
}

/** Waits for `promise`, but no longer than `ms`. */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
