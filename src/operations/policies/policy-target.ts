import type { Scope } from '../../domain/scope.js';
import { serviceErrors } from '../../errors.js';
import { certificateIdOfPrincipal } from '../things/thing-principal.js';

const THING_GROUP_ARN = /^arn:[^:]*:iot:[^:]*:[^:]*:thinggroup\/.+$/;

/**
 * The certificate a policy target or principal names: a certificate ARN of the caller's account and region
 * (things/thing-principal.ts decides, as for thing principals). A thing-group ARN is a form AWS accepts, but fleetca
 * has no thing groups, so it names no resource: ResourceNotFoundException. A Cognito identity (REGION:ID) and any
 * other text are refused with InvalidRequestException: fleetca has no Cognito identities, and AWS's own answer for
 * an unknown identity is not documented.
 */
export function certificateIdOfTarget(target: string, scope: Scope): string {
  if (THING_GROUP_ARN.test(target)) throw serviceErrors.notFound();
  return certificateIdOfPrincipal(target, scope);
}
