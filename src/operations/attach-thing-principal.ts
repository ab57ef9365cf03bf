import type { ThingPrincipalType } from '../domain/things/thing-principal-type.js';
import { thingAttachRule } from '../domain/things/thing-rules.js';
import type { OperationContext } from './context.js';
import { certificateIdOfPrincipal } from './thing-principal.js';

export interface AttachThingPrincipalInput {
  readonly thingName: string;
  readonly principal: string;
  readonly thingPrincipalType?: ThingPrincipalType;
}

/**
 * Attaches a certificate of the caller's to a thing; attaching it again changes nothing. EXCLUSIVE_THING is
 * refused while the certificate is attached to another thing (fleetca does not remember the type afterwards).
 */
export async function attachThingPrincipal(input: AttachThingPrincipalInput, ctx: OperationContext) {
  const certificateId = certificateIdOfPrincipal(input.principal, ctx.scope);
  const exclusive = input.thingPrincipalType === 'EXCLUSIVE_THING';
  await ctx.registry.things.attachPrincipal(
    ctx.scope,
    input.thingName,
    certificateId,
    thingAttachRule(exclusive, input.principal, input.thingName),
  );
  return {};
}
