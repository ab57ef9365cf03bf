import { randomUUID } from 'node:crypto';
import type { ThingToProvision } from '../../domain/provisioning/provisioned-thing.js';
import type { RegistrationRefusal, RegistrationRules } from '../../domain/provisioning/registration-rules.js';
import type { Scope } from '../../domain/scope.js';
import type { ThingRecord } from '../../domain/things/thing-record.js';
import { CERTIFICATE_COLUMNS, type CertificateRow, recordFromRow, rowFromRecord } from '../certificate-row.js';
import type { ProvisionedPolicy, ProvisioningStore, Registration, RegistrationOutcome } from '../provisioning-store.js';
import { type ThingChangeEvent, thingChangeEvent } from '../registry-changes.js';
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
  revocation_reason = $7, customer_version = customer_version + 1 WHERE ${CERTIFICATE_KEY}`;
/** Just-in-time provisioning: a concurrent first connection's insert waits for this one's commit, then inserts nothing. */
const INSERT_CERTIFICATE = `INSERT INTO certificates (${CERTIFICATE_COLUMNS.join(', ')})
  VALUES (${CERTIFICATE_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}) ON CONFLICT DO NOTHING`;
const ATTACH = `INSERT INTO certificate_attachments (account_id, region, certificate_id, kind, name)
  VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`;
const THING_FOR_UPDATE = `SELECT ${THING_COLUMNS.join(', ')} FROM things WHERE ${THING_KEY} FOR UPDATE`;
/** Another registration may be creating the same thing: the loser inserts nothing, then reads the winner's row. */
const INSERT_THING = `INSERT INTO things (${THING_COLUMNS.join(', ')})
  VALUES (${THING_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}) ON CONFLICT DO NOTHING`;
/** $1, $2, $3: account, region, policy name. */
const POLICY_FOR_SHARE = 'SELECT 1 FROM policies WHERE account_id = $1 AND region = $2 AND policy_name = $3 FOR SHARE';
const POLICY_NAME_LOCK = 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))';
const INSERT_POLICY = `INSERT INTO policies (account_id, region, policy_name, default_version_id, next_version_id,
  creation_date, last_modified_date, generation_id) VALUES ($1, $2, $3, '1', 2, $4, $4, $5) ON CONFLICT DO NOTHING`;
const INSERT_POLICY_VERSION = `INSERT INTO policy_versions (account_id, region, policy_name, version_id, document,
  creation_date) VALUES ($1, $2, $3, '1', $4, $5)`;
const UPDATE_THING = `UPDATE things SET thing_type_name = $4, attributes = $5, version = $6 WHERE ${THING_KEY}`;

/** Thrown inside the transaction so that a refusal rolls back whatever was written before it. */
class Refused extends Error {
  constructor(readonly refusal: RegistrationRefusal) {
    super(refusal);
  }
}

/**
 * ProvisioningStore on PostgreSQL: one READ COMMITTED transaction that locks the token row, then the thing
 * row, then the certificate row, then the policies (always in that order), and announces every change it makes
 * with NOTIFY inside it, so other replicas hear of them only once committed.
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
  const fresh = registration.newCertificate;
  if (fresh === undefined) {
    const { rows: tokens } = await tx.query<{ expires_at: string; redeemed_at: string | null }>(TOKEN_FOR_UPDATE, key);
    const token = tokens[0];
    const tokenRefusal = rules.tokenRefusal(
      token && { expiresAt: Number(token.expires_at), redeemed: token.redeemed_at !== null },
      registration.now,
    );
    if (tokenRefusal !== undefined) throw new Refused(tokenRefusal);
  } else {
    // The new row stays locked by this transaction, as the token's would: nothing else changes it until commit.
    const row = rowFromRecord(fresh);
    const inserted = await tx.query(
      INSERT_CERTIFICATE,
      CERTIFICATE_COLUMNS.map((column) => row[column]),
    );
    if ((inserted.rowCount ?? 0) === 0) throw new Refused('certificate-exists');
    // Every replica's CRL learns of a certificate created on hold (PENDING_ACTIVATION) as of this commit.
    await announceChange(tx, {
      kind: 'certificate',
      accountId: scope.accountId,
      region: scope.region,
      certificateId: registration.certificateId,
      status: fresh.status,
    });
  }
  // The thing is locked before the certificate, the order pg-thing-steps.ts keeps, so that RegisterThing and
  // AttachThingPrincipal never wait on each other in a cycle.
  const asked = registration.thing;
  const thingKey = asked === undefined ? undefined : ([scope.accountId, scope.region, asked.name] as const);
  const stored = thingKey === undefined ? undefined : await readThing(tx, thingKey);
  const { rows: certificates } = await tx.query<CertificateRow>(CERTIFICATE_FOR_UPDATE, key);
  const certificate = certificates[0];
  if (certificate === undefined) throw new Refused('certificate-missing');

  const inScope = { accountId: scope.accountId, region: scope.region };
  const { certificateId } = registration;
  if (asked !== undefined && thingKey !== undefined) {
    const event = await provisionThing(tx, rules, scope, thingKey, stored, asked, registration.now);
    if (event !== undefined) await announceChange(tx, { kind: 'thing', ...inScope, thingName: asked.name, event });
    const attached = await tx.query(ATTACH, [...key, 'thing', asked.name]);
    if ((attached.rowCount ?? 0) > 0) {
      await announceChange(tx, { kind: 'thing-principal', ...inScope, thingName: asked.name, certificateId });
    }
  }
  for (const policy of registration.policies) {
    await provisionPolicy(tx, scope, policy, registration.now);
    const attached = await tx.query(ATTACH, [...key, 'policy', policy.name]);
    if ((attached.rowCount ?? 0) > 0) {
      await announceChange(tx, { kind: 'policy-attachment', ...inScope, policyName: policy.name, certificateId });
    }
  }

  if (registration.certificateStatus !== undefined) {
    // A refusal (a REVOKED or PENDING_TRANSFER certificate) throws, rolling everything back.
    const change = rules.statusChange(recordFromRow(certificate), registration.certificateStatus, registration.now);
    if (change !== undefined) {
      await tx.query(UPDATE_STATUS, [
        ...key,
        change.status,
        change.lastModifiedDate,
        change.generationId,
        change.revocationReason ?? null,
      ]);
      await announceChange(tx, {
        kind: 'certificate',
        ...scope,
        certificateId: registration.certificateId,
        status: change.status,
      });
    }
  }
  if (fresh === undefined) await tx.query(REDEEM, [...key, registration.now]);
}

/**
 * The policy the registration attaches, locked FOR SHARE as AttachPolicy locks it (so DeletePolicy cannot delete it
 * under the attachment); an inline one is created when absent, under the name's advisory lock as CreatePolicy's.
 */
async function provisionPolicy(tx: PgQueryable, scope: Scope, policy: ProvisionedPolicy, now: number): Promise<void> {
  const policyKey = [scope.accountId, scope.region, policy.name] as const;
  if ((await tx.query(POLICY_FOR_SHARE, policyKey)).rows.length > 0) return;
  if (policy.document === undefined) throw new Refused('policy-missing');
  await tx.query(POLICY_NAME_LOCK, [`fleetca/policy/${scope.accountId}/${scope.region}/${policy.name}`]);
  const inserted = await tx.query(INSERT_POLICY, [...policyKey, now, randomUUID()]);
  if ((inserted.rowCount ?? 0) === 0) {
    // Created meanwhile (same name, same document): attach that one, locked like the others.
    await tx.query(POLICY_FOR_SHARE, policyKey);
    return;
  }
  await tx.query(INSERT_POLICY_VERSION, [...policyKey, policy.document, now]);
  await announceChange(tx, {
    kind: 'policy',
    accountId: scope.accountId,
    region: scope.region,
    policyName: policy.name,
  });
}

/**
 * Creates the thing or applies the override settings to the one read (locked) in this transaction; true when it
 * changed the registry.
 */
async function provisionThing(
  tx: PgQueryable,
  rules: RegistrationRules,
  scope: Scope,
  thingKey: readonly [string, string, string],
  stored: ThingRecord | undefined,
  asked: ThingToProvision,
  now: number,
): Promise<ThingChangeEvent | undefined> {
  let plan = rules.planThing(scope, stored, asked, now);
  if (plan.action === 'create') {
    const row = thingRowFromRecord(plan.thing);
    const inserted = await tx.query(
      INSERT_THING,
      THING_COLUMNS.map((column) => row[column]),
    );
    if ((inserted.rowCount ?? 0) > 0) return thingChangeEvent('CREATED', plan.thing);
    // Created by a concurrent registration or CreateThing since the read: decide again on its committed row.
    plan = rules.planThing(scope, await readThing(tx, thingKey), asked, now);
    if (plan.action === 'create') throw new Error(`thing ${asked.name} conflicted on insert but cannot be read`);
  }
  if (plan.action === 'refuse') throw new Refused(plan.refusal);
  if (plan.action === 'update') {
    const row = thingRowFromRecord(plan.thing);
    await tx.query(UPDATE_THING, [...thingKey, row.thing_type_name, row.attributes, row.version]);
    return thingChangeEvent('UPDATED', plan.thing);
  }
  return undefined;
}

async function readThing(tx: PgQueryable, thingKey: readonly unknown[]): Promise<ThingRecord | undefined> {
  const { rows } = await tx.query<ThingRow>(THING_FOR_UPDATE, thingKey);
  return rows[0] === undefined ? undefined : thingRecordFromRow(rows[0]);
}
