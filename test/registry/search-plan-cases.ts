/** Searches of every shape, with the index each of their statements must walk: the query-plan tests' table. */

import type { SearchQuery } from '../../src/registry/certificate-search.js';
import type { SearchIndex } from '../../src/registry/certificate-search-sql.js';
import { certificateIdOf, T0 } from './certificate-fixtures.js';

export interface PlanCase {
  readonly name: string;
  readonly query: SearchQuery;
  /** The index of the ordered walk: its scan-end statement (when filters are left) and its page. */
  readonly index: SearchIndex;
  /** Whether the walk has filters left, hence a scan-end statement. */
  readonly bounded: boolean;
}

const DAY = 86_400_000;
const ID = certificateIdOf('pivot');
const base = { limit: 25, scanLimit: 5000 } as const;
const deep = { sortValue: T0 + 200_000, certificateId: ID };

export const PLAN_CASES: readonly PlanCase[] = [
  {
    name: 'creation order, no filter',
    query: { ...base, sortBy: 'CREATION_DATE', ascending: false, after: deep },
    index: 'by_creation',
    bounded: false,
  },
  {
    name: 'creation order, created window',
    query: { ...base, sortBy: 'CREATION_DATE', ascending: true, createdFrom: T0, createdBefore: T0 + DAY, after: deep },
    index: 'by_creation',
    bounded: false,
  },
  {
    name: 'creation order, status',
    query: { ...base, sortBy: 'CREATION_DATE', ascending: false, status: 'REVOKED', after: deep },
    index: 'by_status_creation',
    bounded: false,
  },
  {
    name: 'creation order, CA',
    query: { ...base, sortBy: 'CREATION_DATE', ascending: true, caCertificateId: 'ca-1', after: deep },
    index: 'by_ca',
    bounded: false,
  },
  {
    name: 'creation order, CA and status',
    query: { ...base, sortBy: 'CREATION_DATE', ascending: false, caCertificateId: 'ca-1', status: 'ACTIVE' },
    index: 'by_ca',
    bounded: true,
  },
  {
    name: 'creation order, expires before',
    query: { ...base, sortBy: 'CREATION_DATE', ascending: false, expiresBefore: T0 + 3 * DAY, after: deep },
    index: 'by_creation',
    bounded: true,
  },
  {
    name: 'id order, prefix',
    query: { ...base, sortBy: 'CERTIFICATE_ID', ascending: true, idPrefix: 'a1', after: { certificateId: ID } },
    index: 'primary',
    bounded: false,
  },
  {
    name: 'id order, status',
    query: { ...base, sortBy: 'CERTIFICATE_ID', ascending: false, status: 'INACTIVE' },
    index: 'primary',
    bounded: true,
  },
  {
    name: 'expiry order, expires before',
    query: { ...base, sortBy: 'NOT_AFTER', ascending: true, expiresBefore: T0 + 30 * DAY, after: deep },
    index: 'by_not_after',
    bounded: false,
  },
  {
    name: 'expiry order, status and created after',
    query: { ...base, sortBy: 'NOT_AFTER', ascending: false, status: 'ACTIVE', createdFrom: T0 },
    index: 'by_not_after',
    bounded: true,
  },
  {
    name: 'creation order, id prefix (its range when small, else the ordered walk)',
    query: { ...base, sortBy: 'CREATION_DATE', ascending: false, idPrefix: 'a', after: deep },
    index: 'by_creation',
    bounded: true,
  },
];

/** A scan end as the bound statement would give it. */
export function scanEndOf(query: SearchQuery) {
  return query.sortBy === 'CERTIFICATE_ID'
    ? { certificateId: certificateIdOf('end') }
    : { sortValue: T0 + 100_000, certificateId: certificateIdOf('end') };
}
