import type { Attachments, DeleteRule, StatusRule } from '../../domain/certificates/certificate-lifecycle.js';
import type {
  Attachment,
  CertificateRecord,
  CertificateSummary,
} from '../../domain/certificates/certificate-record.js';
import type { CertificateStatus } from '../../domain/certificates/certificate-status.js';
import type { Scope } from '../../domain/scope.js';
import {
  CERTIFICATE_COLUMNS,
  CERTIFICATE_SUMMARY_COLUMNS,
  type CertificateRow,
  type CertificateSummaryRow,
  COUNT_BY_STATUS,
  recordFromRow,
  rowFromRecord,
  summaryFromRow,
} from '../certificate-row.js';
import type { CertificateCounts, SearchPage, SearchQuery, StatisticsQuery } from '../certificate-search.js';
import { runSearch, type Sql, type SqlDialect } from '../certificate-search-sql.js';
import { runStatistics } from '../certificate-statistics-sql.js';
import { keysetPage } from '../keyset-page.js';
import { encodeChange } from '../registry-changes.js';
import { TOMBSTONE_COLUMNS, tombstoneOf } from '../revocation-row.js';
import {
  type CertificateStore,
  DuplicateCertificateError,
  type ListPage,
  type ListQuery,
  type StatusCount,
} from '../store.js';
import { StoreError } from '../store-error.js';
import type { PgDatabase } from './pg-database.js';
import { isForeignKeyViolation, isUniqueViolation } from './pg-errors.js';
import { type KeysetPageQuery, keysetPageQuery } from './pg-keyset-page.js';
import { announceChange, CHANNEL_SQL } from './pg-notify.js';
import type { PgQueryable } from './pg-transaction.js';

const COLUMNS = CERTIFICATE_COLUMNS.join(', ');
/** $1, $2, $3: account, region, certificate id. */
const KEY = 'account_id = $1 AND region = $2 AND certificate_id = $3';

/**
 * The insert and its announcement as one statement (one round trip, autocommit): the NOTIFY of the last parameter
 * is sent only for a row inserted, and delivered only once it is committed.
 */
const INSERT = `WITH inserted AS (INSERT INTO certificates (${COLUMNS})
  VALUES (${CERTIFICATE_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING 1)
  SELECT pg_notify(${CHANNEL_SQL}, $${CERTIFICATE_COLUMNS.length + 1}) FROM inserted`;
const GET = `SELECT ${COLUMNS} FROM certificates WHERE ${KEY}`;
const REGISTRATIONS = `SELECT ${CERTIFICATE_SUMMARY_COLUMNS.join(', ')} FROM certificates WHERE certificate_id = $1 LIMIT 100`;
/** Locks the row: a concurrent update or delete of the same certificate waits for this transaction. */
const GET_FOR_UPDATE = `${GET} FOR UPDATE`;
const UPDATE_STATUS = `UPDATE certificates SET status = $4, last_modified_date = $5, generation_id = $6,
  revocation_reason = $7, customer_version = customer_version + 1 WHERE ${KEY} RETURNING ${COLUMNS}`;
const COUNT_ATTACHMENTS = `SELECT kind, COUNT(*) AS n FROM certificate_attachments WHERE ${KEY} GROUP BY kind`;
const DELETE_POLICY_ATTACHMENTS = `DELETE FROM certificate_attachments WHERE ${KEY} AND kind = 'policy' RETURNING name`;
const DELETE = `DELETE FROM certificates WHERE ${KEY}`;
/** What a deleted certificate fleetca issued leaves behind (migration 9); the first tombstone of a serial stays. */
const INSERT_TOMBSTONE = `INSERT INTO deleted_issued_certificates (${TOMBSTONE_COLUMNS.join(', ')})
  VALUES (${TOMBSTONE_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}) ON CONFLICT DO NOTHING`;
const ATTACH = `INSERT INTO certificate_attachments (account_id, region, certificate_id, kind, name)
  VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`;
const DETACH = `DELETE FROM certificate_attachments WHERE ${KEY} AND kind = $4 AND name = $5`;

/**
 * Typed placeholders (row values need them). No index hints: the planner walks the index of the order asked, or, where
 * its statistics say another index's range holds fewer rows (an expiresBefore matching few), reads that range and
 * sorts it (postgres-certificate-search.test.ts checks both, custom and generic plans).
 */
export const PG_SEARCH_DIALECT: SqlDialect = {
  placeholder: (position, type) => `$${position}::${type}`,
  indexHint: () => '',
};

function keyOf(scope: Scope, certificateId: string): readonly [string, string, string] {
  return [scope.accountId, scope.region, certificateId];
}

/** The SELECT of one ListCertificates page (exported for the query-plan test). */
export function certificatePageQuery(scope: Scope, query: ListQuery): KeysetPageQuery {
  return keysetPageQuery({
    from: 'certificates',
    select: CERTIFICATE_SUMMARY_COLUMNS.join(', '),
    filters: [
      ['account_id', scope.accountId],
      ['region', scope.region],
      // With the CA filter the page comes from certificates_by_ca, without it from certificates_by_creation.
      ...(query.caCertificateId !== undefined ? [['ca_certificate_id', query.caCertificateId] as const] : []),
    ],
    limit: query.limit,
    ascending: query.ascending,
    ...(query.after && { after: query.after }),
  });
}

/**
 * CertificateStore on PostgreSQL. Each read-then-write step is one transaction that reads the row
 * `FOR UPDATE`, so concurrent steps on one certificate, from any process, run one after the other and
 * every rule decides on the row as it is. Inserts, status changes and deletions are announced with NOTIFY
 * in the same transaction, hence only once committed.
 */
export class PgCertificateStore implements CertificateStore {
  readonly #db: PgDatabase;

  constructor(db: PgDatabase) {
    this.#db = db;
  }

  async insertCertificate(record: CertificateRecord): Promise<void> {
    const row = rowFromRecord(record);
    const created = encodeChange({
      kind: 'certificate',
      accountId: record.accountId,
      region: record.region,
      certificateId: record.certificateId,
      status: record.status,
    });
    try {
      await this.#db.query(INSERT, [...CERTIFICATE_COLUMNS.map((column) => row[column]), created]);
    } catch (error) {
      // The primary key is the only unique constraint on certificates.
      if (isUniqueViolation(error)) throw new DuplicateCertificateError(record.certificateId);
      throw error;
    }
  }

  async getCertificate(scope: Scope, certificateId: string): Promise<CertificateRecord | undefined> {
    const { rows } = await this.#db.query<CertificateRow>(GET, keyOf(scope, certificateId));
    return rows[0] === undefined ? undefined : recordFromRow(rows[0]);
  }

  async findRegistrations(certificateId: string): Promise<readonly CertificateSummary[]> {
    const { rows } = await this.#db.query<CertificateSummaryRow>(REGISTRATIONS, [certificateId]);
    return rows.map(summaryFromRow);
  }

  async countByStatus(): Promise<readonly StatusCount[]> {
    const result = await this.#db.query<{ status: CertificateStatus; count: string }>(COUNT_BY_STATUS);
    // COUNT is a bigint, which node-postgres hands over as text.
    return result.rows.map((row) => ({ status: row.status, count: Number(row.count) }));
  }

  async listCertificates(scope: Scope, query: ListQuery): Promise<ListPage> {
    const { text, values } = certificatePageQuery(scope, query);
    const { rows } = await this.#db.query<CertificateSummaryRow>(text, values);
    return keysetPage(rows, query.limit, summaryFromRow);
  }

  searchCertificates(scope: Scope, query: SearchQuery): Promise<SearchPage> {
    return runSearch(scope, query, PG_SEARCH_DIALECT, this.#read);
  }

  certificateStatistics(scope: Scope, query: StatisticsQuery): Promise<CertificateCounts> {
    return runStatistics(scope, query, PG_SEARCH_DIALECT, this.#read);
  }

  readonly #read = async <R>(sql: Sql): Promise<readonly R[]> =>
    (await this.#db.query(sql.text, sql.values)).rows as R[];

  updateStatus(scope: Scope, certificateId: string, rule: StatusRule): Promise<CertificateRecord> {
    const key = keyOf(scope, certificateId);
    return this.#db.transaction(async (tx) => {
      const current = await readForUpdate(tx, key);
      // A throwing rule rolls the transaction back and its error reaches the caller untouched.
      const change = rule(current);
      if (current === undefined) {
        throw new StoreError(
          'RULE_CONTRACT',
          `status rule did not refuse certificate ${certificateId}, which does not exist in ${scope.accountId}/${scope.region}`,
        );
      }
      if (change === undefined) return current;
      const { rows } = await tx.query<CertificateRow>(UPDATE_STATUS, [
        ...key,
        change.status,
        change.lastModifiedDate,
        change.generationId,
        change.revocationReason ?? null,
      ]);
      const updated = rows[0];
      if (updated === undefined) throw new Error(`certificate ${certificateId} vanished while locked`);
      await announceChange(tx, { kind: 'certificate', ...scope, certificateId, status: change.status });
      return recordFromRow(updated);
    });
  }

  deleteCertificate(scope: Scope, certificateId: string, rule: DeleteRule): Promise<void> {
    const key = keyOf(scope, certificateId);
    return this.#db.transaction(async (tx) => {
      const current = await readForUpdate(tx, key);
      // Counted under the row lock: an attach waits for it (its foreign key check locks the row too).
      const attachments = await countAttachments(tx, key);
      const { detachPolicies } = rule(current, attachments);
      // Deleting what is not there is a no-op; the rule decides whether that is an error.
      if (current === undefined) return;
      const left = attachments.things + (detachPolicies ? 0 : attachments.policies);
      if (left > 0) {
        throw new StoreError(
          'RULE_CONTRACT',
          `delete rule allowed certificate ${certificateId} to be deleted while ${left} attachment(s) remain`,
        );
      }
      if (detachPolicies) {
        // Each policy detached is a change of authorization, announced like DetachPolicy's.
        const { rows } = await tx.query<{ name: string }>(DELETE_POLICY_ATTACHMENTS, key);
        for (const { name } of rows) {
          await announceChange(tx, {
            kind: 'policy-attachment',
            accountId: scope.accountId,
            region: scope.region,
            policyName: name,
            certificateId,
          });
        }
      }
      await tx.query(DELETE, key);
      // A certificate fleetca issued stays revoked on CRLs and in OCSP: its tombstone, in the same transaction.
      const tombstone = tombstoneOf(current, Date.now());
      if (tombstone !== undefined) {
        await tx.query(
          INSERT_TOMBSTONE,
          TOMBSTONE_COLUMNS.map((column) => tombstone[column]),
        );
      }
      await announceChange(tx, { kind: 'certificate', ...scope, certificateId, status: 'DELETED' });
    });
  }

  async attach(scope: Scope, certificateId: string, attachment: Attachment): Promise<boolean> {
    try {
      await this.#db.query(ATTACH, [...keyOf(scope, certificateId), attachment.kind, attachment.name]);
      return true;
    } catch (error) {
      // The foreign key refuses an attachment to a certificate that does not exist, or was just deleted.
      if (isForeignKeyViolation(error)) return false;
      throw error;
    }
  }

  async detach(scope: Scope, certificateId: string, attachment: Attachment): Promise<boolean> {
    const result = await this.#db.query(DETACH, [...keyOf(scope, certificateId), attachment.kind, attachment.name]);
    return (result.rowCount ?? 0) > 0;
  }

  /** Nothing to flush: every write is committed before its promise resolves. The registry owns the pool. */
  async close(): Promise<void> {}
}

async function readForUpdate(tx: PgQueryable, key: readonly unknown[]): Promise<CertificateRecord | undefined> {
  const { rows } = await tx.query<CertificateRow>(GET_FOR_UPDATE, key);
  return rows[0] === undefined ? undefined : recordFromRow(rows[0]);
}

async function countAttachments(tx: PgQueryable, key: readonly unknown[]): Promise<Attachments> {
  const { rows } = await tx.query<{ kind: string; n: string }>(COUNT_ATTACHMENTS, key);
  let things = 0;
  let policies = 0;
  for (const { kind, n } of rows) {
    if (kind === 'thing') things = Number(n);
    else if (kind === 'policy') policies = Number(n);
  }
  return { things, policies };
}
