import type { ListCursor } from '../keyset-page.js';
import { checkPageLimit } from '../keyset-page.js';

/** One page of a listing ordered by (creation_date, certificate_id). */
export interface KeysetPageRequest {
  /** The FROM item, with an alias if `select` needs one. */
  readonly from: string;
  readonly select: string;
  /** Equality filters, column first; the scope's columns lead, so an index on them serves the order. */
  readonly filters: readonly (readonly [column: string, value: unknown])[];
  readonly limit: number;
  readonly ascending: boolean;
  /** Exclusive: the page starts after this position. */
  readonly after?: ListCursor;
}

export interface KeysetPageQuery {
  readonly text: string;
  readonly values: readonly unknown[];
}

/**
 * The SELECT of a keyset page: equality filters, then the row-value comparison
 * `(creation_date, certificate_id) < (...)` (> when ascending), ordered and limited on the same pair, so
 * that an index on (filters..., creation_date, certificate_id) answers any page with one range scan and
 * no sort, at any depth. Asks for one row more than `limit`, which tells whether another page follows.
 */
export function keysetPageQuery(request: KeysetPageRequest): KeysetPageQuery {
  checkPageLimit(request.limit);
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const conditions = request.filters.map(([column, value]) => `${column} = ${param(value)}`);
  if (request.after !== undefined) {
    const seek = request.ascending ? '>' : '<';
    const date = param(request.after.creationDate);
    const id = param(request.after.certificateId);
    conditions.push(`(creation_date, certificate_id) ${seek} (${date}::bigint, ${id}::text)`);
  }
  const direction = request.ascending ? 'ASC' : 'DESC';
  const text = [
    `SELECT ${request.select} FROM ${request.from}`,
    conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '',
    `ORDER BY creation_date ${direction}, certificate_id ${direction} LIMIT ${param(request.limit + 1)}`,
  ]
    .filter((part) => part !== '')
    .join(' ');
  return { text, values };
}
