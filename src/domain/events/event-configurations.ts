import type { Scope } from '../scope.js';

/**
 * The kinds of event AWS IoT publishes that UpdateEventConfigurations turns on or off, per account and region
 * (the service model's `EventType` enum). All are off until enabled.
 */
export const EVENT_TYPES = [
  'THING',
  'THING_GROUP',
  'THING_TYPE',
  'THING_GROUP_MEMBERSHIP',
  'THING_GROUP_HIERARCHY',
  'THING_TYPE_ASSOCIATION',
  'JOB',
  'JOB_EXECUTION',
  'POLICY',
  'CERTIFICATE',
  'CA_CERTIFICATE',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}

/** What an account and region have set: every type's switch, and when the settings were first and last written. */
export interface EventConfigurationsRecord extends Scope {
  readonly enabled: Readonly<Record<EventType, boolean>>;
  /** Absent while nothing was ever written (every type off). */
  readonly creationDate?: number;
  readonly lastModifiedDate?: number;
}

/** The settings of a scope that never wrote any: everything off. */
export function defaultEventConfigurations(scope: Scope): EventConfigurationsRecord {
  const enabled = Object.fromEntries(EVENT_TYPES.map((type) => [type, false])) as Record<EventType, boolean>;
  return { accountId: scope.accountId, region: scope.region, enabled };
}
