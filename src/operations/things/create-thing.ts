import { randomUUID } from 'node:crypto';
import { sameThingConfiguration } from '../../domain/things/thing-configuration.js';
import { type ThingRecord, thingArn } from '../../domain/things/thing-record.js';
import { ServiceError, serviceErrors } from '../../errors.js';
import { CreateThing } from '../../model/things.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';

export interface CreateThingInput {
  readonly thingName: string;
  readonly thingTypeName?: string;
  readonly attributePayload?: { readonly attributes?: Readonly<Record<string, string>>; readonly merge?: boolean };
  readonly billingGroupName?: string;
}

/** AWS's limit for a thing without a thing type (things with one may have 50; fleetca has no thing types). */
const MAX_ATTRIBUTES_WITHOUT_TYPE = 3;

export const createThing = defineOperation({
  model: CreateThing,
  run,
  cli: {
    examples: [
      {
        title: 'To create a thing with attributes',
        description:
          'Creates the thing, or answers the existing one when it has the same attributes. A thing without a thing type has at most three attributes.',
        command: 'fleetca iot create-thing --thing-name sensor-42 --attribute-payload "attributes={site=lyon,floor=3}"',
      },
    ],
  },
});

/**
 * Creates a thing (id a UUID, version 1). Asking again for the same name with the same type and attributes
 * answers the thing already there; with different ones, ResourceAlreadyExistsException. `merge` means
 * something only to UpdateThing and is ignored here.
 */
async function run(input: CreateThingInput, ctx: OperationContext) {
  // fleetca has no thing types nor billing groups (CreateThingType ... are not served): none can be named.
  if (input.thingTypeName !== undefined) {
    throw new ServiceError('ResourceNotFoundException', `Thing type ${input.thingTypeName} does not exist`);
  }
  if (input.billingGroupName !== undefined) {
    throw new ServiceError('ResourceNotFoundException', `Billing group ${input.billingGroupName} does not exist`);
  }
  const attributes = input.attributePayload?.attributes ?? {};
  if (Object.keys(attributes).length > MAX_ATTRIBUTES_WITHOUT_TYPE) {
    throw serviceErrors.invalidRequest(
      `A thing without a thing type can have at most ${MAX_ATTRIBUTES_WITHOUT_TYPE} attributes`,
    );
  }
  const asked: ThingRecord = {
    ...ctx.scope,
    thingName: input.thingName,
    thingId: randomUUID(),
    attributes,
    version: 1,
    creationDate: ctx.now().getTime(),
  };
  const { thing, created } = await ctx.registry.things.createThing(asked);
  const arn = thingArn(thing, thing.thingName);
  if (!created && !sameThingConfiguration(thing, asked)) {
    throw serviceErrors.alreadyExists(
      `Thing ${thing.thingName} already exists in account with different attributes`,
      thing.thingId,
      arn,
    );
  }
  return { thingName: thing.thingName, thingArn: arn, thingId: thing.thingId };
}
