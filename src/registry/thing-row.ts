import type { ThingRecord } from '../domain/things/thing-record.js';

/** The columns of `things`, in schema order. */
export const THING_COLUMNS = [
  'account_id',
  'region',
  'thing_name',
  'thing_id',
  'thing_type_name',
  'attributes',
  'version',
  'creation_date',
] as const;

export type ThingColumn = (typeof THING_COLUMNS)[number];

/** A row as a driver hands it back: PostgreSQL returns BIGINT columns as strings. */
export interface ThingRow {
  readonly account_id: string;
  readonly region: string;
  readonly thing_name: string;
  readonly thing_id: string;
  readonly thing_type_name: string | null;
  readonly attributes: string;
  readonly version: number | string;
  readonly creation_date: number | string;
}

export type ThingRowValues = Readonly<Record<ThingColumn, string | number | null>>;

/** Attributes are kept as a JSON object of strings, in the order they were given. */
export function thingRowFromRecord(record: ThingRecord): ThingRowValues {
  return {
    account_id: record.accountId,
    region: record.region,
    thing_name: record.thingName,
    thing_id: record.thingId,
    thing_type_name: record.thingTypeName ?? null,
    attributes: JSON.stringify(record.attributes),
    version: record.version,
    creation_date: record.creationDate,
  };
}

export function thingRecordFromRow(row: ThingRow): ThingRecord {
  return {
    accountId: row.account_id,
    region: row.region,
    thingName: row.thing_name,
    thingId: row.thing_id,
    ...(row.thing_type_name !== null && { thingTypeName: row.thing_type_name }),
    attributes: JSON.parse(row.attributes) as Record<string, string>,
    version: Number(row.version),
    creationDate: Number(row.creation_date),
  };
}
