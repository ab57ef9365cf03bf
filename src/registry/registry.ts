import type { AccountStore } from '../accounts/account-store.js';
import type { CaCertificateStore } from './ca-certificate-store.js';
import type { RegistryChanges } from './registry-changes.js';
import type { ScopeIdentifierStore } from './scope-identifier-store.js';
import type { CertificateStore } from './store.js';

/**
 * Everything fleetca keeps, one store per aggregate, all on one engine (SQLite or PostgreSQL). Each
 * store is an interface its engine adapter implements and the conformance suite checks.
 */
export interface Registry {
  readonly certificates: CertificateStore;
  /** Accounts and the access keys `fleetca serve` verifies SigV4 requests with. */
  readonly accounts: AccountStore;
  /** Registered CA certificates (RegisterCACertificate and the operations around it). */
  readonly caCertificates: CaCertificateStore;
  /** Per account and region identifiers made on first use: registration code, endpoint prefix. */
  readonly scopeIdentifiers: ScopeIdentifierStore;
  /** Status changes and deletions committed by any process on this registry (PostgreSQL) or by this one (SQLite). */
  readonly changes: RegistryChanges;
  /** Closes the engine connection(s) the stores share. */
  close(): Promise<void>;
}
