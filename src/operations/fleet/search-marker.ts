import { createHash } from 'node:crypto';
import { type CertificateSortKey, hasSortValue } from '../../domain/certificates/certificate-search.js';
import { serviceErrors } from '../../errors.js';
import type { SearchCursor } from '../../registry/certificate-search.js';

/**
 * SearchCertificates' markers: opaque base64 (the model's pattern) holding the position the next page starts after
 * and a fingerprint of the search they were made for, so that a marker sent with other filters or another order is
 * refused rather than silently skipping or repeating rows. `s1:ORDER:DIRECTION:VALUE:ID:FINGERPRINT`.
 */
/** A sort value may be negative: a certificate registered with a notAfter before 1970 (UTCTime reaches back to 1950). */
const FORMAT = /^s1:(C|I|N):(a|d):(|-?\d{1,16}):([0-9a-f]{64}):([0-9a-f]{8})$/;
const ORDER_CODES: Readonly<Record<CertificateSortKey, string>> = {
  CREATION_DATE: 'C',
  CERTIFICATE_ID: 'I',
  NOT_AFTER: 'N',
};

/** What a marker is bound to: the order and every filter of the search. */
export interface SearchIdentity {
  readonly sortBy: CertificateSortKey;
  readonly ascending: boolean;
  readonly idPrefix?: string;
  readonly status?: string;
  readonly caCertificateId?: string;
  readonly createdFrom?: number;
  readonly createdBefore?: number;
  readonly expiresBefore?: number;
}

function fingerprint(search: SearchIdentity): string {
  const parts = [
    search.idPrefix,
    search.status,
    search.caCertificateId,
    search.createdFrom,
    search.createdBefore,
    search.expiresBefore,
  ];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 8);
}

export function encodeSearchMarker(cursor: SearchCursor, search: SearchIdentity): string {
  const text = [
    's1',
    ORDER_CODES[search.sortBy],
    search.ascending ? 'a' : 'd',
    cursor.sortValue ?? '',
    cursor.certificateId,
    fingerprint(search),
  ].join(':');
  return Buffer.from(text, 'utf8').toString('base64');
}

/** The cursor of a marker made for `search`; InvalidRequestException for any other. */
export function decodeSearchMarker(marker: string, search: SearchIdentity): SearchCursor {
  const match = FORMAT.exec(Buffer.from(marker, 'base64').toString('utf8'));
  if (!match) throw serviceErrors.invalidRequest(`The marker is not valid: ${marker}`);
  const [, order, direction, value = '', certificateId = '', print] = match;
  if (order !== ORDER_CODES[search.sortBy] || direction !== (search.ascending ? 'a' : 'd')) {
    throw serviceErrors.invalidRequest(
      'The marker belongs to a search in another order: send it with the sortBy and ascendingOrder it came with.',
    );
  }
  if (print !== fingerprint(search)) {
    throw serviceErrors.invalidRequest(
      'The marker belongs to a search with other filters: send it with the filters it came with, or start again without a marker.',
    );
  }
  const valued = hasSortValue(search.sortBy);
  if ((value !== '') !== valued) throw serviceErrors.invalidRequest(`The marker is not valid: ${marker}`);
  return valued ? { sortValue: Number(value), certificateId } : { certificateId };
}
