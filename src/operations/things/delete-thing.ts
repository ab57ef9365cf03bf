import { thingDeletionRule } from '../../domain/things/thing-rules.js';
import { DeleteThing } from '../../model/things.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';

export interface DeleteThingInput {
  readonly thingName: string;
  readonly expectedVersion?: number;
}

export const deleteThing = defineOperation({
  model: DeleteThing,
  run,
  cli: {
    examples: [
      {
        title: 'To delete a thing at a known version',
        description:
          'Its certificates must be detached first. Deleting a thing that does not exist succeeds and prints nothing.',
        command: 'fleetca iot delete-thing --thing-name sensor-42 --expected-version 1',
      },
    ],
  },
});

/** Succeeds for a thing that does not exist, as AWS documents; refuses a wrong version and attached principals. */
async function run(input: DeleteThingInput, ctx: OperationContext) {
  await ctx.registry.things.deleteThing(
    ctx.scope,
    input.thingName,
    thingDeletionRule(input.thingName, input.expectedVersion),
  );
  return {};
}
