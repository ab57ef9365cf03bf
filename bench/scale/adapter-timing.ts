/**
 * The same reads straight through fleetca's store adapter, in this process, one caller, with no server running:
 * what the store itself costs, so that a REST figure can be split into store and HTTP/SigV4/JSON.
 */

import type { Scope } from '../../src/domain/scope.js';
import { type LatencySummary, summarizeLatencies } from '../stats.js';
import { timeSearches } from './adapter-search-timing.js';
import { DEFAULT_PAGE_SIZE, PAGE_POSITIONS, pageSpec } from './scale-requests.js';
import type { ExpectedStatistics, SearchCase } from './search-requests.js';
import { openStoreRegistry, type StoreTarget } from './stores.js';
import type { SyntheticRegistry } from './synthetic-registry.js';

export interface AdapterTiming {
  readonly label: string;
  readonly latency: LatencySummary;
  readonly failed: number;
}

export async function timeAdapter(
  target: StoreTarget,
  registry: SyntheticRegistry,
  describeRequests: number,
  listRequests: number,
  searches: {
    readonly cases: readonly SearchCase[];
    readonly expected: ExpectedStatistics;
    readonly statisticsRequests: number;
  },
): Promise<AdapterTiming[]> {
  const store = await openStoreRegistry(target);
  const scope: Scope = { accountId: registry.spec.accountId, region: registry.spec.region };
  const results: AdapterTiming[] = [];
  try {
    const ids = Array.from({ length: describeRequests }, () =>
      registry.certificateId(Math.floor(Math.random() * registry.rows)),
    );
    // Untimed warm-up: the adapter's prepared statements, the pool's connections.
    for (const id of ids.slice(0, 200)) await store.certificates.getCertificate(scope, id);
    const latencies: number[] = [];
    let failed = 0;
    for (const id of ids) {
      const started = performance.now();
      const record = await store.certificates.getCertificate(scope, id);
      latencies.push(performance.now() - started);
      if (record?.certificateId !== id) failed++;
    }
    results.push({ label: 'getCertificate, random row', latency: summarizeLatencies(latencies), failed });

    for (const size of [DEFAULT_PAGE_SIZE, 250]) {
      for (const position of PAGE_POSITIONS) {
        const page = pageSpec(registry, position, size);
        const query = { limit: size, ascending: false, ...(page.marker && { after: page.marker }) };
        const pageLatencies: number[] = [];
        let pageFailed = 0;
        for (let i = 0; i < listRequests; i++) {
          const started = performance.now();
          const listed = await store.certificates.listCertificates(scope, query);
          pageLatencies.push(performance.now() - started);
          const ok =
            listed.records.length === page.expected.length &&
            listed.records.every((record, k) => record.certificateId === page.expected[k]?.certificateId) &&
            (listed.next !== undefined) === page.hasNext;
          if (!ok) pageFailed++;
        }
        results.push({
          label: `listCertificates ${position} page, limit ${size}`,
          latency: summarizeLatencies(pageLatencies),
          failed: pageFailed,
        });
      }
    }
    results.push(
      ...(await timeSearches(store, scope, searches.cases, searches.expected, {
        search: listRequests,
        statistics: searches.statisticsRequests,
      })),
    );
    return results;
  } finally {
    await store.close();
  }
}
