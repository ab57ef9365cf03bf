import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CertificateRecord } from '../../src/domain/certificates/certificate-record.js';
import type { CertificateSortKey } from '../../src/domain/certificates/certificate-search.js';
import { CERTIFICATE_STATUSES } from '../../src/domain/certificates/certificate-status.js';
import type { Scope } from '../../src/domain/scope.js';
import type { CertificateSearchHit, SearchPage, SearchQuery } from '../../src/registry/certificate-search.js';
import type { CertificateStore } from '../../src/registry/store.js';
import { certificateIdOf, makeRecord, OTHER_ACCOUNT, OTHER_REGION, SCOPE, T0 } from './certificate-fixtures.js';
import type { StoreFixture } from './store-conformance.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CA_A = certificateIdOf('search-ca-a');
const CA_B = certificateIdOf('search-ca-b');
const SORTS: readonly CertificateSortKey[] = ['CREATION_DATE', 'CERTIFICATE_ID', 'NOT_AFTER'];

/** 60 certificates with ties in creation and expiry dates, every status, two CAs and none. */
function fleet(scope: Scope): CertificateRecord[] {
  return Array.from({ length: 60 }, (_, i) => {
    const creationDate = T0 + (i % 13) * HOUR;
    const caCertificateId = i % 3 === 0 ? CA_A : i % 3 === 1 ? CA_B : undefined;
    return makeRecord(`search-${i}`, {
      ...scope,
      status: CERTIFICATE_STATUSES[i % CERTIFICATE_STATUSES.length],
      creationDate,
      lastModifiedDate: creationDate,
      notBefore: creationDate - 120_000,
      notAfter: T0 + (i % 7) * DAY,
      ...(caCertificateId !== undefined && { caCertificateId }),
      ...(i % 10 === 0 && { certificateMode: 'SNI_ONLY' as const }),
    });
  });
}

type Filters = Omit<SearchQuery, 'sortBy' | 'ascending' | 'limit' | 'scanLimit' | 'after'>;

/** What a search must find: the scope's records that pass every filter, in the order asked. */
function expected(
  records: readonly CertificateRecord[],
  filters: Filters,
  sortBy: CertificateSortKey,
  ascending: boolean,
) {
  const key = (r: CertificateRecord) => (sortBy === 'CREATION_DATE' ? r.creationDate : r.notAfter);
  return records
    .filter(
      (r) =>
        (filters.idPrefix === undefined || r.certificateId.startsWith(filters.idPrefix)) &&
        (filters.status === undefined || r.status === filters.status) &&
        (filters.caCertificateId === undefined || r.caCertificateId === filters.caCertificateId) &&
        (filters.createdFrom === undefined || r.creationDate >= filters.createdFrom) &&
        (filters.createdBefore === undefined || r.creationDate < filters.createdBefore) &&
        (filters.expiresBefore === undefined || r.notAfter < filters.expiresBefore),
    )
    .sort((a, b) => {
      const byKey = sortBy === 'CERTIFICATE_ID' ? 0 : key(a) - key(b);
      const order = byKey !== 0 ? byKey : a.certificateId < b.certificateId ? -1 : 1;
      return ascending ? order : -order;
    })
    .map((r) => r.certificateId);
}

/** Every page of a search, following `next` to the end. */
async function allPages(store: CertificateStore, scope: Scope, query: Omit<SearchQuery, 'after'>) {
  const pages: SearchPage[] = [];
  let page = await store.searchCertificates(scope, query);
  pages.push(page);
  while (page.next !== undefined) {
    assert.ok(pages.length < 1000, 'the search never ends');
    page = await store.searchCertificates(scope, { ...query, after: page.next });
    pages.push(page);
  }
  for (const p of pages) assert.ok(p.records.length <= query.limit, 'a page holds at most its limit');
  return { pages, ids: pages.flatMap((p) => p.records.map((r) => r.certificateId)) };
}

/** A filter of each kind, each alone, with values the fleet's ids and dates make meaningful. */
function singleFilters(records: readonly CertificateRecord[]): Record<string, Filters> {
  const first = (records[0] as CertificateRecord).certificateId;
  return {
    'id prefix, one digit': { idPrefix: first.slice(0, 1) },
    'id prefix, two digits': { idPrefix: first.slice(0, 2) },
    'id prefix, a whole id': { idPrefix: first },
    'id prefix of f digits (no upper end)': { idPrefix: 'f' },
    status: { status: 'REVOKED' },
    'CA certificate': { caCertificateId: CA_B },
    'created after (inclusive)': { createdFrom: T0 + 5 * HOUR },
    'created before (exclusive)': { createdBefore: T0 + 5 * HOUR },
    'created in a window': { createdFrom: T0 + 3 * HOUR, createdBefore: T0 + 9 * HOUR },
    'expires before (exclusive)': { expiresBefore: T0 + 3 * DAY },
    'every filter at once': {
      status: 'ACTIVE',
      caCertificateId: CA_A,
      createdFrom: T0 + HOUR,
      createdBefore: T0 + 12 * HOUR,
      expiresBefore: T0 + 6 * DAY,
    },
    'status and CA certificate': { status: 'INACTIVE', caCertificateId: CA_B },
  };
}

/** SearchCertificates and GetCertificateStatistics' reads, on every engine (called by storeConformance). */
export function searchConformance(withStore: (fn: (fixture: StoreFixture) => Promise<void>) => () => Promise<void>) {
  const withFleet = (fn: (store: CertificateStore, records: CertificateRecord[]) => Promise<void>) =>
    withStore(async ({ store }) => {
      const records = fleet(SCOPE);
      // The same ids in another account and another region, which no search of SCOPE may see.
      for (const record of [...records, ...fleet(OTHER_ACCOUNT), ...fleet(OTHER_REGION).slice(0, 20)]) {
        await store.insertCertificate(record);
      }
      await fn(store, records);
    });

  describe('searchCertificates', () => {
    test(
      'each order, both directions, unfiltered: every certificate of the scope once, in order, across pages',
      withFleet(async (store, records) => {
        for (const sortBy of SORTS) {
          for (const ascending of [false, true]) {
            const query = { sortBy, ascending, limit: 7, scanLimit: 5000 };
            const { pages, ids } = await allPages(store, SCOPE, query);
            assert.deepEqual(ids, expected(records, {}, sortBy, ascending), `${sortBy} ${ascending ? 'asc' : 'desc'}`);
            // Full pages but the last; the last has no cursor.
            assert.deepEqual(
              pages.map((p) => p.records.length),
              [7, 7, 7, 7, 7, 7, 7, 7, 4],
            );
          }
        }
      }),
    );

    test(
      'every filter, each order, both directions, with a scan bound: exactly the matches, no duplicate or gap',
      withFleet(async (store, records) => {
        for (const [name, filters] of Object.entries(singleFilters(records))) {
          for (const sortBy of SORTS) {
            for (const ascending of [false, true]) {
              const query = { ...filters, sortBy, ascending, limit: 4, scanLimit: 5 };
              const { ids } = await allPages(store, SCOPE, query);
              const want = expected(records, filters, sortBy, ascending);
              assert.deepEqual(ids, want, `${name}, ${sortBy} ${ascending ? 'asc' : 'desc'}`);
            }
          }
        }
      }),
    );

    test(
      'a bounded scan ends pages early, short or empty, with a cursor; the search still finds every match',
      withFleet(async (store, records) => {
        // Matched by two certificates in 60: the walk crosses many bounded scans.
        const filters = { status: 'INACTIVE' as const, caCertificateId: CA_B, expiresBefore: T0 + DAY };
        const want = expected(records, filters, 'CERTIFICATE_ID', true);
        assert.equal(want.length, 2);
        const query = { ...filters, sortBy: 'CERTIFICATE_ID' as const, ascending: true, limit: 25, scanLimit: 3 };
        const { pages, ids } = await allPages(store, SCOPE, query);
        assert.deepEqual(ids, want);
        const early = pages.filter((p) => p.next !== undefined && p.records.length < 25);
        assert.ok(
          early.some((p) => p.records.length === 0),
          'an empty page may still carry a cursor',
        );
        // Each call examined at most 3 of the 60 entries.
        assert.equal(pages.length, 20);
      }),
    );

    test(
      'a full page ends at its last record; the last page carries no cursor',
      withFleet(async (store, records) => {
        const query = { sortBy: 'NOT_AFTER' as const, ascending: true, limit: 10, scanLimit: 5000 };
        const first = await store.searchCertificates(SCOPE, query);
        const last = first.records[9] as CertificateSearchHit;
        assert.deepEqual(first.next, { sortValue: last.notAfter, certificateId: last.certificateId });
        const want = expected(records, {}, 'NOT_AFTER', true);
        const fifthFromEnd = records.find((r) => r.certificateId === want.at(-5)) as CertificateRecord;
        const after = { sortValue: fifthFromEnd.notAfter, certificateId: fifthFromEnd.certificateId };
        const tail = await store.searchCertificates(SCOPE, { ...query, after });
        assert.deepEqual(
          tail.records.map((r) => r.certificateId),
          want.slice(-4),
        );
        assert.equal(tail.next, undefined);
      }),
    );

    test(
      'an id prefix with few matches is read whole in one call, in any order',
      withFleet(async (store, records) => {
        const prefix = (records[7] as CertificateRecord).certificateId.slice(0, 2);
        for (const sortBy of SORTS) {
          const page = await store.searchCertificates(SCOPE, {
            idPrefix: prefix,
            sortBy,
            ascending: false,
            limit: 25,
            scanLimit: 60,
          });
          assert.deepEqual(
            page.records.map((r) => r.certificateId),
            expected(records, { idPrefix: prefix }, sortBy, false),
          );
          assert.equal(page.next, undefined, sortBy);
        }
      }),
    );

    test(
      'a hit carries what the search shows, optional members absent when unset',
      withFleet(async (store, records) => {
        const record = records[20] as CertificateRecord;
        const { records: found } = await store.searchCertificates(SCOPE, {
          idPrefix: record.certificateId,
          sortBy: 'CERTIFICATE_ID',
          ascending: true,
          limit: 1,
          scanLimit: 5000,
        });
        assert.deepEqual(found, [
          {
            accountId: SCOPE.accountId,
            region: SCOPE.region,
            certificateId: record.certificateId,
            status: record.status,
            certificateMode: 'SNI_ONLY',
            creationDate: record.creationDate,
            notBefore: record.notBefore,
            notAfter: record.notAfter,
          },
        ]);
      }),
    );

    test(
      'nothing matching: an empty page without a cursor; other scopes see only their own',
      withFleet(async (store, records) => {
        for (const filters of [
          { caCertificateId: certificateIdOf('unknown-ca') },
          { idPrefix: 'ffffffff' },
          { createdFrom: T0 + DAY },
        ]) {
          assert.deepEqual(expected(records, filters, 'CREATION_DATE', false), []);
          const page = await store.searchCertificates(SCOPE, {
            ...filters,
            sortBy: 'CREATION_DATE',
            ascending: false,
            limit: 25,
            scanLimit: 5000,
          });
          assert.deepEqual(page, { records: [] });
        }
        const empty = await store.searchCertificates(
          { accountId: '999999999999', region: 'us-east-1' },
          { sortBy: 'CREATION_DATE', ascending: false, limit: 25, scanLimit: 5000 },
        );
        assert.deepEqual(empty, { records: [] });
        const region = await allPages(store, OTHER_REGION, {
          sortBy: 'CERTIFICATE_ID',
          ascending: true,
          limit: 50,
          scanLimit: 5000,
        });
        assert.deepEqual(region.ids, expected(fleet(OTHER_REGION).slice(0, 20), {}, 'CERTIFICATE_ID', true));
      }),
    );
  });

  describe('certificateStatistics', () => {
    test(
      'counts of the scope only: by status, issuance per bucket, expired and expiring soon',
      withFleet(async (store, records) => {
        const now = T0 + 3 * DAY + HOUR;
        const counts = await store.certificateStatistics(SCOPE, {
          issuedFrom: T0 + 2 * HOUR,
          issuedBefore: T0 + 12 * HOUR,
          bucketMs: 4 * HOUR,
          now,
          expiringBefore: now + 2 * DAY,
        });
        const byStatus = new Map<string, number>();
        for (const r of records) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
        assert.deepEqual(
          [...counts.byStatus].sort((a, b) => (a.status < b.status ? -1 : 1)),
          [...byStatus].map(([status, count]) => ({ status, count })).sort((a, b) => (a.status < b.status ? -1 : 1)),
        );
        const buckets = new Map<number, number>();
        for (const r of records) {
          if (r.creationDate < T0 + 2 * HOUR || r.creationDate >= T0 + 12 * HOUR) continue;
          const start = Math.floor(r.creationDate / (4 * HOUR)) * 4 * HOUR;
          buckets.set(start, (buckets.get(start) ?? 0) + 1);
        }
        assert.deepEqual(
          [...counts.issuance].sort((a, b) => a.start - b.start),
          [...buckets].map(([start, count]) => ({ start, count })).sort((a, b) => a.start - b.start),
        );
        assert.equal(counts.expired, records.filter((r) => r.notAfter < now).length);
        assert.equal(
          counts.expiringSoon,
          records.filter((r) => r.notAfter >= now && r.notAfter < now + 2 * DAY).length,
        );
        assert.ok(counts.expired > 0 && counts.expiringSoon > 0);
      }),
    );

    test(
      'an empty scope counts nothing',
      withStore(async ({ store }) => {
        await store.insertCertificate(makeRecord('elsewhere', { ...OTHER_ACCOUNT }));
        const counts = await store.certificateStatistics(SCOPE, {
          issuedFrom: 0,
          issuedBefore: T0 + DAY,
          bucketMs: DAY,
          now: T0,
          expiringBefore: T0 + 10_000 * DAY,
        });
        assert.deepEqual(counts, { byStatus: [], issuance: [], expiringSoon: 0, expired: 0 });
      }),
    );
  });
}

/** A certificate made before migration 10, as both engines' migration tests check it: searched and counted. */
export const MADE_BEFORE_MIGRATION_10 = makeRecord('made-before-migration-10', { status: 'REVOKED', creationDate: T0 });

export async function assertSearchedAndCounted(store: CertificateStore): Promise<void> {
  const page = await store.searchCertificates(SCOPE, {
    sortBy: 'NOT_AFTER',
    ascending: true,
    status: 'REVOKED',
    limit: 25,
    scanLimit: 5000,
  });
  assert.deepEqual(
    page.records.map((r) => r.certificateId),
    [MADE_BEFORE_MIGRATION_10.certificateId],
  );
  const counts = await store.certificateStatistics(SCOPE, {
    issuedFrom: T0,
    issuedBefore: T0 + DAY,
    bucketMs: DAY,
    now: T0,
    expiringBefore: T0 + 1,
  });
  assert.deepEqual(counts.byStatus, [{ status: 'REVOKED', count: 1 }]);
  assert.deepEqual(counts.issuance, [{ start: T0, count: 1 }]);
}
