import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GetCertificateStatistics } from '../../../src/model/fleet.js';
import { makeRecord } from '../../registry/certificate-fixtures.js';
import { OTHER_ACCOUNT, OTHER_REGION, openTestService, type TestService } from '../operation-context.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The operations' clock: 2025-06-15T10:30:00Z. */
const NOW = Date.UTC(2025, 5, 15, 10, 30);
const TODAY = Date.UTC(2025, 5, 15);
const THIS_HOUR = Date.UTC(2025, 5, 15, 10);

interface Statistics {
  total: number;
  countsByStatus: { status: string; count: number }[];
  issuance: { start: number; count: number }[];
  interval: string;
  expiringSoon: number;
  expired: number;
}

describe('GetCertificateStatistics', () => {
  let service: TestService;
  const stats = async (input: Record<string, unknown>) =>
    (await service.call(GetCertificateStatistics, input)) as unknown as Statistics;
  const refusal = async (input: Record<string, unknown>) => {
    const error = await service.failure(GetCertificateStatistics, input);
    assert.equal(error.code, 'InvalidRequestException');
    return error.message;
  };

  before(async () => {
    service = await openTestService('fleetca-stats-', { now: () => new Date(NOW) });
    const add = (seed: string, overrides: Parameters<typeof makeRecord>[1]) =>
      service.registry.certificates.insertCertificate(makeRecord(seed, overrides));
    // Created this hour (2), an hour ago, yesterday, 10 days ago, and 40 days ago (before the default DAY window).
    await add('now-1', { creationDate: NOW - 60_000, status: 'ACTIVE' });
    await add('now-2', { creationDate: THIS_HOUR, status: 'ACTIVE' });
    await add('hour-ago', { creationDate: NOW - HOUR, status: 'INACTIVE', notAfter: NOW + 5 * DAY });
    await add('yesterday', { creationDate: NOW - DAY, status: 'REVOKED', notAfter: NOW - 1 });
    await add('ten-days', { creationDate: NOW - 10 * DAY, status: 'ACTIVE', notAfter: NOW + 29 * DAY });
    await add('forty-days', { creationDate: NOW - 40 * DAY, status: 'PENDING_ACTIVATION', notAfter: NOW });
    // Certificates of other scopes, which no count includes.
    await add('other-account', { ...OTHER_ACCOUNT, creationDate: NOW - 60_000, notAfter: NOW - DAY });
    await add('other-region', { ...OTHER_REGION, creationDate: NOW - 60_000, notAfter: NOW + DAY });
  });
  after(() => service.close());

  test('by default: days since 30 days ago, every status in order, expiring within 30 days', async () => {
    const result = await stats({});
    assert.equal(result.total, 6);
    assert.deepEqual(result.countsByStatus, [
      { status: 'ACTIVE', count: 3 },
      { status: 'INACTIVE', count: 1 },
      { status: 'REVOKED', count: 1 },
      { status: 'PENDING_TRANSFER', count: 0 },
      { status: 'REGISTER_INACTIVE', count: 0 },
      { status: 'PENDING_ACTIVATION', count: 1 },
    ]);
    assert.equal(result.interval, 'DAY');
    assert.equal(result.issuance.length, 31);
    assert.equal(result.issuance[0]?.start, TODAY - 30 * DAY);
    assert.equal(result.issuance.at(-1)?.start, TODAY);
    const nonZero = result.issuance.filter((bucket) => bucket.count > 0);
    assert.deepEqual(nonZero, [
      { start: TODAY - 10 * DAY, count: 1 },
      { start: TODAY - DAY, count: 1 },
      { start: TODAY, count: 3 },
    ]);
    // now ≤ notAfter < now + 30 days: the one expiring now, in 5 days and in 29 days; before now: yesterday's.
    assert.equal(result.expiringSoon, 3);
    assert.equal(result.expired, 1);
  });

  test('by the hour: 48 hours back, oldest first; since and the expiry window as asked', async () => {
    const hourly = await stats({ interval: 'HOUR' });
    assert.equal(hourly.interval, 'HOUR');
    assert.equal(hourly.issuance.length, 49);
    assert.equal(hourly.issuance[0]?.start, THIS_HOUR - 48 * HOUR);
    assert.deepEqual(hourly.issuance.slice(-3), [
      { start: THIS_HOUR - 2 * HOUR, count: 0 },
      { start: THIS_HOUR - HOUR, count: 1 },
      { start: THIS_HOUR, count: 2 },
    ]);
    const narrow = await stats({ interval: 'HOUR', since: NOW - 30 * 60_000, expiringWithinDays: 1 });
    assert.deepEqual(narrow.issuance, [{ start: THIS_HOUR, count: 2 }]);
    assert.equal(narrow.expiringSoon, 1);
    const wide = await stats({ since: NOW - 50 * DAY, expiringWithinDays: 3650 });
    assert.equal(
      wide.issuance.reduce((sum, bucket) => sum + bucket.count, 0),
      6,
    );
    assert.equal(wide.expiringSoon, 3);
  });

  test('at most 400 buckets back, and never from the future', async () => {
    const oldest = await stats({ interval: 'HOUR', since: THIS_HOUR - 399 * HOUR });
    assert.equal(oldest.issuance.length, 400);
    assert.equal((await stats({ since: TODAY - 399 * DAY })).issuance.length, 400);
    assert.equal(
      await refusal({ interval: 'HOUR', since: THIS_HOUR - 400 * HOUR }),
      'since (2025-05-29T18:00:00.000Z) is too far back: it spans 401 HOUR buckets up to now, and at most 400 are ' +
        'counted; use 2025-05-29T19:00:00.000Z or later, or interval DAY.',
    );
    assert.match(await refusal({ since: TODAY - 500 * DAY }), /too far back: it spans 501 DAY buckets.*or later\.$/);
    assert.equal(
      await refusal({ since: NOW + 1000 }),
      'since (2025-06-15T10:30:01.000Z) is later than now (2025-06-15T10:30:00.000Z).',
    );
  });

  test('the interval and the expiry window are checked against the model', async () => {
    assert.match(await refusal({ interval: 'WEEK' }), /interval.*enum value set: \[HOUR, DAY\]/);
    assert.match(await refusal({ expiringWithinDays: 0 }), /expiringWithinDays.*greater than or equal to 1/);
    assert.match(await refusal({ expiringWithinDays: 3651 }), /expiringWithinDays.*less than or equal to 3650/);
  });
});
