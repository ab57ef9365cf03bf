import type { ClaimGrantRule } from '../domain/provisioning/claim-grant.js';
import type {
  ProvisioningClaim,
  ProvisioningClaimRecord,
  TemporaryClaim,
} from '../domain/provisioning/provisioning-claim-record.js';
import type { Scope } from '../domain/scope.js';

/**
 * Certificates that may use the fleet-provisioning topics of a template (table provisioning_claims): temporary
 * claim certificates from CreateProvisioningClaim and registered certificates granted as long-lived claims.
 */
export interface ProvisioningClaimStore {
  /**
   * Stores a temporary claim, in one transaction with a check that its template still exists in the scope
   * (a concurrent DeleteProvisioningTemplate either sees the claim and removes it, or is seen). False when
   * the template is gone: nothing was stored.
   */
  insertTemporary(claim: TemporaryClaim): Promise<boolean>;
  /**
   * Runs the rule on the current state and, unless it throws, records the certificate as a long-lived claim
   * for the template. False when that grant already existed (nothing changed).
   */
  grant(
    scope: Scope,
    certificateId: string,
    templateName: string,
    createdAt: number,
    rule: ClaimGrantRule,
  ): Promise<boolean>;
  /** Removes a long-lived grant; false when there was none. Temporary claims are left to expire. */
  revoke(scope: Scope, certificateId: string, templateName: string): Promise<boolean>;
  /** The scope's claims, unexpired temporary ones and grants, by certificate id then template name. */
  listClaims(scope: Scope, now: number): Promise<readonly ProvisioningClaimRecord[]>;
  /**
   * The claim a certificate presented to the device endpoint holds, across every account and region: a
   * temporary claim not expired at `now`, or grants whose certificate is ACTIVE. Undefined when there is none,
   * or (fail closed) when its claims would span more than one scope or kind.
   */
  findByCertificateId(certificateId: string, now: number): Promise<ProvisioningClaim | undefined>;
  /** Deletes the temporary claims expired at `now` (grants never expire); returns how many. */
  deleteExpired(now: number): Promise<number>;
}
