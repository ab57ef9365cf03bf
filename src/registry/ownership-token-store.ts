import type { Scope } from '../domain/scope.js';

/** A certificate created over MQTT whose ownership token has expired. */
export interface ExpiredOwnershipToken {
  readonly scope: Scope;
  readonly certificateId: string;
  /** Whether RegisterThing used the token before it expired. */
  readonly redeemed: boolean;
}

/**
 * The registry side of certificateOwnershipToken (table ownership_tokens): one row per certificate created
 * over MQTT, recorded before the certificate itself so that no such certificate exists without one. RegisterThing
 * redeems the row inside its own transaction (single use); the sweeper deletes what expired.
 */
export interface OwnershipTokenStore {
  record(scope: Scope, certificateId: string, expiresAt: number): Promise<void>;
  /** Up to `limit` tokens that expired at or before `now`, oldest first. */
  expired(now: number, limit: number): Promise<readonly ExpiredOwnershipToken[]>;
  forget(scope: Scope, certificateId: string): Promise<void>;
}
