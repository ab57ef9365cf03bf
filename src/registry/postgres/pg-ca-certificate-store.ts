import type {
  CaDeleteRule,
  CaRegistrationRule,
  CaUpdateRule,
} from '../../domain/ca-certificates/ca-certificate-lifecycle.js';
import type { CaCertificateRecord } from '../../domain/ca-certificates/ca-certificate-record.js';
import type { Scope } from '../../domain/scope.js';
import {
  CA_CERTIFICATE_COLUMNS,
  type CaCertificateRow,
  type CaCertificateTagRow,
  caRecordFromRow,
  caRowFromRecord,
  registrationConfigColumns,
} from '../ca-certificate-row.js';
import type { CaCertificateStore, CaListPage, CaListQuery } from '../ca-certificate-store.js';
import { keysetPage } from '../keyset-page.js';
import { DuplicateCertificateError } from '../store.js';
import { StoreError } from '../store-error.js';
import type { PgDatabase } from './pg-database.js';
import { isUniqueViolation } from './pg-errors.js';
import { keysetPageQuery } from './pg-keyset-page.js';
import type { PgQueryable } from './pg-transaction.js';

/** A row with its tags, gathered by the same statement so that both describe one moment. */
interface CaRowWithTags extends CaCertificateRow {
  readonly tags: readonly CaCertificateTagRow[];
}

const COLUMNS = CA_CERTIFICATE_COLUMNS.join(', ');
/** The columns of `ca_certificates c` and its tags in byte order of their keys (as SQLite sorts, whatever the collation), as a JSON array. */
const SELECT_WITH_TAGS = `${CA_CERTIFICATE_COLUMNS.map((column) => `c.${column}`).join(', ')},
  COALESCE((SELECT json_agg(json_build_object('name', t.name, 'value', t.value) ORDER BY t.name COLLATE "C")
    FROM ca_certificate_tags t
    WHERE t.account_id = c.account_id AND t.region = c.region AND t.certificate_id = c.certificate_id), '[]'::json) AS tags`;
const KEY = 'account_id = $1 AND region = $2 AND certificate_id = $3';

const GET = `SELECT ${SELECT_WITH_TAGS} FROM ca_certificates c WHERE ${KEY}`;
const GET_FOR_UPDATE = `${GET} FOR UPDATE OF c`;
const BY_SUBJECT = `SELECT ${SELECT_WITH_TAGS} FROM ca_certificates c
  WHERE account_id = $1 AND region = $2 AND subject_hash = $3 ORDER BY creation_date, certificate_id`;
const BY_SUBJECT_IN_ANY_SCOPE = `SELECT ${SELECT_WITH_TAGS} FROM ca_certificates c
  WHERE subject_hash = $1 ORDER BY creation_date, certificate_id`;
/** The two facts a registration rule decides on besides the existing record. */
const REGISTRATION_STATE = `SELECT
  (SELECT COUNT(*) FROM ca_certificates WHERE account_id = $1 AND region = $2 AND subject_hash = $4) AS same_subject,
  EXISTS (SELECT 1 FROM ca_certificates WHERE region = $2 AND certificate_id = $3 AND account_id <> $1
    AND certificate_mode = 'DEFAULT') AS default_mode_elsewhere`;
/**
 * Serializes the registrations a rule's facts depend on: those of the same CA in the region (the existing
 * record, DEFAULT mode in another account) and those of the same subject in the account (the count).
 */
const REGISTRATION_LOCKS = `SELECT pg_advisory_xact_lock(hashtextextended($1, 0)),
  pg_advisory_xact_lock(hashtextextended($2, 0))`;
const INSERT = `INSERT INTO ca_certificates (${COLUMNS})
  VALUES (${CA_CERTIFICATE_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`;
const INSERT_TAGS = `INSERT INTO ca_certificate_tags (account_id, region, certificate_id, name, value)
  SELECT $1, $2, $3, tag.name, tag.value FROM unnest($4::text[], $5::text[]) AS tag (name, value)`;
const UPDATE = `UPDATE ca_certificates SET status = $4, auto_registration_status = $5, template_body = $6,
  role_arn = $7, template_name = $8, last_modified_date = $9, generation_id = $10,
  customer_version = customer_version + 1 WHERE ${KEY} RETURNING ${COLUMNS}`;
const DELETE_TAGS = `DELETE FROM ca_certificate_tags WHERE ${KEY}`;
const DELETE = `DELETE FROM ca_certificates WHERE ${KEY}`;

function keyOf(scope: Scope, certificateId: string): readonly [string, string, string] {
  return [scope.accountId, scope.region, certificateId];
}

function recordOf(row: CaRowWithTags): CaCertificateRecord {
  return caRecordFromRow(row, row.tags);
}

/**
 * CaCertificateStore on PostgreSQL. Updates and deletions read the row `FOR UPDATE` in their
 * transaction. Registration cannot lock rows that do not exist yet (the same-subject count and the
 * DEFAULT-mode check are about absent rows as much as present ones), and SERIALIZABLE would make every
 * caller retry; so it takes transaction-scoped advisory locks on what its facts are about before
 * reading them, which serializes exactly the registrations that could invalidate each other, across
 * processes, and releases them at commit or rollback.
 */
export class PgCaCertificateStore implements CaCertificateStore {
  readonly #db: PgDatabase;

  constructor(db: PgDatabase) {
    this.#db = db;
  }

  registerCaCertificate(record: CaCertificateRecord, rule: CaRegistrationRule): Promise<void> {
    const key = keyOf(record, record.certificateId);
    return this.#db.transaction(async (tx) => {
      // Always this order (CA, then subject), so that two registrations never wait on each other in a cycle.
      await tx.query(REGISTRATION_LOCKS, [
        `fleetca/ca-certificate/${record.region}/${record.certificateId}`,
        `fleetca/ca-subject/${record.accountId}/${record.region}/${record.subjectHash}`,
      ]);
      const existing = await read(tx, GET, key);
      const { rows } = await tx.query<{ same_subject: string; default_mode_elsewhere: boolean }>(REGISTRATION_STATE, [
        ...key,
        record.subjectHash,
      ]);
      const facts = rows[0];
      // A throwing rule rolls the transaction back and its error reaches the caller untouched.
      rule({
        existing,
        sameSubject: Number(facts?.same_subject ?? 0),
        defaultModeElsewhere: facts?.default_mode_elsewhere === true,
      });
      if (existing) throw new DuplicateCertificateError(record.certificateId);
      const row = caRowFromRecord(record);
      try {
        await tx.query(
          INSERT,
          CA_CERTIFICATE_COLUMNS.map((column) => row[column]),
        );
      } catch (error) {
        // The primary key stays the last line of defence should a writer ever skip the locks.
        if (isUniqueViolation(error)) throw new DuplicateCertificateError(record.certificateId);
        throw error;
      }
      if (record.tags.length > 0) {
        await tx.query(INSERT_TAGS, [
          ...key,
          record.tags.map((tag) => tag.Key),
          record.tags.map((tag) => tag.Value ?? null),
        ]);
      }
    });
  }

  getCaCertificate(scope: Scope, certificateId: string): Promise<CaCertificateRecord | undefined> {
    return read(this.#db, GET, keyOf(scope, certificateId));
  }

  async findCaCertificatesBySubject(scope: Scope, subjectHash: string): Promise<readonly CaCertificateRecord[]> {
    const { rows } = await this.#db.query<CaRowWithTags>(BY_SUBJECT, [scope.accountId, scope.region, subjectHash]);
    return rows.map(recordOf);
  }

  async findCaCertificatesBySubjectInAnyScope(subjectHash: string): Promise<readonly CaCertificateRecord[]> {
    const { rows } = await this.#db.query<CaRowWithTags>(BY_SUBJECT_IN_ANY_SCOPE, [subjectHash]);
    return rows.map(recordOf);
  }

  async listCaCertificates(scope: Scope, query: CaListQuery): Promise<CaListPage> {
    const { text, values } = keysetPageQuery({
      from: 'ca_certificates c',
      select: SELECT_WITH_TAGS,
      filters: [
        ['account_id', scope.accountId],
        ['region', scope.region],
        // With the filter the page comes from ca_certificates_by_template, without it from ca_certificates_by_creation.
        ...(query.templateName !== undefined ? [['template_name', query.templateName] as const] : []),
      ],
      limit: query.limit,
      ascending: query.ascending,
      ...(query.after && { after: query.after }),
    });
    const { rows } = await this.#db.query<CaRowWithTags>(text, values);
    return keysetPage(rows, query.limit, recordOf);
  }

  updateCaCertificate(scope: Scope, certificateId: string, rule: CaUpdateRule): Promise<CaCertificateRecord> {
    const key = keyOf(scope, certificateId);
    return this.#db.transaction(async (tx) => {
      const current = await read(tx, GET_FOR_UPDATE, key);
      const change = rule(current);
      if (current === undefined) {
        throw new StoreError(
          'RULE_CONTRACT',
          `CA update rule did not refuse certificate ${certificateId}, which does not exist in ${scope.accountId}/${scope.region}`,
        );
      }
      if (change === undefined) return current;
      const config = registrationConfigColumns(change.registrationConfig);
      const { rows } = await tx.query<CaCertificateRow>(UPDATE, [
        ...key,
        change.status,
        change.autoRegistrationStatus,
        config.template_body,
        config.role_arn,
        config.template_name,
        change.lastModifiedDate,
        change.generationId,
      ]);
      const updated = rows[0];
      if (updated === undefined) throw new Error(`CA certificate ${certificateId} vanished while locked`);
      // Tags are not touched by an update: the ones read under the lock are still the ones stored.
      return { ...caRecordFromRow(updated, []), tags: current.tags };
    });
  }

  deleteCaCertificate(scope: Scope, certificateId: string, rule: CaDeleteRule): Promise<void> {
    const key = keyOf(scope, certificateId);
    return this.#db.transaction(async (tx) => {
      const current = await read(tx, GET_FOR_UPDATE, key);
      rule(current);
      if (current === undefined) return;
      await tx.query(DELETE_TAGS, key);
      await tx.query(DELETE, key);
    });
  }
}

async function read(
  db: PgQueryable,
  statement: string,
  key: readonly unknown[],
): Promise<CaCertificateRecord | undefined> {
  const { rows } = await db.query<CaRowWithTags>(statement, key);
  return rows[0] === undefined ? undefined : recordOf(rows[0]);
}
