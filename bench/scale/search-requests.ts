/**
 * SearchCertificates and GetCertificateStatistics at scale, and what their answers must be, worked out from the
 * synthetic registry alone: pages newest first with no filter, a status, an id prefix (read whole from the primary
 * key), and a filter no row matches (expiresBefore 2030: every synthetic certificate expires in 2049), whose page
 * must come back empty after its bounded scan, with a nextMarker; statistics by day and by hour.
 */

import {
  bucketStart,
  DEFAULT_LOOKBACK_MS,
  INTERVAL_MS,
  type StatisticsInterval,
} from '../../src/domain/certificates/certificate-statistics.js';
import { CERTIFICATE_STATUSES } from '../../src/domain/certificates/certificate-status.js';
import { SEARCH_SCAN_LIMIT } from '../../src/operations/fleet/search-certificates.js';
import type { SearchQuery, StatisticsQuery } from '../../src/registry/certificate-search.js';
import type { Call } from '../iot-requests.js';
import { parseOk } from './scale-requests.js';
import type { SyntheticRegistry } from './synthetic-registry.js';

const PAGE_SIZE = 25;
const NO_EXPIRY_BEFORE = Date.parse('2030-01-01T00:00:00Z');

/** One search: the REST query, the same search as the store takes it, and the page it must give. */
export interface SearchCase {
  readonly label: string;
  readonly query: Readonly<Record<string, string>>;
  readonly storeQuery: SearchQuery;
  readonly expectedIds: readonly string[];
  readonly hasNext: boolean;
}

const storeBase = {
  sortBy: 'CREATION_DATE',
  ascending: false,
  limit: PAGE_SIZE,
  scanLimit: SEARCH_SCAN_LIMIT,
} as const;

/** The newest `count` rows' ids, newest first, that pass `keep`, looking at the newest `window` rows. */
function newest(registry: SyntheticRegistry, window: number, count: number, keep: (index: number) => boolean) {
  const from = Math.max(0, registry.rows - window);
  return registry
    .sortedSlice(from, registry.rows)
    .reverse()
    .filter((key) => keep(key.index))
    .slice(0, count)
    .map((key) => key.certificateId);
}

/** Every row whose id starts with `prefix`, newest first (one pass over all the ids: a few seconds at 1,000,000). */
function withPrefix(registry: SyntheticRegistry, prefix: string): string[] {
  const found: { index: number; creationDate: number; certificateId: string }[] = [];
  for (let index = 0; index < registry.rows; index++) {
    const certificateId = registry.certificateId(index);
    if (certificateId.startsWith(prefix))
      found.push({ index, creationDate: registry.creationDate(index), certificateId });
  }
  found.sort((a, b) =>
    a.creationDate !== b.creationDate ? b.creationDate - a.creationDate : a.certificateId < b.certificateId ? 1 : -1,
  );
  return found.map((row) => row.certificateId);
}

export function searchCases(registry: SyntheticRegistry): SearchCase[] {
  if (registry.rows <= SEARCH_SCAN_LIMIT) throw new Error(`more than ${SEARCH_SCAN_LIMIT} rows are needed`);
  // Four hex digits: about 15 rows in 1,000,000, far fewer than the scan limit, so one call reads them all.
  const prefix = registry.certificateId(Math.floor(registry.rows / 3)).slice(0, 4);
  const prefixed = withPrefix(registry, prefix);
  return [
    {
      label: 'no filter',
      query: {},
      storeQuery: storeBase,
      expectedIds: newest(registry, PAGE_SIZE, PAGE_SIZE, () => true),
      hasNext: true,
    },
    {
      label: 'status REVOKED (5 %)',
      query: { status: 'REVOKED' },
      storeQuery: { ...storeBase, status: 'REVOKED' },
      // 5 % of the newest 4,000 rows: about 200, plenty for a page.
      expectedIds: newest(registry, 4000, PAGE_SIZE, (i) => registry.status(i) === 'REVOKED'),
      hasNext: true,
    },
    {
      label: `id prefix ${prefix} (${prefixed.length} rows)`,
      query: { idPrefix: prefix },
      storeQuery: { ...storeBase, idPrefix: prefix },
      expectedIds: prefixed.slice(0, PAGE_SIZE),
      hasNext: prefixed.length > PAGE_SIZE,
    },
    {
      label: 'a filter matching nothing (expiresBefore 2030)',
      query: { expiresBefore: new Date(NO_EXPIRY_BEFORE).toISOString() },
      storeQuery: { ...storeBase, expiresBefore: NO_EXPIRY_BEFORE },
      expectedIds: [],
      hasNext: true,
    },
  ];
}

export function searchCall(search: SearchCase): Call {
  return {
    request: { method: 'GET', path: '/fleetca/certificates', query: search.query },
    check: (reply) => {
      const json = parseOk(reply) as { certificates?: { certificateId?: unknown }[]; nextMarker?: unknown } | string;
      if (typeof json === 'string') return json;
      return checkIds(
        (json.certificates ?? []).map((c) => String(c.certificateId)),
        typeof json.nextMarker === 'string',
        search,
      );
    },
  };
}

/** What is wrong with a page (ids in order, whether a cursor follows), or undefined. */
export function checkIds(ids: readonly string[], hasNext: boolean, search: SearchCase): string | undefined {
  if (ids.join() !== search.expectedIds.join()) {
    return `${search.label}: ${ids.length} ids, expected ${search.expectedIds.length}${ids.length === search.expectedIds.length ? ' (other ids or order)' : ''}`;
  }
  if (hasNext !== search.hasNext) return `${search.label}: ${hasNext ? 'unexpected' : 'no'} nextMarker`;
  return undefined;
}

/** What statistics must report: the same for every answer, whatever the clock. */
export class ExpectedStatistics {
  readonly #registry: SyntheticRegistry;
  readonly byStatus: ReadonlyMap<string, number>;

  constructor(registry: SyntheticRegistry) {
    this.#registry = registry;
    const counts = new Map<string, number>();
    for (let index = 0; index < registry.rows; index++) {
      const status = registry.status(index);
      counts.set(status, (counts.get(status) ?? 0) + 1);
    }
    this.byStatus = counts;
  }

  /** Rows created in [from, to): creation dates never decrease with the index, so two binary searches. */
  createdBetween(from: number, to: number): number {
    return this.#firstAtOrAfter(to) - this.#firstAtOrAfter(from);
  }

  #firstAtOrAfter(ms: number): number {
    let lo = 0;
    let hi = this.#registry.rows;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#registry.creationDate(mid) < ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** The store's query for statistics at `now`, as GetCertificateStatistics builds it with its defaults. */
export function statisticsQuery(interval: StatisticsInterval, now: number): StatisticsQuery {
  const size = INTERVAL_MS[interval];
  return {
    issuedFrom: bucketStart(now - DEFAULT_LOOKBACK_MS[interval], interval),
    issuedBefore: bucketStart(now, interval) + size,
    bucketMs: size,
    now,
    expiringBefore: now + 30 * 86_400_000,
  };
}

interface StatisticsAnswer {
  total?: unknown;
  countsByStatus?: { status?: unknown; count?: unknown }[];
  issuance?: { start: number; count: number }[];
  expiringSoon?: unknown;
  expired?: unknown;
}

/** GetCertificateStatistics with its defaults but the interval; buckets checked against the rows' creation dates. */
export function statisticsCall(expected: ExpectedStatistics, interval: StatisticsInterval, rows: number): Call {
  const buckets = interval === 'DAY' ? 31 : 49;
  return {
    request: { method: 'GET', path: '/fleetca/certificate-statistics', query: { interval } },
    check: (reply) => {
      const json = parseOk(reply) as StatisticsAnswer | string;
      if (typeof json === 'string') return json;
      if (json.total !== rows) return `total ${String(json.total)}, expected ${rows}`;
      const counts = (json.countsByStatus ?? []).map((c) => `${String(c.status)}=${String(c.count)}`).join();
      const want = CERTIFICATE_STATUSES.map((s) => `${s}=${expected.byStatus.get(s) ?? 0}`).join();
      if (counts !== want) return `countsByStatus ${counts}, expected ${want}`;
      const issuance = json.issuance ?? [];
      if (issuance.length !== buckets) return `${issuance.length} ${interval} buckets, expected ${buckets}`;
      // rest-json timestamps are epoch seconds.
      const size = INTERVAL_MS[interval];
      for (const { start, count } of issuance) {
        const inBucket = expected.createdBetween(start * 1000, start * 1000 + size);
        if (count !== inBucket) return `bucket ${new Date(start * 1000).toISOString()}: ${count}, expected ${inBucket}`;
      }
      if (json.expiringSoon !== 0 || json.expired !== 0)
        return 'every row expires in 2049: nothing expiring or expired';
      return undefined;
    },
  };
}
