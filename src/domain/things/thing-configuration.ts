import type { ThingRecord } from './thing-record.js';

/**
 * Whether a thing asked for again has the configuration of the one stored (CreateThing is idempotent only
 * then): the same thing type and the same attributes, in any order.
 */
export function sameThingConfiguration(
  stored: Pick<ThingRecord, 'thingTypeName' | 'attributes'>,
  asked: Pick<ThingRecord, 'thingTypeName' | 'attributes'>,
): boolean {
  if ((stored.thingTypeName ?? null) !== (asked.thingTypeName ?? null)) return false;
  const storedNames = Object.keys(stored.attributes);
  if (storedNames.length !== Object.keys(asked.attributes).length) return false;
  return storedNames.every(
    (name) => Object.hasOwn(asked.attributes, name) && asked.attributes[name] === stored.attributes[name],
  );
}
