import { createHash } from 'node:crypto';
import type { ThingRecord } from '../../../domain/things/thing-record.js';
import type { RegistryChange, ThingChangeEvent } from '../../../registry/registry-changes.js';

type ThingChange = Extract<RegistryChange, { kind: 'thing' }> & { readonly event: ThingChangeEvent };

/** A thing change that says what happened (changes written before events, or by older versions, do not). */
export function isThingEventChange(change: RegistryChange): change is ThingChange {
  return change.kind === 'thing' && change.event !== undefined;
}

/**
 * The registry event of a thing change (`$aws/events/thing/{thingName}/created|updated|deleted`, reference §3.3).
 * `current`: the thing as read now, for attributes the change could not carry. Every replica derives the same
 * eventId from the change, so a subscriber can tell the copies of one event apart from two events.
 */
export function thingEvent(
  change: ThingChange,
  current: ThingRecord | undefined,
  now: number,
): { readonly topic: string; readonly payload: Record<string, unknown> } {
  const { event } = change;
  const attributes = event.attributes ?? (current?.thingId === event.thingId ? current.attributes : {});
  return {
    topic: `$aws/events/thing/${change.thingName}/${event.operation.toLowerCase()}`,
    payload: {
      eventType: 'THING_EVENT',
      eventId: eventIdOf(change),
      timestamp: now,
      operation: event.operation,
      accountId: change.accountId,
      thingId: event.thingId,
      thingName: change.thingName,
      versionNumber: event.versionNumber,
      thingTypeName: event.thingTypeName ?? null,
      attributes,
    },
  };
}

/** A UUID-shaped digest of what the event is about. */
function eventIdOf(change: ThingChange): string {
  const { event } = change;
  const hex = createHash('sha256')
    .update([change.accountId, change.region, change.thingName, event.thingId, event.operation].join('\u0000'))
    .update(`\u0000${event.versionNumber}`)
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
