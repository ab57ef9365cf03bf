import Database from 'better-sqlite3';
import type { Attachments, DeleteRule, StatusRule } from '../../domain/certificates/certificate-lifecycle.js';
import type {
  Attachment,
  CertificateRecord,
  CertificateSummary,
} from '../../domain/certificates/certificate-record.js';
import type { Scope } from '../../domain/scope.js';
import { type CertificateRowValues, recordFromRow, rowFromRecord, summaryFromRow } from '../certificate-row.js';
import type { CertificateCounts, SearchPage, SearchQuery, StatisticsQuery } from '../certificate-search.js';
import { checkPageLimit, keysetPage } from '../keyset-page.js';
import type { ChangeHub, RegistryChange } from '../registry-changes.js';
import { tombstoneOf } from '../revocation-row.js';
import {
  type CertificateStore,
  DuplicateCertificateError,
  type ListPage,
  type ListQuery,
  type StatusCount,
} from '../store.js';
import { StoreError } from '../store-error.js';
import { commitGroup, GroupCommit, type Outcome } from './group-commit.js';
import type { InsertWriter } from './insert-writer.js';
import { certificateInserter } from './sqlite-certificate-insert.js';
import { SqliteCertificateSearch } from './sqlite-certificate-search.js';
import type { SqliteChangeLog } from './sqlite-change-log.js';
import { openSqliteDatabase } from './sqlite-database.js';
import { type CertificateKey, type PageParams, prepareStatements, type SqliteStatements } from './sqlite-statements.js';

export { StoreError, type StoreErrorCode } from '../store-error.js';

/**
 * Opens (creating if needed) the SQLite registry at `file`, migrated to the current schema, as a
 * certificate store that owns the connection.
 */
export async function openSqliteStore(
  file: string,
  options: SqliteCertificateStoreOptions = {},
): Promise<SqliteCertificateStore> {
  return new SqliteCertificateStore(await openSqliteDatabase(file), options);
}

/** The record after a status rule ran, and whether the rule changed it. */
interface StatusUpdate {
  readonly record: CertificateRecord;
  readonly changed: boolean;
}

function keyOf(scope: Scope, certificateId: string): CertificateKey {
  return { account_id: scope.accountId, region: scope.region, certificate_id: certificateId };
}

/** How a SqliteCertificateStore commits inserts. */
export interface SqliteCertificateStoreOptions {
  /**
   * `auto` (default): on a writer thread with its own connection (see InsertWriter) from the second insert on,
   * so that a one-shot CLI run never starts a thread while a server never blocks its event loop on WAL syncs;
   * `off`: always on this connection. In-memory databases always commit on this connection.
   */
  readonly writerThread?: 'auto' | 'off';
  /** Largest group of inserts in one transaction. */
  readonly maxGroup?: number;
  /** Hears the size of each transaction of inserts committed on this connection (tests). */
  readonly onLocalCommit?: (size: number) => void;
  /** Told of every insert, status change and deletion once committed. */
  readonly changes?: ChangeHub;
  /** Where inserts, status changes and deletions are also recorded, in their transaction, for other processes. */
  readonly changeLog?: SqliteChangeLog;
}

/**
 * CertificateStore on one better-sqlite3 connection. better-sqlite3 is synchronous, so a
 * transaction runs to completion without yielding; BEGIN IMMEDIATE takes the write lock before
 * the read, which serializes read-then-write steps against other connections and processes.
 *
 * Inserts are group-committed (GroupCommit): those arriving in the same event-loop turn, or while the
 * previous group is being committed, share one transaction and one WAL sync, and each caller is answered
 * only after the commit that carries its row. The commits run on a writer thread once the store is under
 * way (see SqliteCertificateStoreOptions), with the same durability (synchronous = FULL).
 */
export class SqliteCertificateStore implements CertificateStore {
  readonly #db: Database.Database;
  readonly #sql: SqliteStatements;
  readonly #search: SqliteCertificateSearch;
  readonly #inserts: GroupCommit<CertificateRowValues>;
  readonly #writerMode: 'auto' | 'off';
  readonly #changes: ChangeHub | undefined;
  readonly #changeLog: SqliteChangeLog | undefined;
  #writer: InsertWriter | undefined;
  #writerStart: Promise<InsertWriter | undefined> | undefined;
  #insertCount = 0;
  readonly #update: (scope: Scope, certificateId: string, rule: StatusRule) => StatusUpdate;
  /** The policies detached with it when a certificate was deleted, undefined when none was. */
  readonly #delete: (scope: Scope, certificateId: string, rule: DeleteRule) => readonly string[] | undefined;
  readonly #attach: (key: CertificateKey, attachment: Attachment) => boolean;

  constructor(db: Database.Database, options: SqliteCertificateStoreOptions = {}) {
    const sql = prepareStatements(db);
    this.#db = db;
    this.#sql = sql;
    this.#search = new SqliteCertificateSearch(db);
    this.#writerMode = options.writerThread ?? 'auto';
    this.#changes = options.changes;
    this.#changeLog = options.changeLog;
    const insertHere = certificateInserter(db, sql.insert, options.changeLog);
    const { onLocalCommit } = options;
    this.#inserts = new GroupCommit<CertificateRowValues>(
      (rows): readonly Outcome[] | Promise<readonly Outcome[]> => {
        const writer = this.#writer;
        if (writer !== undefined && !writer.broken) return writer.commit(rows);
        return commitGroup(db, insertHere, rows, onLocalCommit);
      },
      { maxGroup: options.maxGroup },
    );
    this.#update = db.transaction((scope: Scope, certificateId: string, rule: StatusRule) =>
      this.#updateInTransaction(scope, certificateId, rule),
    ).immediate;
    this.#delete = db.transaction((scope: Scope, certificateId: string, rule: DeleteRule) =>
      this.#deleteInTransaction(scope, certificateId, rule),
    ).immediate;
    this.#attach = db.transaction((key: CertificateKey, attachment: Attachment) => {
      if (sql.exists.get(key) === undefined) return false;
      sql.attach.run({ ...key, kind: attachment.kind, name: attachment.name });
      return true;
    }).immediate;
  }

  async insertCertificate(record: CertificateRecord): Promise<void> {
    const row = rowFromRecord(record);
    // A second insert means this is not a one-shot run: worth a writer thread from now on.
    if (++this.#insertCount === 2 && this.#writerMode === 'auto') void this.startWriterThread();
    try {
      await this.#inserts.submit(row);
    } catch (error) {
      if (error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw new DuplicateCertificateError(record.certificateId);
      }
      throw error;
    }
    // Committed, and logged for other processes in the same transaction: now this process hears it too.
    this.#announce({ accountId: record.accountId, region: record.region }, record.certificateId, record.status);
  }

  async getCertificate(scope: Scope, certificateId: string): Promise<CertificateRecord | undefined> {
    const row = this.#sql.get.get(keyOf(scope, certificateId));
    return row === undefined ? undefined : recordFromRow(row);
  }

  async findRegistrations(certificateId: string): Promise<readonly CertificateSummary[]> {
    return this.#sql.registrations.all({ certificate_id: certificateId }).map(summaryFromRow);
  }

  async countByStatus(): Promise<readonly StatusCount[]> {
    return this.#sql.countByStatus.all();
  }

  async listCertificates(scope: Scope, query: ListQuery): Promise<ListPage> {
    checkPageLimit(query.limit);
    // One row more than asked tells whether another page follows.
    const params: PageParams = {
      account_id: scope.accountId,
      region: scope.region,
      limit: query.limit + 1,
      ...(query.after && { creation_date: query.after.creationDate, certificate_id: query.after.certificateId }),
      ...(query.caCertificateId !== undefined && { ca_certificate_id: query.caCertificateId }),
    };
    return keysetPage(this.#pageStatement(query).all(params), query.limit, summaryFromRow);
  }

  searchCertificates(scope: Scope, query: SearchQuery): Promise<SearchPage> {
    return this.#search.search(scope, query);
  }

  certificateStatistics(scope: Scope, query: StatisticsQuery): Promise<CertificateCounts> {
    return this.#search.statistics(scope, query);
  }

  async updateStatus(scope: Scope, certificateId: string, rule: StatusRule): Promise<CertificateRecord> {
    const { record, changed } = this.#update(scope, certificateId, rule);
    if (changed) this.#announce(scope, certificateId, record.status);
    return record;
  }

  async deleteCertificate(scope: Scope, certificateId: string, rule: DeleteRule): Promise<void> {
    const detached = this.#delete(scope, certificateId, rule);
    if (detached === undefined) return;
    for (const policyName of detached) this.#changes?.publish(policyDetached(scope, certificateId, policyName));
    this.#announce(scope, certificateId, 'DELETED');
  }

  async attach(scope: Scope, certificateId: string, attachment: Attachment): Promise<boolean> {
    return this.#attach(keyOf(scope, certificateId), attachment);
  }

  async detach(scope: Scope, certificateId: string, attachment: Attachment): Promise<boolean> {
    const key = keyOf(scope, certificateId);
    return this.#sql.detach.run({ ...key, kind: attachment.kind, name: attachment.name }).changes > 0;
  }

  /**
   * Starts the writer thread now rather than on the second insert; true once it is ready, false when this
   * database cannot have one (in memory, read-only, closed) or it failed to start — inserts then keep being
   * committed on this connection.
   */
  startWriterThread(): Promise<boolean> {
    const db = this.#db;
    if (!db.open || db.memory || db.readonly || db.name === '') return Promise.resolve(false);
    const busyTimeoutMs = Number(db.pragma('busy_timeout', { simple: true }));
    // The writer's code (and node:worker_threads) is imported only by a process that inserts more than once.
    this.#writerStart ??= import('./insert-writer.js')
      .then(({ InsertWriter }) => InsertWriter.start(db.name, busyTimeoutMs, this.#changeLog?.origin))
      .then(
        (writer) => {
          this.#writer = writer;
          return writer;
        },
        () => undefined,
      );
    return this.#writerStart.then((writer) => writer !== undefined);
  }

  /** Resolves once every insert submitted so far is committed or has failed. */
  flush(): Promise<void> {
    return this.#inserts.flush();
  }

  async close(): Promise<void> {
    // Inserts already submitted are committed, not dropped; then the writer's connection goes, then this one.
    await this.#inserts.flush();
    const writer = await this.#writerStart;
    await writer?.close();
    if (this.#db.open) this.#db.close();
  }

  #pageStatement(query: ListQuery) {
    const sql = this.#sql;
    if (query.caCertificateId !== undefined) {
      if (query.ascending) return query.after ? sql.pageByCaAscendingAfter : sql.pageByCaAscending;
      return query.after ? sql.pageByCaDescendingAfter : sql.pageByCaDescending;
    }
    if (query.ascending) return query.after ? sql.pageAscendingAfter : sql.pageAscending;
    return query.after ? sql.pageDescendingAfter : sql.pageDescending;
  }

  #updateInTransaction(scope: Scope, certificateId: string, rule: StatusRule): StatusUpdate {
    const key = keyOf(scope, certificateId);
    const row = this.#sql.get.get(key);
    const current = row === undefined ? undefined : recordFromRow(row);
    // A throwing rule aborts the transaction and its error reaches the caller untouched.
    const change = rule(current);
    if (current === undefined) {
      throw new StoreError(
        'RULE_CONTRACT',
        `status rule did not refuse certificate ${certificateId}, which does not exist in ${scope.accountId}/${scope.region}`,
      );
    }
    if (change === undefined) return { record: current, changed: false };
    this.#sql.updateStatus.run({
      ...key,
      status: change.status,
      last_modified_date: change.lastModifiedDate,
      generation_id: change.generationId,
      revocation_reason: change.revocationReason ?? null,
    });
    this.#changeLog?.append({ kind: 'certificate', ...scope, certificateId, status: change.status });
    const { revocationReason: _previousReason, ...unchanged } = current;
    const record: CertificateRecord = {
      ...unchanged,
      status: change.status,
      lastModifiedDate: change.lastModifiedDate,
      generationId: change.generationId,
      customerVersion: current.customerVersion + 1,
      ...(change.revocationReason !== undefined && { revocationReason: change.revocationReason }),
    };
    return { record, changed: true };
  }

  #announce(scope: Scope, certificateId: string, status: CertificateRecord['status'] | 'DELETED'): void {
    this.#changes?.publish({ kind: 'certificate', ...scope, certificateId, status });
  }

  #deleteInTransaction(scope: Scope, certificateId: string, rule: DeleteRule): readonly string[] | undefined {
    const key = keyOf(scope, certificateId);
    const row = this.#sql.get.get(key);
    const current = row === undefined ? undefined : recordFromRow(row);
    const attachments = this.#countAttachments(key);
    const { detachPolicies } = rule(current, attachments);
    // Deleting what is not there is a no-op; the rule decides whether that is an error.
    if (current === undefined) return undefined;
    const left = attachments.things + (detachPolicies ? 0 : attachments.policies);
    if (left > 0) {
      throw new StoreError(
        'RULE_CONTRACT',
        `delete rule allowed certificate ${certificateId} to be deleted while ${left} attachment(s) remain`,
      );
    }
    // Each policy detached is a change of authorization, announced like DetachPolicy's.
    const detached = detachPolicies ? this.#sql.policyAttachments.all(key) : [];
    for (const policyName of detached) this.#changeLog?.append(policyDetached(scope, certificateId, policyName));
    if (detachPolicies) this.#sql.deletePolicyAttachments.run(key);
    this.#sql.deleteCertificate.run(key);
    // A certificate fleetca issued stays revoked on CRLs and in OCSP: its tombstone, in the same transaction.
    const tombstone = tombstoneOf(current, Date.now());
    if (tombstone !== undefined) this.#sql.insertTombstone.run(tombstone);
    this.#changeLog?.append({ kind: 'certificate', ...scope, certificateId, status: 'DELETED' });
    return detached;
  }

  #countAttachments(key: CertificateKey): Attachments {
    let things = 0;
    let policies = 0;
    for (const { kind, n } of this.#sql.countAttachments.all(key)) {
      if (kind === 'thing') things = n;
      else if (kind === 'policy') policies = n;
    }
    return { things, policies };
  }
}

function policyDetached(scope: Scope, certificateId: string, policyName: string): RegistryChange {
  return { kind: 'policy-attachment', accountId: scope.accountId, region: scope.region, policyName, certificateId };
}
