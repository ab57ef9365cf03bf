import type Database from 'better-sqlite3';
import type { EventConfigurationsRecord, EventType } from '../../domain/events/event-configurations.js';
import type { Scope } from '../../domain/scope.js';
import {
  type EventConfigurationRow,
  eventConfigurationsFromRows,
  SELECT_EVENT_CONFIGURATIONS,
} from '../event-configuration-rows.js';
import type { EventStore } from '../event-store.js';
import type { DeviceEventChange } from '../registry-changes.js';
import { announcingTransaction, type SqliteAnnouncer } from './sqlite-changes.js';

interface ScopeKey {
  readonly account_id: string;
  readonly region: string;
}

type Switches = Readonly<Partial<Record<EventType, boolean>>>;

/**
 * EventStore on the registry's SQLite connection. Device events go to this process's hub only: on SQLite the one
 * process with a broker is `fleetca serve` (other processes on the file are CLI runs), and logging each connect
 * and disconnect to the file would cost a write and an fsync apiece.
 */
export class SqliteEventStore implements EventStore {
  readonly #select: Database.Statement<[ScopeKey], EventConfigurationRow>;
  readonly #update: (scope: Scope, enabled: Switches, now: number) => void;
  readonly #announcer: SqliteAnnouncer;

  constructor(db: Database.Database, announcer: SqliteAnnouncer = {}) {
    this.#announcer = announcer;
    this.#select = db.prepare<[ScopeKey], EventConfigurationRow>(
      `${SELECT_EVENT_CONFIGURATIONS} WHERE account_id = @account_id AND region = @region`,
    );
    const upsert = db.prepare<[ScopeKey & { event_type: string; enabled: number; now: number }]>(
      `INSERT INTO event_configurations (account_id, region, event_type, enabled, creation_date, last_modified_date)
        VALUES (@account_id, @region, @event_type, @enabled, @now, @now)
        ON CONFLICT (account_id, region, event_type)
        DO UPDATE SET enabled = excluded.enabled, last_modified_date = excluded.last_modified_date`,
    );
    this.#update = announcingTransaction(db, announcer, (announce, scope: Scope, enabled: Switches, now: number) => {
      const key = { account_id: scope.accountId, region: scope.region };
      for (const [eventType, on] of Object.entries(enabled)) {
        upsert.run({ ...key, event_type: eventType, enabled: on ? 1 : 0, now });
      }
      announce({ kind: 'event-configurations', accountId: scope.accountId, region: scope.region });
    });
  }

  async describeConfigurations(scope: Scope): Promise<EventConfigurationsRecord> {
    return eventConfigurationsFromRows(scope, this.#select.all({ account_id: scope.accountId, region: scope.region }));
  }

  async updateConfigurations(scope: Scope, enabled: Switches, now: number): Promise<void> {
    this.#update(scope, enabled, now);
  }

  async announce(event: DeviceEventChange): Promise<void> {
    this.#announcer.changes?.publish(event);
  }
}
