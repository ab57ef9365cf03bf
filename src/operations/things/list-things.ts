import { thingArn } from '../../domain/things/thing-record.js';
import { serviceErrors } from '../../errors.js';
import { ListThings } from '../../model/things.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';
import { encodeThingToken, keyPageQuery } from './thing-list-token.js';

export interface ListThingsInput {
  readonly nextToken?: string;
  readonly maxResults?: number;
  readonly attributeName?: string;
  readonly attributeValue?: string;
  readonly thingTypeName?: string;
  readonly usePrefixAttributeValue?: boolean;
}

export const listThings = defineOperation({
  model: ListThings,
  run,
  cli: {
    examples: [
      {
        title: 'To list the things with a given attribute value',
        description: 'Things are listed by name; without the filter every thing of the account is listed.',
        command: 'fleetca iot list-things --attribute-name site --attribute-value lyon --query "things[].thingName"',
      },
    ],
  },
});

/** Things by name, optionally only those whose attribute has a value (or a value prefix) or of a thing type. */
async function run(input: ListThingsInput, ctx: OperationContext) {
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
