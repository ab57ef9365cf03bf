import {
  bucketStart,
  countsInStatusOrder,
  DAY_MS,
  DEFAULT_LOOKBACK_MS,
  INTERVAL_MS,
  issuanceBuckets,
  issuanceWindowRefusal,
  type StatisticsInterval,
} from '../../domain/certificates/certificate-statistics.js';
import { serviceErrors } from '../../errors.js';
import { GetCertificateStatistics } from '../../model/fleet.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';

const DEFAULT_EXPIRING_WITHIN_DAYS = 30;

export interface GetCertificateStatisticsInput {
  readonly interval?: StatisticsInterval;
  readonly since?: number;
  readonly expiringWithinDays?: number;
}

export const getCertificateStatistics = defineOperation({
  model: GetCertificateStatistics,
  run,
  cli: {
    examples: [
      {
        title: 'To see how many certificates were issued each hour since yesterday',
        description: 'Counts by status, issuance per UTC hour, and the certificates expiring within a week.',
        command: 'fleetca fleet get-certificate-statistics --interval HOUR --expiring-within-days 7',
      },
    ],
  },
});

async function run(input: GetCertificateStatisticsInput, ctx: OperationContext) {
  const now = ctx.now().getTime();
  const interval = input.interval ?? 'DAY';
  const since = input.since ?? now - DEFAULT_LOOKBACK_MS[interval];
  const refusal = issuanceWindowRefusal(since, now, interval);
  if (refusal !== undefined) throw serviceErrors.invalidRequest(refusal);
  const counts = await ctx.registry.certificates.certificateStatistics(ctx.scope, {
    issuedFrom: bucketStart(since, interval),
    issuedBefore: bucketStart(now, interval) + INTERVAL_MS[interval],
    bucketMs: INTERVAL_MS[interval],
    now,
    expiringBefore: now + (input.expiringWithinDays ?? DEFAULT_EXPIRING_WITHIN_DAYS) * DAY_MS,
  });
  const countsByStatus = countsInStatusOrder(counts.byStatus);
  return {
    total: countsByStatus.reduce((sum, tally) => sum + tally.count, 0),
    countsByStatus,
    issuance: issuanceBuckets(since, now, interval, counts.issuance),
    interval,
    expiringSoon: counts.expiringSoon,
    expired: counts.expired,
  };
}
