import type { CertificateStore } from './store.js';

/**
 * Everything fleetca keeps, one store per aggregate, all on one engine (SQLite now, PostgreSQL
 * next). Each store is an interface its engine adapter implements and the conformance suite checks.
 */
export interface Registry {
  readonly certificates: CertificateStore;
  /** Closes the engine connection(s) the stores share. */
  close(): Promise<void>;
}
