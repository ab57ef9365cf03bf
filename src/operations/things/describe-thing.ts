import { thingArn } from '../../domain/things/thing-record.js';
import { serviceErrors } from '../../errors.js';
import { DescribeThing } from '../../model/things.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';

export interface DescribeThingInput {
  readonly thingName: string;
}

export const describeThing = defineOperation({
  model: DescribeThing,
  run,
  cli: {
    examples: [
      {
        title: 'To show a thing',
        description: 'Prints its name, id, ARN, attributes and version.',
        command: 'fleetca iot describe-thing --thing-name sensor-42',
      },
    ],
  },
});

async function run(input: DescribeThingInput, ctx: OperationContext) {
  const thing = await ctx.registry.things.getThing(ctx.scope, input.thingName);
  if (!thing) throw serviceErrors.notFound();
  return {
    // The thing name is the default MQTT client id, as AWS reports it.
    defaultClientId: thing.thingName,
    thingName: thing.thingName,
    thingId: thing.thingId,
    thingArn: thingArn(thing, thing.thingName),
    thingTypeName: thing.thingTypeName,
    attributes: thing.attributes,
    version: thing.version,
  };
}
