import type { EventConfigurationsRecord, EventType } from '../domain/events/event-configurations.js';
import type { Scope } from '../domain/scope.js';
import type { DeviceEventChange } from './registry-changes.js';

/**
 * The events of an account and region: which kinds are published (UpdateEventConfigurations), and the channel
 * that carries an event to every process on the registry, so that each one's MQTT broker delivers it.
 */
export interface EventStore {
  /** The scope's settings; every type off (and no dates) when none was ever written. */
  describeConfigurations(scope: Scope): Promise<EventConfigurationsRecord>;
  /**
   * Writes the given switches (others unchanged) at `now`, in one transaction that announces an
   * `event-configurations` change, so every process reads them again.
   */
  updateConfigurations(
    scope: Scope,
    enabled: Readonly<Partial<Record<EventType, boolean>>>,
    now: number,
  ): Promise<void>;
  /**
   * Hands `event` to every process watching the registry, this one included, exactly once each (PostgreSQL:
   * NOTIFY, heard by every replica's feed; SQLite: the change log for other processes, this process's hub).
   */
  announce(event: DeviceEventChange): Promise<void>;
}
