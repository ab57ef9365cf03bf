/** Latency and rate arithmetic, kept free of I/O so it can be unit-tested. */

/**
 * The p-th percentile (0–100) by the nearest-rank method: the smallest value with at least p% of the sample at
 * or below it. No interpolation, so a reported p99 is always a latency that really happened.
 * NaN for an empty sample.
 */
export function percentile(sortedAscending: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} is outside 0..100`);
  const n = sortedAscending.length;
  if (n === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * n));
  return sortedAscending[rank - 1] as number;
}

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** p50/p99/max/mean of latencies in milliseconds (any order; the input is not modified). */
export function summarizeLatencies(latenciesMs: readonly number[]): LatencySummary {
  const sorted = Float64Array.from(latenciesMs).sort();
  const values = Array.from(sorted);
  const sum = values.reduce((total, value) => total + value, 0);
  return {
    count: values.length,
    p50: percentile(values, 50),
    p99: percentile(values, 99),
    max: values.length === 0 ? Number.NaN : (values[values.length - 1] as number),
    mean: values.length === 0 ? Number.NaN : sum / values.length,
  };
}

/** a / b, NaN when either side is missing or b is 0 (a ratio of nothing is not 0 or Infinity). */
export function ratio(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return Number.NaN;
  return a / b;
}
