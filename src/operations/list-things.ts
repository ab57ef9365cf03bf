import { serviceErrors } from '../errors.js';
import { thingArn } from '../registry/thing-record.js';
import type { OperationContext } from './context.js';
import { encodeThingToken, keyPageQuery } from './thing-list-token.js';

export interface ListThingsInput {
  readonly nextToken?: string;
  readonly maxResults?: number;
  readonly attributeName?: string;
  readonly attributeValue?: string;
  readonly thingTypeName?: string;
  readonly usePrefixAttributeValue?: boolean;
}

/** Things by name, optionally only those whose attribute has a value (or a value prefix) or of a thing type. */
export async function listThings(input: ListThingsInput, ctx: OperationContext) {
  const { attributeName, attributeValue } = input;
  // An attribute filter needs both halves: a name alone or a value alone filters on nothing definite.
  if ((attributeName === undefined) !== (attributeValue === undefined)) {
    throw serviceErrors.invalidRequest('attributeName and attributeValue must be given together');
  }
  const page = await ctx.registry.things.listThings(ctx.scope, {
    ...keyPageQuery('things', input),
    ...(input.thingTypeName !== undefined && { thingTypeName: input.thingTypeName }),
    ...(attributeName !== undefined &&
      attributeValue !== undefined && {
        attribute: { name: attributeName, value: attributeValue, prefix: input.usePrefixAttributeValue === true },
      }),
  });
  return {
    things: page.records.map((thing) => ({
      thingName: thing.thingName,
      thingTypeName: thing.thingTypeName,
      thingArn: thingArn(thing, thing.thingName),
      attributes: thing.attributes,
      version: thing.version,
    })),
    nextToken: page.next && encodeThingToken('things', page.next),
  };
}
