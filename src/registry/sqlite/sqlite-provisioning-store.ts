import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { RegistrationRefusal, RegistrationRules } from '../../domain/provisioning/registration-rules.js';
import type { Scope } from '../../domain/scope.js';
import { recordFromRow, rowFromRecord } from '../certificate-row.js';
import type { ProvisioningStore, Registration, RegistrationOutcome } from '../provisioning-store.js';
import { thingChangeEvent } from '../registry-changes.js';
import {
  THING_COLUMNS,
  type ThingRow,
  type ThingRowValues,
  thingRecordFromRow,
  thingRowFromRecord,
} from '../thing-row.js';
import { announcingTransaction, type SqliteAnnouncer } from './sqlite-changes.js';
import { preparePolicyStatements } from './sqlite-policy-statements.js';
import { type CertificateKey, prepareStatements } from './sqlite-statements.js';

interface ThingKey {
  readonly account_id: string;
  readonly region: string;
  readonly thing_name: string;
}

interface TokenRow {
  readonly expires_at: number;
  readonly redeemed_at: number | null;
}

const TOKEN_KEY = 'account_id = @account_id AND region = @region AND certificate_id = @certificate_id';
const THING_KEY = 'account_id = @account_id AND region = @region AND thing_name = @thing_name';

/** Thrown inside the transaction so that a refusal rolls back whatever was written before it. */
class Refused extends Error {
  constructor(readonly refusal: RegistrationRefusal) {
    super(refusal);
  }
}

/**
 * ProvisioningStore on the registry's shared SQLite connection: the whole registration is one BEGIN IMMEDIATE
 * transaction, so the token is read and redeemed under the file's write lock (single use across processes). Every
 * change it makes is logged in that transaction and published here once committed, as the operations that make
 * each alone announce it.
 */
export class SqliteProvisioningStore implements ProvisioningStore {
  readonly #register: (scope: Scope, registration: Registration, rules: RegistrationRules) => void;

  constructor(db: Database.Database, announcer: SqliteAnnouncer = {}) {
    const certificates = prepareStatements(db);
    const policies = preparePolicyStatements(db);
    const getToken = db.prepare<[CertificateKey], TokenRow>(
      `SELECT expires_at, redeemed_at FROM ownership_tokens WHERE ${TOKEN_KEY}`,
    );
    const redeem = db.prepare<[CertificateKey & { now: number }]>(
      `UPDATE ownership_tokens SET redeemed_at = @now WHERE ${TOKEN_KEY}`,
    );
    const getThing = db.prepare<[ThingKey], ThingRow>(
      `SELECT ${THING_COLUMNS.join(', ')} FROM things WHERE ${THING_KEY}`,
    );
    const insertThing = db.prepare<[ThingRowValues]>(
      `INSERT INTO things (${THING_COLUMNS.join(', ')}) VALUES (${THING_COLUMNS.map((c) => `@${c}`).join(', ')})`,
    );
    const updateThing = db.prepare<[ThingRowValues]>(
      `UPDATE things SET thing_type_name = @thing_type_name, attributes = @attributes, version = @version
        WHERE ${THING_KEY}`,
    );

    this.#register = announcingTransaction(
      db,
      announcer,
      (announce, scope: Scope, registration: Registration, rules: RegistrationRules): void => {
        const inScope = { accountId: scope.accountId, region: scope.region };
        const { certificateId, now } = registration;
        const key: CertificateKey = {
          account_id: scope.accountId,
          region: scope.region,
          certificate_id: certificateId,
        };
        const fresh = registration.newCertificate;
        if (fresh === undefined) {
          const token = getToken.get(key);
          const tokenRefusal = rules.tokenRefusal(
            token && { expiresAt: token.expires_at, redeemed: token.redeemed_at !== null },
            now,
          );
          if (tokenRefusal !== undefined) throw new Refused(tokenRefusal);
        } else {
          // Under the write lock: the first of several concurrent first connections inserts, the others see its row.
          if (certificates.get.get(key) !== undefined) throw new Refused('certificate-exists');
          certificates.insert.run(rowFromRecord(fresh));
          announce({ kind: 'certificate', ...inScope, certificateId, status: fresh.status });
        }
        const row = certificates.get.get(key);
        if (row === undefined) throw new Refused('certificate-missing');

        if (registration.thing !== undefined) {
          const thingName = registration.thing.name;
          const thingKey = { account_id: scope.accountId, region: scope.region, thing_name: thingName };
          const stored = getThing.get(thingKey);
          const plan = rules.planThing(
            scope,
            stored === undefined ? undefined : thingRecordFromRow(stored),
            registration.thing,
            now,
          );
          if (plan.action === 'refuse') throw new Refused(plan.refusal);
          if (plan.action === 'create') insertThing.run(thingRowFromRecord(plan.thing));
          if (plan.action === 'update') updateThing.run(thingRowFromRecord(plan.thing));
          if (plan.action === 'create' || plan.action === 'update') {
            const event = thingChangeEvent(plan.action === 'create' ? 'CREATED' : 'UPDATED', plan.thing);
            announce({ kind: 'thing', ...inScope, thingName, event });
          }
          if (certificates.attach.run({ ...key, kind: 'thing', name: thingName }).changes > 0) {
            announce({ kind: 'thing-principal', ...inScope, thingName, certificateId });
          }
        }
        for (const policy of registration.policies) {
          const policyKey = { account_id: scope.accountId, region: scope.region, policy_name: policy.name };
          if (policies.get.get(policyKey) === undefined) {
            if (policy.document === undefined) throw new Refused('policy-missing');
            policies.insert.run({
              ...policyKey,
              default_version_id: '1',
              next_version_id: 2,
              creation_date: now,
              last_modified_date: now,
              generation_id: randomUUID(),
            });
            policies.insertVersion.run({
              ...policyKey,
              version_id: '1',
              document: policy.document,
              creation_date: now,
            });
            announce({ kind: 'policy', ...inScope, policyName: policy.name });
          }
          if (policies.attach.run({ ...policyKey, certificate_id: certificateId }).changes > 0) {
            announce({ kind: 'policy-attachment', ...inScope, policyName: policy.name, certificateId });
          }
        }

        if (registration.certificateStatus !== undefined) {
          // A refusal (a REVOKED or PENDING_TRANSFER certificate) throws, rolling everything back.
          const change = rules.statusChange(recordFromRow(row), registration.certificateStatus, now);
          if (change !== undefined) {
            certificates.updateStatus.run({
              ...key,
              status: change.status,
              last_modified_date: change.lastModifiedDate,
              generation_id: change.generationId,
              revocation_reason: change.revocationReason ?? null,
            });
            announce({ kind: 'certificate', ...inScope, certificateId, status: change.status });
          }
        }
        if (fresh === undefined) redeem.run({ ...key, now });
      },
    );
  }

  async register(scope: Scope, registration: Registration, rules: RegistrationRules): Promise<RegistrationOutcome> {
    try {
      this.#register(scope, registration, rules);
    } catch (error) {
      if (error instanceof Refused) return { applied: false, refusal: error.refusal };
      throw error;
    }
    return { applied: true };
  }
}
