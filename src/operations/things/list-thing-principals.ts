import { certificateArn } from '../../domain/certificates/certificate-record.js';
import { ServiceError } from '../../errors.js';
import { ListThingPrincipals } from '../../model/things.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';
import { encodeThingToken, keyPageQuery } from './thing-list-token.js';

export interface ListThingPrincipalsInput {
  readonly thingName: string;
  readonly nextToken?: string;
  readonly maxResults?: number;
}

export const listThingPrincipals = defineOperation({
  model: ListThingPrincipals,
  run,
  cli: {
    examples: [
      {
        title: 'To list the certificates of a thing',
        description: 'Prints the certificate ARNs attached to the thing.',
        command: 'fleetca iot list-thing-principals --thing-name sensor-42',
      },
    ],
  },
});

/** The ARNs of the certificates attached to a thing, by certificate id. */
async function run(input: ListThingPrincipalsInput, ctx: OperationContext) {
  const page = await ctx.registry.things.listThingPrincipals(
    ctx.scope,
    input.thingName,
    keyPageQuery('principals', input),
  );
  if (!page) {
    throw new ServiceError(
      'ResourceNotFoundException',
      `Failed to list principals for thing ${input.thingName} because the thing does not exist in your account`,
    );
  }
  return {
    principals: page.keys.map((certificateId) => certificateArn(ctx.scope, certificateId)),
    nextToken: page.next && encodeThingToken('principals', page.next),
  };
}
