import type { Scope } from '../../domain/scope.js';
import type { ThingRecord } from '../../domain/things/thing-record.js';
import type { ThingDeleteRule, ThingPrincipalRule, ThingPrincipalState } from '../../domain/things/thing-rules.js';
import { checkPageLimit } from '../keyset-page.js';
import { StoreError } from '../store-error.js';
import { keyedPage } from '../thing-page.js';
import { THING_COLUMNS, type ThingRow, thingRecordFromRow, thingRowFromRecord } from '../thing-row.js';
import type { CreatedThing, KeyPage, KeyPageQuery, ThingListPage, ThingListQuery } from '../thing-store.js';
import type { PgQueryable } from './pg-transaction.js';

/**
 * The thing registry's steps as functions of a PgQueryable. PgThingStore runs each write step in a transaction
 * of its own; a caller that must do more atomically (fleet provisioning: create a thing, attach the new
 * certificate, activate it) calls several of them on the `tx` of one `PgDatabase.transaction`.
 *
 * Locks, always thing before certificate so that no two steps wait on each other in a cycle: attach and detach
 * read the thing FOR SHARE (DeleteThing, FOR UPDATE, waits for them and then counts what they attached) and the
 * certificate FOR NO KEY UPDATE (so attachments of one certificate are decided one at a time, and
 * DeleteCertificate, FOR UPDATE, waits for them too).
 */

const COLUMNS = THING_COLUMNS.join(', ');
/** $1, $2, $3: account, region, thing name. */
const THING = 'account_id = $1 AND region = $2 AND thing_name = $3';

const INSERT = `INSERT INTO things (${COLUMNS}) VALUES (${THING_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})
  ON CONFLICT (account_id, region, thing_name) DO NOTHING RETURNING ${COLUMNS}`;
const GET = `SELECT ${COLUMNS} FROM things WHERE ${THING}`;
const GET_FOR_SHARE = `${GET} FOR SHARE`;
const GET_FOR_UPDATE = `${GET} FOR UPDATE`;
const DELETE = `DELETE FROM things WHERE ${THING}`;
const COUNT_PRINCIPALS = `SELECT COUNT(*) AS n FROM certificate_attachments
  WHERE account_id = $1 AND region = $2 AND kind = 'thing' AND name = $3`;
const CERTIFICATE_EXISTS = 'SELECT 1 FROM certificates WHERE account_id = $1 AND region = $2 AND certificate_id = $3';
const LOCK_CERTIFICATE = `${CERTIFICATE_EXISTS} FOR NO KEY UPDATE`;
/** $1..$4: account, region, thing name, certificate id. */
const ATTACHMENT_STATE = `SELECT
  EXISTS (SELECT 1 FROM certificate_attachments
    WHERE account_id = $1 AND region = $2 AND certificate_id = $4 AND kind = 'thing' AND name = $3) AS attached,
  (SELECT COUNT(*) FROM certificate_attachments
    WHERE account_id = $1 AND region = $2 AND certificate_id = $4 AND kind = 'thing' AND name <> $3) AS other_things`;
const ATTACH = `INSERT INTO certificate_attachments (account_id, region, certificate_id, kind, name)
  VALUES ($1, $2, $4, 'thing', $3) ON CONFLICT DO NOTHING`;
const DETACH = `DELETE FROM certificate_attachments
  WHERE account_id = $1 AND region = $2 AND certificate_id = $4 AND kind = 'thing' AND name = $3`;
/** A few retries of create: the conflicting thing may be deleted between the insert and the read. */
const CREATE_ATTEMPTS = 3;

function thingKey(scope: Scope, thingName: string): readonly [string, string, string] {
  return [scope.accountId, scope.region, thingName];
}

/** Inserts the record unless its name is taken; returns the thing stored under the name. */
export async function createThingStep(tx: PgQueryable, record: ThingRecord): Promise<CreatedThing> {
  const row = thingRowFromRecord(record);
  for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
    const inserted = await tx.query<ThingRow>(
      INSERT,
      THING_COLUMNS.map((column) => row[column]),
    );
    if (inserted.rows[0] !== undefined) return { thing: thingRecordFromRow(inserted.rows[0]), created: true };
    // The name is taken: by a committed row this statement's snapshot sees (READ COMMITTED).
    const existing = await getThingStep(tx, record, record.thingName);
    if (existing !== undefined) return { thing: existing, created: false };
  }
  throw new Error(`thing ${record.thingName} kept appearing and disappearing while being created`);
}

export async function getThingStep(tx: PgQueryable, scope: Scope, thingName: string): Promise<ThingRecord | undefined> {
  return readThing(tx, GET, scope, thingName);
}

/** Runs the rule on the thing (locked) and its principal count, then deletes it; true when one was deleted. */
export async function deleteThingStep(
  tx: PgQueryable,
  scope: Scope,
  thingName: string,
  rule: ThingDeleteRule,
): Promise<ThingRecord | undefined> {
  const key = thingKey(scope, thingName);
  const current = await readThing(tx, GET_FOR_UPDATE, scope, thingName);
  const { rows } = await tx.query<{ n: string }>(COUNT_PRINCIPALS, key);
  const principals = Number(rows[0]?.n ?? 0);
  // A throwing rule rolls the transaction back and its error reaches the caller untouched.
  rule(current, principals);
  if (current === undefined) return undefined;
  if (principals > 0) {
    throw new StoreError('RULE_CONTRACT', `delete rule allowed thing ${thingName} to be deleted with principals`);
  }
  await tx.query(DELETE, key);
  return current;
}

/** True when the certificate was not attached before. */
export async function attachPrincipalStep(
  tx: PgQueryable,
  scope: Scope,
  thingName: string,
  certificateId: string,
  rule: ThingPrincipalRule,
): Promise<boolean> {
  await decide(tx, scope, thingName, certificateId, rule);
  const inserted = await tx.query(ATTACH, [...thingKey(scope, thingName), certificateId]);
  return (inserted.rowCount ?? 0) > 0;
}

/** True when the certificate was attached. */
export async function detachPrincipalStep(
  tx: PgQueryable,
  scope: Scope,
  thingName: string,
  certificateId: string,
  rule: ThingPrincipalRule,
): Promise<boolean> {
  const { attached } = await decide(tx, scope, thingName, certificateId, rule);
  if (attached) await tx.query(DETACH, [...thingKey(scope, thingName), certificateId]);
  return attached;
}

/** One ListThings page, ordered by thing name (the primary key's order, in the column's collation). */
export async function listThingsStep(tx: PgQueryable, scope: Scope, query: ThingListQuery): Promise<ThingListPage> {
  checkPageLimit(query.limit);
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const conditions = [`account_id = ${param(scope.accountId)}`, `region = ${param(scope.region)}`];
  if (query.after !== undefined) conditions.push(`thing_name > ${param(query.after)}`);
  if (query.thingTypeName !== undefined) conditions.push(`thing_type_name = ${param(query.thingTypeName)}`);
  const attribute = query.attribute;
  if (attribute !== undefined) {
    const value = `(attributes::jsonb ->> ${param(attribute.name)}::text)`;
    conditions.push(
      attribute.prefix ? `starts_with(${value}, ${param(attribute.value)})` : `${value} = ${param(attribute.value)}`,
    );
  }
  // One row more than asked tells whether another page follows.
  const text = `SELECT ${COLUMNS} FROM things WHERE ${conditions.join(' AND ')}
    ORDER BY thing_name LIMIT ${param(query.limit + 1)}`;
  const { rows } = await tx.query<ThingRow>(text, values);
  const { items, next } = keyedPage(rows, query.limit, thingRecordFromRow, (thing) => thing.thingName);
  return { records: items, ...(next !== undefined && { next }) };
}

/** Certificate ids attached to the thing, from certificate_attachments_by_target; undefined without the thing. */
export async function listThingPrincipalsStep(
  tx: PgQueryable,
  scope: Scope,
  thingName: string,
  query: KeyPageQuery,
): Promise<KeyPage | undefined> {
  checkPageLimit(query.limit);
  if ((await getThingStep(tx, scope, thingName)) === undefined) return undefined;
  const after = query.after !== undefined ? 'AND certificate_id > $5' : '';
  const text = `SELECT certificate_id AS key FROM certificate_attachments
    WHERE account_id = $1 AND region = $2 AND kind = 'thing' AND name = $3 ${after}
    ORDER BY certificate_id LIMIT $4`;
  return keyPage(tx, text, [...thingKey(scope, thingName), query.limit + 1, ...afterValue(query)], query.limit);
}

/** Names of the things the certificate is attached to, from the attachments' primary key; undefined without it. */
export async function listPrincipalThingsStep(
  tx: PgQueryable,
  scope: Scope,
  certificateId: string,
  query: KeyPageQuery,
): Promise<KeyPage | undefined> {
  checkPageLimit(query.limit);
  const key = [scope.accountId, scope.region, certificateId];
  if ((await tx.query(CERTIFICATE_EXISTS, key)).rows.length === 0) return undefined;
  const after = query.after !== undefined ? 'AND name > $5' : '';
  const text = `SELECT name AS key FROM certificate_attachments
    WHERE account_id = $1 AND region = $2 AND certificate_id = $3 AND kind = 'thing' ${after}
    ORDER BY name LIMIT $4`;
  return keyPage(tx, text, [...key, query.limit + 1, ...afterValue(query)], query.limit);
}

/** Locks and reads what an attach or detach rule decides on, and runs it; refuses to go on with a missing end. */
async function decide(
  tx: PgQueryable,
  scope: Scope,
  thingName: string,
  certificateId: string,
  rule: ThingPrincipalRule,
): Promise<ThingPrincipalState> {
  const thing = await readThing(tx, GET_FOR_SHARE, scope, thingName);
  const certificateExists =
    (await tx.query(LOCK_CERTIFICATE, [scope.accountId, scope.region, certificateId])).rows.length > 0;
  const { rows } = await tx.query<{ attached: boolean; other_things: string }>(ATTACHMENT_STATE, [
    ...thingKey(scope, thingName),
    certificateId,
  ]);
  const state: ThingPrincipalState = {
    thing,
    certificateExists,
    attached: certificateExists && rows[0]?.attached === true,
    otherThings: certificateExists ? Number(rows[0]?.other_things ?? 0) : 0,
  };
  rule(state);
  if (thing === undefined || !certificateExists) {
    throw new StoreError(
      'RULE_CONTRACT',
      `principal rule did not refuse thing ${thingName} / certificate ${certificateId}, one of which does not exist`,
    );
  }
  return state;
}

async function readThing(
  tx: PgQueryable,
  statement: string,
  scope: Scope,
  thingName: string,
): Promise<ThingRecord | undefined> {
  const { rows } = await tx.query<ThingRow>(statement, thingKey(scope, thingName));
  return rows[0] === undefined ? undefined : thingRecordFromRow(rows[0]);
}

function afterValue(query: KeyPageQuery): string[] {
  return query.after !== undefined ? [query.after] : [];
}

async function keyPage(tx: PgQueryable, text: string, values: readonly unknown[], limit: number): Promise<KeyPage> {
  const { rows } = await tx.query<{ key: string }>(text, values);
  const { items, next } = keyedPage(
    rows,
    limit,
    (row) => row.key,
    (key) => key,
  );
  return { keys: items, ...(next !== undefined && { next }) };
}
