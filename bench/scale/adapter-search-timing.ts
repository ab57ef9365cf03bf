/**
 * SearchCertificates' pages and GetCertificateStatistics' reads straight through the store adapter, in this process,
 * one caller: what the store's part of each costs (see adapter-timing.ts).
 */

import { CERTIFICATE_STATUSES } from '../../src/domain/certificates/certificate-status.js';
import type { Scope } from '../../src/domain/scope.js';
import type { CertificateCounts } from '../../src/registry/certificate-search.js';
import type { Registry } from '../../src/registry/registry.js';
import { summarizeLatencies } from '../stats.js';
import type { AdapterTiming } from './adapter-timing.js';
import { checkIds, type ExpectedStatistics, type SearchCase, statisticsQuery } from './search-requests.js';

async function timed<T>(calls: number, call: () => Promise<T>, wrong: (result: T) => boolean) {
  // Untimed warm-up: prepared statements, the pool's connections, the pages of the index read.
  for (let i = 0; i < Math.min(5, calls); i++) await call();
  const latencies: number[] = [];
  let failed = 0;
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    const result = await call();
    latencies.push(performance.now() - started);
    if (wrong(result)) failed++;
  }
  return { latency: summarizeLatencies(latencies), failed };
}

function wrongCounts(counts: CertificateCounts, expected: ExpectedStatistics, bucketMs: number): boolean {
  const byStatus = new Map(counts.byStatus.map((c) => [c.status, c.count]));
  if (CERTIFICATE_STATUSES.some((s) => (byStatus.get(s) ?? 0) !== (expected.byStatus.get(s) ?? 0))) return true;
  if (counts.issuance.some((b) => b.count !== expected.createdBetween(b.start, b.start + bucketMs))) return true;
  return counts.expiringSoon !== 0 || counts.expired !== 0;
}

export async function timeSearches(
  registry: Registry,
  scope: Scope,
  searches: readonly SearchCase[],
  expected: ExpectedStatistics,
  requests: { readonly search: number; readonly statistics: number },
): Promise<AdapterTiming[]> {
  const results: AdapterTiming[] = [];
  for (const search of searches) {
    const timing = await timed(
      requests.search,
      () => registry.certificates.searchCertificates(scope, search.storeQuery),
      (page) =>
        checkIds(
          page.records.map((r) => r.certificateId),
          page.next !== undefined,
          search,
        ) !== undefined,
    );
    results.push({ label: `searchCertificates, ${search.label}`, ...timing });
  }
  for (const interval of ['DAY', 'HOUR'] as const) {
    const query = statisticsQuery(interval, Date.now());
    const timing = await timed(
      requests.statistics,
      () => registry.certificates.certificateStatistics(scope, query),
      (counts) => wrongCounts(counts, expected, query.bucketMs),
    );
    results.push({ label: `certificateStatistics, ${interval} (defaults)`, ...timing });
  }
  return results;
}
