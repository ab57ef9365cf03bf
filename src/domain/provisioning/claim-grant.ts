import type { CertificateStatus } from '../certificates/certificate-status.js';
import type { Scope } from '../scope.js';
import type { TemplateType } from './template-type.js';

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

/** Why a certificate cannot become (or stop being) a long-lived claim; the message is meant for an operator. */
export class ClaimGrantError extends Error {
  override readonly name = 'ClaimGrantError';
}

const where = (scope: Scope) => `account ${scope.accountId}, region ${scope.region}`;

/**
 * The rule `fleetca admin grant-claim` applies: an ACTIVE certificate of the scope, a fleet-provisioning template
 * of the scope, and no claims of the certificate elsewhere (so the device endpoint's lookup stays unambiguous).
 */
export function claimGrantRule(scope: Scope, certificateId: string, templateName: string): ClaimGrantRule {
  return ({ certificateStatus, templateType, conflictingClaims }) => {
    if (certificateStatus === undefined) {
      throw new ClaimGrantError(`certificate ${certificateId} does not exist in ${where(scope)}`);
    }
    if (certificateStatus !== 'ACTIVE') {
      throw new ClaimGrantError(
        `certificate ${certificateId} is ${certificateStatus}; only an ACTIVE certificate can be granted a claim`,
      );
    }
    if (templateType === undefined) {
      throw new ClaimGrantError(`provisioning template ${templateName} does not exist in ${where(scope)}`);
    }
    if (templateType !== 'FLEET_PROVISIONING') {
      throw new ClaimGrantError(
        `provisioning template ${templateName} is of type ${templateType}; claims are for FLEET_PROVISIONING templates`,
      );
    }
    if (conflictingClaims > 0) {
      throw new ClaimGrantError(
        `certificate ${certificateId} already holds a claim in another account or region, or is a temporary claim certificate`,
      );
    }
  };
}

/** revoke-claim found no grant to remove. */
export function noSuchGrant(scope: Scope, certificateId: string, templateName: string): ClaimGrantError {
  return new ClaimGrantError(
    `certificate ${certificateId} holds no claim for provisioning template ${templateName} in ${where(scope)}`,
  );
}
