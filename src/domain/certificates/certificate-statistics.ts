import { CERTIFICATE_STATUSES, type CertificateStatus } from './certificate-status.js';

/**
 * GetCertificateStatistics' arithmetic: issuance counted in UTC buckets of an hour or a day, every bucket from the
 * one holding `since` to the one holding now, and the counts per status in the vocabulary's order.
 */
export const STATISTICS_INTERVALS = ['HOUR', 'DAY'] as const;
export type StatisticsInterval = (typeof STATISTICS_INTERVALS)[number];

const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Epoch milliseconds have no leap seconds, so UTC hours and days are fixed lengths from the epoch. */
export const INTERVAL_MS: Readonly<Record<StatisticsInterval, number>> = { HOUR: HOUR_MS, DAY: DAY_MS };

/** The most buckets one answer holds. */
export const MAX_ISSUANCE_BUCKETS = 400;

/** How far back issuance goes when no `since` is given: 30 days of days, 48 hours of hours. */
export const DEFAULT_LOOKBACK_MS: Readonly<Record<StatisticsInterval, number>> = {
  HOUR: 48 * HOUR_MS,
  DAY: 30 * DAY_MS,
};

/** The start of the UTC bucket holding `ms`. */
export function bucketStart(ms: number, interval: StatisticsInterval): number {
  const size = INTERVAL_MS[interval];
  return Math.floor(ms / size) * size;
}

/** How many buckets run from the one holding `since` to the one holding `now`, both included. */
export function bucketCount(since: number, now: number, interval: StatisticsInterval): number {
  return (bucketStart(now, interval) - bucketStart(since, interval)) / INTERVAL_MS[interval] + 1;
}

/**
 * Why issuance cannot be counted from `since` (later than now, or more than MAX_ISSUANCE_BUCKETS buckets back),
 * in a sentence for the caller; undefined when it can.
 */
export function issuanceWindowRefusal(since: number, now: number, interval: StatisticsInterval): string | undefined {
  const iso = (ms: number) => new Date(ms).toISOString();
  if (since > now) return `since (${iso(since)}) is later than now (${iso(now)}).`;
  const buckets = bucketCount(since, now, interval);
  if (buckets <= MAX_ISSUANCE_BUCKETS) return undefined;
  const earliest = bucketStart(now, interval) - (MAX_ISSUANCE_BUCKETS - 1) * INTERVAL_MS[interval];
  return (
    `since (${iso(since)}) is too far back: it spans ${buckets} ${interval} buckets up to now, and at most ` +
    `${MAX_ISSUANCE_BUCKETS} are counted; use ${iso(earliest)} or later${interval === 'HOUR' ? ', or interval DAY' : ''}.`
  );
}

export interface IssuanceBucket {
  readonly start: number;
  readonly count: number;
}

/** Every bucket from since's to now's, oldest first, with the counts given (by bucket start) and zeros elsewhere. */
export function issuanceBuckets(
  since: number,
  now: number,
  interval: StatisticsInterval,
  counted: readonly IssuanceBucket[],
): IssuanceBucket[] {
  const size = INTERVAL_MS[interval];
  const byStart = new Map(counted.map((bucket) => [bucket.start, bucket.count]));
  const buckets: IssuanceBucket[] = [];
  for (let start = bucketStart(since, interval); start <= bucketStart(now, interval); start += size) {
    buckets.push({ start, count: byStart.get(start) ?? 0 });
  }
  return buckets;
}

export interface StatusTally {
  readonly status: CertificateStatus;
  readonly count: number;
}

/** Every status in the vocabulary's order, zeros included. */
export function countsInStatusOrder(counted: readonly StatusTally[]): StatusTally[] {
  const byStatus = new Map(counted.map((tally) => [tally.status, tally.count]));
  return CERTIFICATE_STATUSES.map((status) => ({ status, count: byStatus.get(status) ?? 0 }));
}
