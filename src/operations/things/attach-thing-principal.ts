import type { ThingPrincipalType } from '../../domain/things/thing-principal-type.js';
import { thingAttachRule } from '../../domain/things/thing-rules.js';
import { AttachThingPrincipal } from '../../model/things.js';
import { EXAMPLE_CERTIFICATE_ARN } from '../cli-example-values.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';
import { certificateIdOfPrincipal } from './thing-principal.js';

export interface AttachThingPrincipalInput {
  readonly thingName: string;
  readonly principal: string;
  readonly thingPrincipalType?: ThingPrincipalType;
}

export const attachThingPrincipal = defineOperation({
  model: AttachThingPrincipal,
  run,
  cli: {
    examples: [
      {
        title: 'To attach a certificate to a thing',
        description:
          'The principal is the certificate ARN. While attached, the certificate cannot be deleted. The command prints nothing when it succeeds.',
        command: `fleetca iot attach-thing-principal --thing-name sensor-42 --principal ${EXAMPLE_CERTIFICATE_ARN}`,
      },
    ],
  },
});

/**
 * Attaches a certificate of the caller's to a thing; attaching it again changes nothing. EXCLUSIVE_THING is
 * refused while the certificate is attached to another thing (fleetca does not remember the type afterwards).
 */
async function run(input: AttachThingPrincipalInput, ctx: OperationContext) {
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
