import type { EventConfigurationsRecord, EventType } from '../../domain/events/event-configurations.js';
import type { Scope } from '../../domain/scope.js';
import {
  type EventConfigurationRow,
  eventConfigurationsFromRows,
  SELECT_EVENT_CONFIGURATIONS,
} from '../event-configuration-rows.js';
import type { EventStore } from '../event-store.js';
import { type ChangeHub, type DeviceEventChange, encodeChange } from '../registry-changes.js';
import type { PgDatabase } from './pg-database.js';
import { announceChange } from './pg-notify.js';

/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more. */
const NOTIFY_PAYLOAD_MAX = 7999;

const SELECT = `${SELECT_EVENT_CONFIGURATIONS} WHERE account_id = $1 AND region = $2`;
const UPSERT = `INSERT INTO event_configurations (account_id, region, event_type, enabled, creation_date, last_modified_date)
  VALUES ($1, $2, $3, $4, $5, $5)
  ON CONFLICT (account_id, region, event_type)
  DO UPDATE SET enabled = excluded.enabled, last_modified_date = excluded.last_modified_date`;

/**
 * EventStore on PostgreSQL. A device event is a NOTIFY outside any transaction: every replica's change feed hears
 * it once, this one's included, so each publishes it into its own broker exactly once.
 */
export class PgEventStore implements EventStore {
  readonly #db: PgDatabase;
  /** Where an event too large for a NOTIFY goes: this replica only. */
  readonly #local: ChangeHub;

  constructor(db: PgDatabase, local: ChangeHub) {
    this.#db = db;
    this.#local = local;
  }

  async describeConfigurations(scope: Scope): Promise<EventConfigurationsRecord> {
    const { rows } = await this.#db.query<EventConfigurationRow>(SELECT, [scope.accountId, scope.region]);
    return eventConfigurationsFromRows(scope, rows);
  }

  updateConfigurations(
    scope: Scope,
    enabled: Readonly<Partial<Record<EventType, boolean>>>,
    now: number,
  ): Promise<void> {
    return this.#db.transaction(async (tx) => {
      for (const [eventType, on] of Object.entries(enabled)) {
        await tx.query(UPSERT, [scope.accountId, scope.region, eventType, on ? 1 : 0, now]);
      }
      await announceChange(tx, { kind: 'event-configurations', accountId: scope.accountId, region: scope.region });
    });
  }

  async announce(event: DeviceEventChange): Promise<void> {
    if (Buffer.byteLength(encodeChange(event)) > NOTIFY_PAYLOAD_MAX) {
      this.#local.publish(event);
      return;
    }
    await announceChange(this.#db, event);
  }
}
