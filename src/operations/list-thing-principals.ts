import { ServiceError } from '../errors.js';
import { certificateArn } from '../registry/certificate-record.js';
import type { OperationContext } from './context.js';
import { encodeThingToken, keyPageQuery } from './thing-list-token.js';

export interface ListThingPrincipalsInput {
  readonly thingName: string;
  readonly nextToken?: string;
  readonly maxResults?: number;
}

/** The ARNs of the certificates attached to a thing, by certificate id. */
export async function listThingPrincipals(input: ListThingPrincipalsInput, ctx: OperationContext) {
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
