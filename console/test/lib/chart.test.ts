import assert from 'node:assert/strict';
import { test } from 'node:test';
import { barHeight, bucketLabel, bucketName, chartSummary, countAxis, labelStride } from '../../src/lib/chart.js';

test('countAxis: round integer steps that reach the largest value', () => {
  assert.deepEqual(countAxis(0), { ticks: [0, 1], top: 1 }, 'an empty chart still has an axis');
  assert.deepEqual(countAxis(Number.NaN), { ticks: [0, 1], top: 1 });
  assert.deepEqual(countAxis(3), { ticks: [0, 1, 2, 3], top: 3 }, 'counts never get fractional ticks');
  assert.deepEqual(countAxis(7), { ticks: [0, 2, 4, 6, 8], top: 8 });
  assert.deepEqual(countAxis(23), { ticks: [0, 10, 20, 30], top: 30 });
  assert.deepEqual(countAxis(100), { ticks: [0, 50, 100], top: 100 });
  assert.deepEqual(countAxis(1234), { ticks: [0, 500, 1000, 1500], top: 1500 });
  for (const max of [1, 9, 11, 99, 101, 4999, 123456]) {
    const axis = countAxis(max);
    assert.ok(axis.top >= max, `top ${axis.top} reaches ${max}`);
    assert.ok(axis.ticks.length >= 2 && axis.ticks.length <= 7, `${axis.ticks.length} ticks for ${max}`);
    assert.ok(axis.ticks.every((t) => Number.isInteger(t)));
  }
});

test('barHeight scales into the plot and clamps', () => {
  assert.equal(barHeight(5, 10, 200), 100);
  assert.equal(barHeight(0, 10, 200), 0);
  assert.equal(barHeight(-3, 10, 200), 0);
  assert.equal(barHeight(20, 10, 200), 200);
  assert.equal(barHeight(5, 0, 200), 0);
});

test('bucket labels are UTC: a short one under the bar and a full name', () => {
  const start = new Date('2026-12-08T14:00:00Z');
  assert.equal(bucketLabel(start, 'DAY'), 'Dec 8');
  assert.equal(bucketLabel(start, 'HOUR'), '14:00');
  assert.equal(bucketName(start, 'DAY'), '2026-12-08');
  assert.equal(bucketName(start, 'HOUR'), '2026-12-08 14:00 UTC');
  assert.equal(bucketLabel(new Date('2027-01-01T00:00:00Z'), 'DAY'), 'Jan 1');
});

test('labelStride thins labels to fit', () => {
  assert.equal(labelStride(10, 12), 1);
  assert.equal(labelStride(31, 12), 3);
  assert.equal(labelStride(49, 12), 5);
  assert.equal(labelStride(0, 12), 1);
  assert.equal(labelStride(10, 0), 1);
});

test('chartSummary says what the chart shows', () => {
  assert.equal(chartSummary([1, 0, 4], 'DAY'), '5 certificates issued over 3 days; at most 4 in one day.');
  assert.equal(chartSummary([2], 'HOUR'), '2 certificates issued over 1 hour; at most 2 in one hour.');
});
