import type { CertificateStatus } from '../domain/certificates/certificate-status.js';
import type { ClaimKind } from '../domain/provisioning/claim-kind.js';
import type { TemplateType } from '../domain/provisioning/template-type.js';
import type { Scope } from './certificate-record.js';

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

/** What a grant rule decides on, read in the transaction that inserts the grant. */
export interface ClaimGrantState {
  /** The certificate's status in the grant's account and region; undefined when it is not there. */
  readonly certificateStatus: CertificateStatus | undefined;
  /** The template's type in the grant's account and region; undefined when there is no such template. */
  readonly templateType: TemplateType | undefined;
  /**
   * Other claims of the same certificate id that are not long-lived grants in this scope (grants in another
   * account or region, or a temporary claim): a certificate's claims stay in one scope, so that the device
   * endpoint's lookup by certificate id is never ambiguous.
   */
  readonly conflictingClaims: number;
}

/** Decides whether a certificate may become a long-lived claim; throws to refuse. */
export type ClaimGrantRule = (state: ClaimGrantState) => void;
