import type { CertificateRecord } from '../domain/certificates/certificate-record.js';
import type { CertificateSortKey } from '../domain/certificates/certificate-search.js';
import type { CertificateStatus } from '../domain/certificates/certificate-status.js';
import { CERTIFICATE_SUMMARY_COLUMNS, type CertificateRow, summaryFromRow, toNumber } from './certificate-row.js';

/** Position after which a search page starts: the last row's sort value (none when sorted by id) and id. */
export interface SearchCursor {
  readonly sortValue?: number;
  readonly certificateId: string;
}

/** One page of SearchCertificates as the store runs it; every member but the paging ones is a filter. */
export interface SearchQuery {
  readonly sortBy: CertificateSortKey;
  readonly ascending: boolean;
  readonly limit: number;
  /** The most index entries one call examines; a page that reached it ends early, with a cursor. */
  readonly scanLimit: number;
  /** Exclusive: the page starts after this position. */
  readonly after?: SearchCursor;
  /** Lowercase hex. */
  readonly idPrefix?: string;
  readonly status?: CertificateStatus;
  readonly caCertificateId?: string;
  /** Inclusive. */
  readonly createdFrom?: number;
  /** Exclusive. */
  readonly createdBefore?: number;
  /** Exclusive, on notAfter. */
  readonly expiresBefore?: number;
}

/** What a search shows of a certificate; stores read only these columns (the PEM stays on disk). */
export type CertificateSearchHit = Pick<
  CertificateRecord,
  | 'accountId'
  | 'region'
  | 'certificateId'
  | 'status'
  | 'certificateMode'
  | 'caCertificateId'
  | 'creationDate'
  | 'notBefore'
  | 'notAfter'
>;

export interface SearchPage {
  readonly records: readonly CertificateSearchHit[];
  /**
   * Present when the search may go on after the last row examined: after the last record of a full page, or
   * after the last index entry of a bounded scan that ended the page early (then the page may be short, or empty).
   */
  readonly next?: SearchCursor;
}

/** GetCertificateStatistics' reads for one account and region; times are epoch ms. */
export interface StatisticsQuery {
  /** Issuance is counted for creation dates in [issuedFrom, issuedBefore), in buckets of bucketMs from the epoch. */
  readonly issuedFrom: number;
  readonly issuedBefore: number;
  readonly bucketMs: number;
  /** notAfter before it: expired; from it to expiringBefore (exclusive): expiring soon. */
  readonly now: number;
  readonly expiringBefore: number;
}

export interface CertificateCounts {
  /** The statuses present in the scope, with their counts (absent statuses left out). */
  readonly byStatus: readonly { readonly status: CertificateStatus; readonly count: number }[];
  /** The buckets with creations, by start (empty buckets left out). */
  readonly issuance: readonly { readonly start: number; readonly count: number }[];
  readonly expiringSoon: number;
  readonly expired: number;
}

/** The columns a search page reads: a listing's, with the CA and the validity. */
export const SEARCH_COLUMNS = [...CERTIFICATE_SUMMARY_COLUMNS, 'ca_certificate_id', 'not_before', 'not_after'] as const;

export type SearchRow = Pick<CertificateRow, (typeof SEARCH_COLUMNS)[number]>;

export function searchHitFromRow(row: SearchRow): CertificateSearchHit {
  return {
    ...summaryFromRow(row),
    ...(row.ca_certificate_id === null ? {} : { caCertificateId: row.ca_certificate_id }),
    notBefore: toNumber(row.not_before, 'not_before'),
    notAfter: toNumber(row.not_after, 'not_after'),
  };
}

/** The position of a hit in the order `sortBy`. */
export function cursorOf(hit: CertificateSearchHit, sortBy: CertificateSortKey): SearchCursor {
  if (sortBy === 'CREATION_DATE') return { sortValue: hit.creationDate, certificateId: hit.certificateId };
  if (sortBy === 'NOT_AFTER') return { sortValue: hit.notAfter, certificateId: hit.certificateId };
  return { certificateId: hit.certificateId };
}
