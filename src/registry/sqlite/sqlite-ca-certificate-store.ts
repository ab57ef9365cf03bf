import Database from 'better-sqlite3';
import type {
  CaDeleteRule,
  CaRegistrationRule,
  CaUpdateRule,
} from '../../domain/ca-certificates/ca-certificate-lifecycle.js';
import type { CaCertificateRecord } from '../../domain/ca-certificates/ca-certificate-record.js';
import type { Scope } from '../../domain/scope.js';
import {
  type CaCertificateRow,
  caRecordFromRow,
  caRowFromRecord,
  registrationConfigColumns,
} from '../ca-certificate-row.js';
import type { CaCertificateStore, CaListPage, CaListQuery } from '../ca-certificate-store.js';
import { checkPageLimit, keysetPage } from '../keyset-page.js';
import { DuplicateCertificateError } from '../store.js';
import { StoreError } from '../store-error.js';
import { type CaPageParams, prepareCaStatements, type SqliteCaStatements } from './sqlite-ca-statements.js';
import type { CertificateKey } from './sqlite-statements.js';

function keyOf(scope: Scope, certificateId: string): CertificateKey {
  return { account_id: scope.accountId, region: scope.region, certificate_id: certificateId };
}

/**
 * CaCertificateStore on the registry's shared better-sqlite3 connection. Read-then-write steps run
 * as BEGIN IMMEDIATE transactions, so their rule decides on rows no other writer can change meanwhile.
 */
export class SqliteCaCertificateStore implements CaCertificateStore {
  readonly #sql: SqliteCaStatements;
  readonly #register: (record: CaCertificateRecord, rule: CaRegistrationRule) => void;
  readonly #update: (scope: Scope, certificateId: string, rule: CaUpdateRule) => CaCertificateRecord;
  readonly #delete: (scope: Scope, certificateId: string, rule: CaDeleteRule) => void;

  constructor(db: Database.Database) {
    this.#sql = prepareCaStatements(db);
    this.#register = db.transaction((record: CaCertificateRecord, rule: CaRegistrationRule) =>
      this.#registerInTransaction(record, rule),
    ).immediate;
    this.#update = db.transaction((scope: Scope, certificateId: string, rule: CaUpdateRule) =>
      this.#updateInTransaction(scope, certificateId, rule),
    ).immediate;
    this.#delete = db.transaction((scope: Scope, certificateId: string, rule: CaDeleteRule) => {
      const key = keyOf(scope, certificateId);
      const current = this.#read(key);
      rule(current);
      if (current === undefined) return;
      this.#sql.deleteTags.run(key);
      this.#sql.delete.run(key);
    }).immediate;
  }

  async registerCaCertificate(record: CaCertificateRecord, rule: CaRegistrationRule): Promise<void> {
    this.#register(record, rule);
  }

  async getCaCertificate(scope: Scope, certificateId: string): Promise<CaCertificateRecord | undefined> {
    return this.#read(keyOf(scope, certificateId));
  }

  async findCaCertificatesBySubject(scope: Scope, subjectHash: string): Promise<readonly CaCertificateRecord[]> {
    const rows = this.#sql.bySubject.all({
      account_id: scope.accountId,
      region: scope.region,
      subject_hash: subjectHash,
    });
    return rows.map((row) => this.#withTags(row));
  }

  async findCaCertificatesBySubjectInAnyScope(subjectHash: string): Promise<readonly CaCertificateRecord[]> {
    return this.#sql.bySubjectInAnyScope.all({ subject_hash: subjectHash }).map((row) => this.#withTags(row));
  }

  async listCaCertificates(scope: Scope, query: CaListQuery): Promise<CaListPage> {
    checkPageLimit(query.limit);
    // One row more than asked tells whether another page follows.
    const params: CaPageParams = {
      account_id: scope.accountId,
      region: scope.region,
      limit: query.limit + 1,
      ...(query.after && { creation_date: query.after.creationDate, certificate_id: query.after.certificateId }),
      ...(query.templateName !== undefined && { template_name: query.templateName }),
    };
    const statement = this.#sql.page(query.ascending, query.after !== undefined, query.templateName !== undefined);
    return keysetPage(statement.all(params), query.limit, (row) => this.#withTags(row));
  }

  async updateCaCertificate(scope: Scope, certificateId: string, rule: CaUpdateRule): Promise<CaCertificateRecord> {
    return this.#update(scope, certificateId, rule);
  }

  async deleteCaCertificate(scope: Scope, certificateId: string, rule: CaDeleteRule): Promise<void> {
    this.#delete(scope, certificateId, rule);
  }

  #read(key: CertificateKey): CaCertificateRecord | undefined {
    const row = this.#sql.get.get(key);
    return row === undefined ? undefined : this.#withTags(row);
  }

  #withTags(row: CaCertificateRow): CaCertificateRecord {
    return caRecordFromRow(row, this.#sql.tagsOf.all(row));
  }

  #registerInTransaction(record: CaCertificateRecord, rule: CaRegistrationRule): void {
    const key = keyOf(record, record.certificateId);
    const existing = this.#read(key);
    const sameSubject = this.#sql.bySubject.all({ ...key, subject_hash: record.subjectHash }).length;
    const defaultModeElsewhere = this.#sql.defaultModeElsewhere.get(key) !== undefined;
    // A throwing rule aborts the transaction and its error reaches the caller untouched.
    rule({ existing, sameSubject, defaultModeElsewhere });
    if (existing) throw new DuplicateCertificateError(record.certificateId);
    try {
      this.#sql.insert.run(caRowFromRecord(record));
    } catch (error) {
      if (error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw new DuplicateCertificateError(record.certificateId);
      }
      throw error;
    }
    for (const tag of record.tags) this.#sql.insertTag.run({ ...key, name: tag.Key, value: tag.Value ?? null });
  }

  #updateInTransaction(scope: Scope, certificateId: string, rule: CaUpdateRule): CaCertificateRecord {
    const key = keyOf(scope, certificateId);
    const current = this.#read(key);
    const change = rule(current);
    if (current === undefined) {
      throw new StoreError(
        'RULE_CONTRACT',
        `CA update rule did not refuse certificate ${certificateId}, which does not exist in ${scope.accountId}/${scope.region}`,
      );
    }
    if (change === undefined) return current;
    this.#sql.update.run({
      ...key,
      status: change.status,
      auto_registration_status: change.autoRegistrationStatus,
      ...registrationConfigColumns(change.registrationConfig),
      last_modified_date: change.lastModifiedDate,
      generation_id: change.generationId,
    });
    // Read back rather than merge, so the result is exactly what a later get returns.
    return this.#read(key) as CaCertificateRecord;
  }
}
