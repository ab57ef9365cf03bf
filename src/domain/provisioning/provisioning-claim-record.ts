import type { Scope } from '../scope.js';
import type { ClaimKind } from './claim-kind.js';

/**
 * `temporary`: a claim certificate made by CreateProvisioningClaim, valid five minutes, kept only in
 * provisioning_claims (with its PEM) and never listed as a certificate. `registered`: a certificate of the
 * registry designated by an operator (`fleetca admin grant-claim`) as a long-lived claim.
 */
export type ProvisioningClaimKind = ClaimKind;

/** One row: a certificate that may use one template's fleet-provisioning topics. Dates are epoch ms. */
export interface ProvisioningClaimRecord extends Scope {
  readonly certificateId: string;
  readonly templateName: string;
  readonly kind: ProvisioningClaimKind;
  /** Temporary claims only. */
  readonly expiresAt?: number;
  readonly createdAt: number;
}

/** A claim certificate issued by CreateProvisioningClaim, as it is stored. */
export interface TemporaryClaim extends Scope {
  readonly certificateId: string;
  readonly certificatePem: string;
  readonly templateName: string;
  readonly expiresAt: number;
  readonly createdAt: number;
}

/**
 * What the device endpoint learns from a certificate it was presented: whose claim it is, and which templates
 * it may provision with. A temporary claim brings its PEM and expiry (it is in no other table); a registered
 * one is found only while its certificate is ACTIVE, and its PEM is the certificate's.
 */
export interface ProvisioningClaim extends Scope {
  readonly certificateId: string;
  readonly kind: ProvisioningClaimKind;
  /** Sorted, never empty. */
  readonly templateNames: readonly string[];
  readonly expiresAt?: number;
  readonly certificatePem?: string;
}
