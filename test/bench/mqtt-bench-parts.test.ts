import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../bench/command-line.js';
import { stampedPayload } from '../../bench/mqtt/device-link.js';
import { shares, sourceAddresses } from '../../bench/mqtt/load-generator.js';
import { parseMqttOptions } from '../../bench/mqtt/options.js';
import { epochMs } from '../../bench/mqtt/protocol.js';
import { backoffMs } from '../../bench/mqtt/provisioning.js';

test('shares split a count evenly, the remainder to the first parts, nothing lost', () => {
  assert.deepEqual(shares(10, 3), [4, 3, 3]);
  assert.deepEqual(shares(2, 3), [1, 1, 0]);
  assert.deepEqual(shares(0, 2), [0, 0]);
  assert.equal(
    shares(18_000, 7).reduce((a, b) => a + b, 0),
    18_000,
  );
});

test('source addresses are loopback addresses from 127.0.0.2 on, crossing into the next octet', () => {
  const addresses = sourceAddresses(300);
  assert.equal(addresses[0], '127.0.0.2');
  assert.equal(addresses[253], '127.0.0.255');
  assert.equal(addresses[254], '127.0.1.0');
  assert.equal(new Set(addresses).size, 300);
});

test('backoff is full jitter under an exponential ceiling that stops at the cap', () => {
  assert.equal(
    backoffMs(0, () => 0),
    0,
  );
  assert.equal(
    backoffMs(0, () => 0.999_999),
    249,
  );
  assert.equal(
    backoffMs(3, () => 0.5),
    1_000,
  );
  assert.equal(
    backoffMs(30, () => 0.999_999),
    7_999,
  );
});

test('a stamped payload carries its send time and sequence number', () => {
  const before = epochMs();
  const payload = stampedPayload(42);
  assert.equal(payload.length, 16);
  assert.ok(payload.readDoubleBE(0) >= before && payload.readDoubleBE(0) <= epochMs());
  assert.equal(payload.readDoubleBE(8), 42);
});

test('options: the quick sizes, the full sizes, and refusals of bad values', () => {
  const quick = parseMqttOptions(['--quick'], {}, '/repo');
  assert.equal(quick?.connections, 300);
  assert.deepEqual(quick?.rates, [200, 1_000]);
  const full = parseMqttOptions(['--parts', 'latency'], {}, '/repo');
  assert.equal(full?.connections, 18_000);
  assert.deepEqual([...(full?.parts ?? [])].sort(), ['hold', 'latency'], 'latency implies hold');
  assert.equal(full?.resultsFile, '/repo/bench/RESULTS.md');
  assert.equal(parseMqttOptions(['--help'], {}, '/repo'), undefined);
  assert.throws(() => parseMqttOptions(['--replicas', '3'], {}, '/repo'), UsageError);
  assert.throws(() => parseMqttOptions(['--connections', '-5'], {}, '/repo'), UsageError);
  assert.throws(() => parseMqttOptions(['--parts', 'connect,everything'], {}, '/repo'), UsageError);
  assert.throws(() => parseMqttOptions(['--bogus'], {}, '/repo'), UsageError);
});
