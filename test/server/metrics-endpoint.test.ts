import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { parsePrometheusText, sampleValue } from '../../bench/prometheus.js';
import { send, startTestServer, type TestServer } from './http-support.js';

describe('GET /_fleetca/metrics', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ keyPoolSize: 2 });
  });
  after(() => server.close());

  const metrics = async () => {
    const reply = await send(server, { method: 'GET', path: '/_fleetca/metrics', sign: false });
    assert.equal(reply.status, 200, reply.body);
    assert.equal(reply.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
    const samples = parsePrometheusText(reply.body);
    return {
      body: reply.body,
      value: (name: string, labels?: Record<string, string>) => sampleValue(samples, name, labels),
    };
  };

  test('exposes the key engine and the pool in the Prometheus text format, without credentials', async () => {
    const { body, value } = await metrics();
    assert.match(body, /^# HELP fleetca_keygen_pool_keys .+\n# TYPE fleetca_keygen_pool_keys gauge$/m);
    assert.equal(value('fleetca_keygen_info', { engine: 'fips186-5' }), 1);
    assert.equal(value('fleetca_keygen_pool_capacity'), 2);
    for (const [name, labels] of [
      ['fleetca_keygen_threads'],
      ['fleetca_keygen_queued'],
      ['fleetca_keygen_keys_generated_total', { purpose: 'request' }],
      ['fleetca_keygen_keys_generated_total', { purpose: 'pool' }],
      ['fleetca_keygen_throttled_total'],
      ['fleetca_keygen_pool_hits_total'],
      ['fleetca_keygen_pool_misses_total'],
    ] as const) {
      assert.ok(value(name, labels) !== undefined, `${name} ${JSON.stringify(labels)} is missing from:\n${body}`);
    }
  });

  test('counts the pool filling and a request served from it', async () => {
    const deadline = Date.now() + 30_000;
    while ((await metrics()).value('fleetca_keygen_pool_keys') !== 2) {
      assert.ok(Date.now() < deadline, 'the pool never filled');
      await sleep(50);
    }
    const before = (await metrics()).value;
    const reply = await send(server, { method: 'POST', path: '/keys-and-certificate', query: { setAsActive: 'true' } });
    assert.equal(reply.status, 200, reply.body);
    const afterwards = (await metrics()).value;
    assert.equal(afterwards('fleetca_keygen_pool_hits_total'), (before('fleetca_keygen_pool_hits_total') ?? 0) + 1);
    assert.ok((afterwards('fleetca_keygen_keys_generated_total', { purpose: 'pool' }) ?? 0) >= 2);
  });

  test('only GET is allowed', async () => {
    const reply = await send(server, { method: 'POST', path: '/_fleetca/metrics', sign: false });
    assert.equal(reply.status, 405);
    assert.equal(reply.headers.allow, 'GET');
  });
});
