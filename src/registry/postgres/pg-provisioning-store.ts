import type { ThingToProvision } from '../../domain/provisioning/provisioned-thing.js';
import type { RegistrationRefusal, RegistrationRules } from '../../domain/provisioning/registration-rules.js';
import type { Scope } from '../../domain/scope.js';
import type { ThingRecord } from '../../domain/things/thing-record.js';
import { CERTIFICATE_COLUMNS, type CertificateRow, recordFromRow } from '../certificate-row.js';
import type { ProvisioningStore, Registration, RegistrationOutcome } from '../provisioning-store.js';
import { THING_COLUMNS, type ThingRow, thingRecordFromRow, thingRowFromRecord } from '../thing-row.js';
import type { PgDatabase } from './pg-database.js';
import { announceChange } from './pg-notify.js';
import type { PgQueryable } from './pg-transaction.js';

/** $1, $2, $3: account, region, certificate id. */
const CERTIFICATE_KEY = 'account_id = $1 AND region = $2 AND certificate_id = $3';
/** $1, $2, $3: account, region, thing name. */
const THING_KEY = 'account_id = $1 AND region = $2 AND thing_name = $3';

// Every row this transaction decides on is locked: a concurrent registration with the same token waits for the
// first to commit and then reads the token as redeemed; UpdateCertificate and DeleteCertificate wait likewise.
const TOKEN_FOR_UPDATE = `SELECT expires_at, redeemed_at FROM ownership_tokens WHERE ${CERTIFICATE_KEY} FOR UPDATE`;
const REDEEM = `UPDATE ownership_tokens SET redeemed_at = $4 WHERE ${CERTIFICATE_KEY}`;
const CERTIFICATE_FOR_UPDATE = `SELECT ${CERTIFICATE_COLUMNS.join(', ')} FROM certificates WHERE ${CERTIFICATE_KEY} FOR UPDATE`;
const UPDATE_STATUS = `UPDATE certificates SET status = $4, last_modified_date = $5, generation_id = $6,
  customer_version = customer_version + 1 WHERE ${CERTIFICATE_KEY}`;
const ATTACH = `INSERT INTO certificate_attachments (account_id, region, certificate_id, kind, name)
  VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`;
const THING_FOR_UPDATE = `SELECT ${THING_COLUMNS.join(', ')} FROM things WHERE ${THING_KEY} FOR UPDATE`;
/** Another registration may be creating the same thing: the loser inserts nothing, then reads the winner's row. */
const INSERT_THING = `INSERT INTO things (${THING_COLUMNS.join(', ')})
  VALUES (${THING_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}) ON CONFLICT DO NOTHING`;
const UPDATE_THING = `UPDATE things SET thing_type_name = $4, attributes = $5, version = $6 WHERE ${THING_KEY}`;

/** Thrown inside the transaction so that a refusal rolls back whatever was written before it. */
class Refused extends Error {
  constructor(readonly refusal: RegistrationRefusal) {
    super(refusal);
  }
}

/**
 * ProvisioningStore on PostgreSQL: one READ COMMITTED transaction that locks the token row, then the thing
 * row, then the certificate row (always in that order), and announces a status change with NOTIFY
 * inside it, so other replicas hear of it only once committed.
 */
export class PgProvisioningStore implements ProvisioningStore {
  readonly #db: PgDatabase;

  constructor(db: PgDatabase) {
    this.#db = db;
  }

  async register(scope: Scope, registration: Registration, rules: RegistrationRules): Promise<RegistrationOutcome> {
    try {
      await this.#db.transaction((tx) => registerIn(tx, scope, registration, rules));
      return { applied: true };
    } catch (error) {
      if (error instanceof Refused) return { applied: false, refusal: error.refusal };
      throw error;
    }
  }
}

async function registerIn(
  tx: PgQueryable,
  scope: Scope,
  registration: Registration,
  rules: RegistrationRules,
): Promise<void> {
  const key = [scope.accountId, scope.region, registration.certificateId] as const;
  const { rows: tokens } = await tx.query<{ expires_at: string; redeemed_at: string | null }>(TOKEN_FOR_UPDATE, key);
  const token = tokens[0];
  const tokenRefusal = rules.tokenRefusal(
    token && { expiresAt: Number(token.expires_at), redeemed: token.redeemed_at !== null },
    registration.now,
  );
  if (tokenRefusal !== undefined) throw new Refused(tokenRefusal);
  // The thing is locked before the certificate, the order pg-thing-steps.ts keeps, so that RegisterThing and
  // AttachThingPrincipal never wait on each other in a cycle.
  const asked = registration.thing;
  const thingKey = asked === undefined ? undefined : ([scope.accountId, scope.region, asked.name] as const);
  const stored = thingKey === undefined ? undefined : await readThing(tx, thingKey);
  const { rows: certificates } = await tx.query<CertificateRow>(CERTIFICATE_FOR_UPDATE, key);
  const certificate = certificates[0];
  if (certificate === undefined) throw new Refused('certificate-missing');

  if (asked !== undefined && thingKey !== undefined) {
    await provisionThing(tx, rules, scope, thingKey, stored, asked, registration.now);
    await tx.query(ATTACH, [...key, 'thing', asked.name]);
  }
  for (const name of registration.policyNames) await tx.query(ATTACH, [...key, 'policy', name]);

  if (registration.certificateStatus !== undefined) {
    // A refusal (a REVOKED or PENDING_TRANSFER certificate) throws, rolling everything back.
    const change = rules.statusChange(recordFromRow(certificate), registration.certificateStatus, registration.now);
    if (change !== undefined) {
      await tx.query(UPDATE_STATUS, [...key, change.status, change.lastModifiedDate, change.generationId]);
      await announceChange(tx, {
        kind: 'certificate',
        ...scope,
        certificateId: registration.certificateId,
        status: change.status,
      });
    }
  }
  await tx.query(REDEEM, [...key, registration.now]);
}

/** Creates the thing or applies the override settings to the one read (locked) in this transaction. */
async function provisionThing(
  tx: PgQueryable,
  rules: RegistrationRules,
  scope: Scope,
  thingKey: readonly [string, string, string],
  stored: ThingRecord | undefined,
  asked: ThingToProvision,
  now: number,
): Promise<void> {
  let plan = rules.planThing(scope, stored, asked, now);
  if (plan.action === 'create') {
    const row = thingRowFromRecord(plan.thing);
    const inserted = await tx.query(
      INSERT_THING,
      THING_COLUMNS.map((column) => row[column]),
    );
    if ((inserted.rowCount ?? 0) > 0) return;
    // Created by a concurrent registration or CreateThing since the read: decide again on its committed row.
    plan = rules.planThing(scope, await readThing(tx, thingKey), asked, now);
    if (plan.action === 'create') throw new Error(`thing ${asked.name} conflicted on insert but cannot be read`);
  }
  if (plan.action === 'refuse') throw new Refused(plan.refusal);
  if (plan.action === 'update') {
    const row = thingRowFromRecord(plan.thing);
    await tx.query(UPDATE_THING, [...thingKey, row.thing_type_name, row.attributes, row.version]);
  }
}

async function readThing(tx: PgQueryable, thingKey: readonly unknown[]): Promise<ThingRecord | undefined> {
  const { rows } = await tx.query<ThingRow>(THING_FOR_UPDATE, thingKey);
  return rows[0] === undefined ? undefined : thingRecordFromRow(rows[0]);
}
