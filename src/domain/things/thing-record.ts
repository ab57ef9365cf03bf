import { partitionOf, type Scope } from '../scope.js';

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
