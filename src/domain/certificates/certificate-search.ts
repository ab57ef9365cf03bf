/**
 * The vocabulary of SearchCertificates (fleetca's own operation): what a search may be ordered by. Each order is
 * (key, certificateId), so that every position in it is unique and a page can resume after any row.
 */
export const CERTIFICATE_SORT_KEYS = ['CREATION_DATE', 'CERTIFICATE_ID', 'NOT_AFTER'] as const;
export type CertificateSortKey = (typeof CERTIFICATE_SORT_KEYS)[number];

/** Whether an order has a key of its own before the certificate id (CERTIFICATE_ID's key is the id itself). */
export function hasSortValue(sortBy: CertificateSortKey): boolean {
  return sortBy !== 'CERTIFICATE_ID';
}
