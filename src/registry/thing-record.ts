import { partitionOf, type Scope } from './certificate-record.js';

/** A thing's attributes, name to value (CreateThing's attributePayload.attributes). */
export type ThingAttributes = Readonly<Record<string, string>>;

/** What the registry keeps about one thing: everything DescribeThing returns. Dates are epoch milliseconds. */
export interface ThingRecord extends Scope {
  readonly thingName: string;
  /** A UUID, made when the thing is created. */
  readonly thingId: string;
  readonly thingTypeName?: string;
  readonly attributes: ThingAttributes;
  /** 1 when created; DeleteThing's expectedVersion is compared with it. */
  readonly version: number;
  readonly creationDate: number;
}

export function thingArn(scope: Scope, thingName: string): string {
  return `arn:${partitionOf(scope.region)}:iot:${scope.region}:${scope.accountId}:thing/${thingName}`;
}

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
