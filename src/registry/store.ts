import type { DeleteRule, StatusRule } from '../domain/certificates/certificate-lifecycle.js';
import type { Attachment, CertificateRecord, CertificateSummary } from '../domain/certificates/certificate-record.js';
import type { CertificateStatus } from '../domain/certificates/certificate-status.js';
import type { Scope } from '../domain/scope.js';
import type { CertificateCounts, SearchPage, SearchQuery, StatisticsQuery } from './certificate-search.js';
import type { ListCursor } from './keyset-page.js';

export interface ListQuery {
  readonly limit: number;
  readonly ascending: boolean;
  readonly after?: ListCursor;
  /** Only certificates registered with this CA certificate (ListCertificatesByCA). */
  readonly caCertificateId?: string;
}

export interface ListPage {
  readonly records: readonly CertificateSummary[];
  /** Present when more records follow the last one returned. */
  readonly next?: ListCursor;
}

/** How many certificates, across every account and region, have one status. */
export interface StatusCount {
  readonly status: CertificateStatus;
  readonly count: number;
}

/** Raised by a store when a record with the same identity already exists. */
export class DuplicateCertificateError extends Error {
  override readonly name = 'DuplicateCertificateError';
  constructor(readonly certificateId: string) {
    super(`certificate ${certificateId} already exists`);
  }
}

/**
 * The certificate registry. SQLite implements it now and PostgreSQL next, so every method
 * is async and every read-then-write happens inside the store, under the rule it is given.
 */
export interface CertificateStore {
  insertCertificate(record: CertificateRecord): Promise<void>;
  getCertificate(scope: Scope, certificateId: string): Promise<CertificateRecord | undefined>;
  /**
   * Every registration of a certificate across accounts and regions: a device presents only its certificate,
   * so its account and region are learnt from the registry (a certificate may be registered in several).
   */
  findRegistrations(certificateId: string): Promise<readonly CertificateSummary[]>;
  /** Keyset pages of summaries ordered by (creationDate, certificateId), newest first unless ascending. */
  listCertificates(scope: Scope, query: ListQuery): Promise<ListPage>;
  /**
   * One page of SearchCertificates in the order asked, with its filters, examining at most `query.scanLimit`
   * index entries (see certificate-search-sql.ts): a page may end early and still carry a cursor.
   */
  searchCertificates(scope: Scope, query: SearchQuery): Promise<SearchPage>;
  /** GetCertificateStatistics' counts for one account and region, each read from one index range. */
  certificateStatistics(scope: Scope, query: StatisticsQuery): Promise<CertificateCounts>;
  /** Applies the rule's change, bumping customerVersion by one; returns the record as it is afterwards. */
  updateStatus(scope: Scope, certificateId: string, rule: StatusRule): Promise<CertificateRecord>;
  deleteCertificate(scope: Scope, certificateId: string, rule: DeleteRule): Promise<void>;
  /** Certificates by status over the whole registry (statuses with none left out): aggregate counts for metrics. */
  countByStatus(): Promise<readonly StatusCount[]>;
  /** Records that a thing or policy is attached to a certificate (idempotent); false when the certificate does not exist. */
  attach(scope: Scope, certificateId: string, attachment: Attachment): Promise<boolean>;
  /** Removes one attachment; false when it was not there. */
  detach(scope: Scope, certificateId: string, attachment: Attachment): Promise<boolean>;
  close(): Promise<void>;
}
