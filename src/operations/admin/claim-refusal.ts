import type { ClaimGrantRule, ClaimGrantState } from '../../domain/provisioning/claim-grant.js';
import { ClaimGrantError, claimGrantRule, noSuchGrant } from '../../domain/provisioning/claim-grant.js';
import type { Scope } from '../../domain/scope.js';
import { ServiceError, type ServiceErrorCode } from '../../errors.js';

/**
 * The grant rule (`claimGrantRule`) with its refusals as service errors: the rule words the refusal, and the code
 * follows from what it was refused on, checked in the rule's own order.
 */
export function serviceGrantRule(scope: Scope, certificateId: string, templateName: string): ClaimGrantRule {
  const rule = claimGrantRule(scope, certificateId, templateName);
  return (state) => {
    try {
      rule(state);
    } catch (error) {
      if (error instanceof ClaimGrantError) throw new ServiceError(refusalCode(state), error.message);
      throw error;
    }
  };
}

function refusalCode(state: ClaimGrantState): ServiceErrorCode {
  if (state.certificateStatus === undefined) return 'ResourceNotFoundException';
  if (state.certificateStatus !== 'ACTIVE') return 'CertificateStateException';
  if (state.templateType === undefined) return 'ResourceNotFoundException';
  if (state.templateType !== 'FLEET_PROVISIONING') return 'InvalidRequestException';
  return 'CertificateConflictException';
}

/** revoke-claim found no grant to remove. */
export function noSuchGrantError(scope: Scope, certificateId: string, templateName: string): ServiceError {
  return new ServiceError('ResourceNotFoundException', noSuchGrant(scope, certificateId, templateName).message);
}
