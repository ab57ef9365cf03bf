import { thingDetachRule } from '../../domain/things/thing-rules.js';
import { DetachThingPrincipal } from '../../model/things.js';
import { EXAMPLE_CERTIFICATE_ARN } from '../cli-example-values.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';
import { certificateIdOfPrincipal } from './thing-principal.js';

export interface DetachThingPrincipalInput {
  readonly thingName: string;
  readonly principal: string;
}

export const detachThingPrincipal = defineOperation({
  model: DetachThingPrincipal,
  run,
  cli: {
    examples: [
      {
        title: 'To detach a certificate from a thing',
        description: 'The command prints nothing when it succeeds.',
        command: `fleetca iot detach-thing-principal --thing-name sensor-42 --principal ${EXAMPLE_CERTIFICATE_ARN}`,
      },
    ],
  },
});

/** The thing and the certificate must exist; detaching a certificate that is not attached changes nothing. */
async function run(input: DetachThingPrincipalInput, ctx: OperationContext) {
  const certificateId = certificateIdOfPrincipal(input.principal, ctx.scope);
  await ctx.registry.things.detachPrincipal(ctx.scope, input.thingName, certificateId, thingDetachRule());
  return {};
}
