import type { Scope } from '../../registry/certificate-record.js';
import type { ClaimGrantRule } from '../../registry/provisioning-claim-record.js';

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
