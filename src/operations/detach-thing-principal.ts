import { thingDetachRule } from '../domain/things/thing-rules.js';
import type { OperationContext } from './context.js';
import { certificateIdOfPrincipal } from './thing-principal.js';

export interface DetachThingPrincipalInput {
  readonly thingName: string;
  readonly principal: string;
}

/** The thing and the certificate must exist; detaching a certificate that is not attached changes nothing. */
export async function detachThingPrincipal(input: DetachThingPrincipalInput, ctx: OperationContext) {
  const certificateId = certificateIdOfPrincipal(input.principal, ctx.scope);
  await ctx.registry.things.detachPrincipal(ctx.scope, input.thingName, certificateId, thingDetachRule());
  return {};
}
