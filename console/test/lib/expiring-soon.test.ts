import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EXPIRING_WITHIN_DAYS, expiringSoonRequest } from '../../src/lib/expiring-soon.js';

test('expiring soon: the soonest notAfter first, up to the window the statistics count', () => {
  const now = new Date('2026-12-08T10:00:00Z');
  const request = expiringSoonRequest(now, 10);
  assert.equal(EXPIRING_WITHIN_DAYS, 30);
  assert.deepEqual(request, {
    sortBy: 'NOT_AFTER',
    ascendingOrder: true,
    expiresBefore: new Date('2027-01-07T10:00:00Z'),
    pageSize: 10,
  });
});
