import {
  defaultEventConfigurations,
  type EventConfigurationsRecord,
  isEventType,
} from '../domain/events/event-configurations.js';
import type { Scope } from '../domain/scope.js';

/** One row of event_configurations as both engines read it (PostgreSQL's BIGINT arrives as text). */
export interface EventConfigurationRow {
  readonly event_type: string;
  readonly enabled: number | string;
  readonly creation_date: number | string;
  readonly last_modified_date: number | string;
}

export const SELECT_EVENT_CONFIGURATIONS =
  'SELECT event_type, enabled, creation_date, last_modified_date FROM event_configurations';

/** The scope's rows as its settings: absent types off, the dates those of the first and last write. */
export function eventConfigurationsFromRows(
  scope: Scope,
  rows: readonly EventConfigurationRow[],
): EventConfigurationsRecord {
  const base = defaultEventConfigurations(scope);
  if (rows.length === 0) return base;
  const enabled = { ...base.enabled };
  let creationDate = Number.POSITIVE_INFINITY;
  let lastModifiedDate = 0;
  for (const row of rows) {
    // A type a later version wrote is not one this version reports.
    if (isEventType(row.event_type)) enabled[row.event_type] = Number(row.enabled) === 1;
    creationDate = Math.min(creationDate, Number(row.creation_date));
    lastModifiedDate = Math.max(lastModifiedDate, Number(row.last_modified_date));
  }
  return { ...base, enabled, creationDate, lastModifiedDate };
}
