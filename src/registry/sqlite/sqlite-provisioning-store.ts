import type Database from 'better-sqlite3';
import type { CertificateStatus } from '../../domain/certificates/certificate-status.js';
import type { RegistrationRefusal, RegistrationRules } from '../../domain/provisioning/registration-rules.js';
import type { Scope } from '../../domain/scope.js';
import { recordFromRow } from '../certificate-row.js';
import type { ProvisioningStore, Registration, RegistrationOutcome } from '../provisioning-store.js';
import type { ChangeHub } from '../registry-changes.js';
import {
  THING_COLUMNS,
  type ThingRow,
  type ThingRowValues,
  thingRecordFromRow,
  thingRowFromRecord,
} from '../thing-row.js';
import type { SqliteChangeLog } from './sqlite-change-log.js';
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

export interface SqliteProvisioningStoreOptions {
  /** Told of the certificate's status change once committed. */
  readonly changes?: ChangeHub;
  /** Where the status change is also recorded, in its transaction, for other processes on the file. */
  readonly changeLog?: SqliteChangeLog;
}

/**
 * ProvisioningStore on the registry's shared SQLite connection: the whole registration is one BEGIN IMMEDIATE
 * transaction, so the token is read and redeemed under the file's write lock (single use across processes).
 */
export class SqliteProvisioningStore implements ProvisioningStore {
  readonly #changes: ChangeHub | undefined;
  /** The new status when the registration changed it. */
  readonly #register: (
    scope: Scope,
    registration: Registration,
    rules: RegistrationRules,
  ) => CertificateStatus | undefined;

  constructor(db: Database.Database, options: SqliteProvisioningStoreOptions = {}) {
    this.#changes = options.changes;
    const changeLog = options.changeLog;
    const certificates = prepareStatements(db);
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

    this.#register = db.transaction(
      (scope: Scope, registration: Registration, rules: RegistrationRules): CertificateStatus | undefined => {
        const key: CertificateKey = {
          account_id: scope.accountId,
          region: scope.region,
          certificate_id: registration.certificateId,
        };
        const token = getToken.get(key);
        const tokenRefusal = rules.tokenRefusal(
          token && { expiresAt: token.expires_at, redeemed: token.redeemed_at !== null },
          registration.now,
        );
        if (tokenRefusal !== undefined) throw new Refused(tokenRefusal);
        const row = certificates.get.get(key);
        if (row === undefined) throw new Refused('certificate-missing');

        if (registration.thing !== undefined) {
          const thingKey = { account_id: scope.accountId, region: scope.region, thing_name: registration.thing.name };
          const stored = getThing.get(thingKey);
          const plan = rules.planThing(
            scope,
            stored === undefined ? undefined : thingRecordFromRow(stored),
            registration.thing,
            registration.now,
          );
          if (plan.action === 'refuse') throw new Refused(plan.refusal);
          if (plan.action === 'create') insertThing.run(thingRowFromRecord(plan.thing));
          if (plan.action === 'update') updateThing.run(thingRowFromRecord(plan.thing));
          certificates.attach.run({ ...key, kind: 'thing', name: registration.thing.name });
        }
        for (const name of registration.policyNames) certificates.attach.run({ ...key, kind: 'policy', name });

        let changed: CertificateStatus | undefined;
        if (registration.certificateStatus !== undefined) {
          // A refusal (a REVOKED or PENDING_TRANSFER certificate) throws, rolling everything back.
          const change = rules.statusChange(recordFromRow(row), registration.certificateStatus, registration.now);
          if (change !== undefined) {
            certificates.updateStatus.run({
              ...key,
              status: change.status,
              last_modified_date: change.lastModifiedDate,
              generation_id: change.generationId,
            });
            changeLog?.append({
              kind: 'certificate',
              ...scope,
              certificateId: registration.certificateId,
              status: change.status,
            });
            changed = change.status;
          }
        }
        redeem.run({ ...key, now: registration.now });
        return changed;
      },
    ).immediate;
  }

  async register(scope: Scope, registration: Registration, rules: RegistrationRules): Promise<RegistrationOutcome> {
    let changed: CertificateStatus | undefined;
    try {
      changed = this.#register(scope, registration, rules);
    } catch (error) {
      if (error instanceof Refused) return { applied: false, refusal: error.refusal };
      throw error;
    }
    // Announced in-process only once committed, like SqliteCertificateStore.updateStatus.
    if (changed !== undefined) {
      this.#changes?.publish({
        kind: 'certificate',
        ...scope,
        certificateId: registration.certificateId,
        status: changed,
      });
    }
    return { applied: true };
  }
}
