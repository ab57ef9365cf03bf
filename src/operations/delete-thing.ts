import { thingDeletionRule } from '../domain/things/thing-rules.js';
import type { OperationContext } from './context.js';

export interface DeleteThingInput {
  readonly thingName: string;
  readonly expectedVersion?: number;
}

/** Succeeds for a thing that does not exist, as AWS documents; refuses a wrong version and attached principals. */
export async function deleteThing(input: DeleteThingInput, ctx: OperationContext) {
  await ctx.registry.things.deleteThing(
    ctx.scope,
    input.thingName,
    thingDeletionRule(input.thingName, input.expectedVersion),
  );
  return {};
}
