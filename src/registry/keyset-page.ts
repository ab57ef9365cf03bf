/** Position after which a page of ListCertificates (or ListCACertificates) starts (keyset pagination). */
export interface ListCursor {
  readonly creationDate: number;
  readonly certificateId: string;
}

/** Refuses a page size no store can serve; every store checks before it queries. */
export function checkPageLimit(limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new RangeError(`list limit must be a positive integer, got ${limit}`);
  }
}

/**
 * The records of a page fetched with one row more than `limit` (that extra row tells whether another page
 * follows), and the cursor of the next page when there is one. Every store's keyset pages end here.
 */
export function keysetPage<R, T extends ListCursor>(
  rows: readonly R[],
  limit: number,
  toRecord: (row: R) => T,
): { records: T[]; next?: ListCursor } {
  const records = rows.slice(0, limit).map(toRecord);
  const last = records[records.length - 1];
  if (rows.length <= limit || last === undefined) return { records };
  return { records, next: { creationDate: last.creationDate, certificateId: last.certificateId } };
}
