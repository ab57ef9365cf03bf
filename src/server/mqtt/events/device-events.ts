import type { EventConfigurationsRecord, EventType } from '../../../domain/events/event-configurations.js';
import type { Scope } from '../../../domain/scope.js';
import type { EventStore } from '../../../registry/event-store.js';
import type { RegistryChange, RegistryChanges } from '../../../registry/registry-changes.js';
import type { ThingStore } from '../../../registry/thing-store.js';
import type { Logger } from '../../logging/logger.js';
import type { CloseReason } from '../broker/broker.js';
import { type PresenceEvent, PresenceEvents, type PresenceFacts } from './presence-events.js';
import { isThingEventChange, thingEvent } from './registry-events.js';

/** What the events need of the registry. */
export interface DeviceEventSources {
  readonly events: EventStore;
  readonly things: Pick<ThingStore, 'getThing'>;
}

export interface DeviceEventsOptions extends DeviceEventSources {
  readonly changes: RegistryChanges;
  /** Publishes into this process's broker, in the namespace of `scope` (each delivery authorized there). */
  readonly deliver: (scope: Scope, topic: string, payload: Buffer) => void;
  readonly logger: Logger;
  readonly now?: () => number;
}

/**
 * The events devices subscribe to under `$aws/events/`, on every replica of a registry:
 * - events one replica sees (presence, a certificate registered at first connection) are handed to `publish`, which
 *   announces them through the registry (a `device-event` change: NOTIFY on PostgreSQL); every replica, this one
 *   included, delivers each once into its broker when it hears it;
 * - registry events are derived by each replica from the thing changes it hears (which every replica hears once),
 *   when the account and region enabled them (UpdateEventConfigurations), so they need no message of their own.
 */
export class DeviceEvents {
  readonly #options: DeviceEventsOptions;
  readonly #now: () => number;
  /** Each scope's settings, read once and dropped when the feed says they changed (only with a database-wide feed). */
  readonly #configurations = new Map<string, Promise<EventConfigurationsRecord>>();
  readonly #unsubscribe: () => void;
  readonly #presence = new PresenceEvents();

  constructor(options: DeviceEventsOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#unsubscribe = options.changes.subscribe((change) => this.#onChange(change));
  }

  /**
   * Publishes `payload` (JSON) on `topic` to the subscribers of `scope` on every replica, at QoS 0 as AWS does. Never
   * throws: when the registry cannot carry it, this replica's subscribers still get it.
   */
  publish(scope: Scope, topic: string, payload: Record<string, unknown>): void {
    const change = {
      kind: 'device-event' as const,
      accountId: scope.accountId,
      region: scope.region,
      topic,
      payload: JSON.stringify(payload),
    };
    this.#options.events.announce(change).catch((err: unknown) => {
      this.#options.logger.warn({ err, topic }, 'event not announced to other replicas; delivered here only');
      this.#deliver(scope, topic, change.payload);
    });
  }

  /** Connection `id` was admitted: its connected event. */
  connected(id: number, facts: PresenceFacts): void {
    this.#publishPresence(this.#presence.connected(id, facts, this.#now()));
  }

  /** Connection `id` ended: its disconnected event, if it had a connected one. */
  disconnected(id: number, reason: CloseReason): void {
    this.#publishPresence(this.#presence.disconnected(id, reason, this.#now()));
  }

  #publishPresence(event: PresenceEvent | undefined): void {
    if (event !== undefined) this.publish(event.scope, event.topic, event.payload);
  }

  /** Whether `type`'s events are enabled in `scope`. */
  async enabled(scope: Scope, type: EventType): Promise<boolean> {
    const key = `${scope.accountId}/${scope.region}`;
    let record = this.#configurations.get(key);
    if (record === undefined) {
      record = this.#options.events.describeConfigurations(scope);
      // Cached only while every change is heard; a failed read is not kept.
      if (this.#options.changes.reach === 'database') this.#configurations.set(key, record);
      record.catch(() => this.#configurations.delete(key));
    }
    return (await record).enabled[type];
  }

  close(): void {
    this.#unsubscribe();
  }

  #onChange(change: RegistryChange): void {
    if (change.kind === 'device-event') {
      this.#deliver({ accountId: change.accountId, region: change.region }, change.topic, change.payload);
    } else if (change.kind === 'event-configurations') {
      this.#configurations.delete(`${change.accountId}/${change.region}`);
    } else if (change.kind === 'resync') {
      this.#configurations.clear();
    } else if (isThingEventChange(change)) {
      void this.#publishThingEvent(change);
    }
  }

  async #publishThingEvent(change: Parameters<typeof thingEvent>[0]): Promise<void> {
    const scope = { accountId: change.accountId, region: change.region };
    try {
      if (!(await this.enabled(scope, 'THING'))) return;
      const needsRead = change.event.attributes === undefined && change.event.operation !== 'DELETED';
      const current = needsRead ? await this.#options.things.getThing(scope, change.thingName) : undefined;
      const { topic, payload } = thingEvent(change, current, this.#now());
      this.#deliver(scope, topic, JSON.stringify(payload));
    } catch (err) {
      this.#options.logger.warn({ err, thingName: change.thingName }, 'thing event not published');
    }
  }

  #deliver(scope: Scope, topic: string, payload: string): void {
    try {
      this.#options.deliver(scope, topic, Buffer.from(payload));
    } catch (err) {
      this.#options.logger.warn({ err, topic }, 'event not delivered');
    }
  }
}
