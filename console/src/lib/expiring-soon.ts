/** What the dashboard means by "expiring soon": the window GetCertificateStatistics counts by default. */
import type { SearchCertificatesRequest } from '../api/fleet-types.js';

export const EXPIRING_WITHIN_DAYS = 30;

const DAY_MS = 86_400_000;

/** The soonest to expire first, up to `count`: notAfter before now + the window (expired ones included, first). */
export function expiringSoonRequest(now: Date, count: number): SearchCertificatesRequest {
  return {
    sortBy: 'NOT_AFTER',
    ascendingOrder: true,
    expiresBefore: new Date(now.getTime() + EXPIRING_WITHIN_DAYS * DAY_MS),
    pageSize: count,
  };
}
