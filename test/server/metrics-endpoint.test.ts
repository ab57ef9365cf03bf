import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { send, startTestServer, type TestServer } from './http-support.js';

/** The samples of a Prometheus text body, by metric name and label text. */
function samples(body: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of body.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    values.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return values;
}

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
    return { body: reply.body, values: samples(reply.body) };
  };

  test('exposes the key engine and the pool in the Prometheus text format, without credentials', async () => {
    const { body, values } = await metrics();
    assert.match(body, /^# HELP fleetca_keygen_pool_keys .+\n# TYPE fleetca_keygen_pool_keys gauge$/m);
    assert.equal(values.get('fleetca_keygen_info{engine="fips186-5"}'), 1);
    assert.equal(values.get('fleetca_keygen_pool_capacity'), 2);
    for (const name of [
      'fleetca_keygen_threads',
      'fleetca_keygen_queued',
      'fleetca_keygen_keys_generated_total{purpose="request"}',
      'fleetca_keygen_keys_generated_total{purpose="pool"}',
      'fleetca_keygen_throttled_total',
      'fleetca_keygen_pool_hits_total',
      'fleetca_keygen_pool_misses_total',
    ]) {
      assert.ok(values.has(name), `${name} is missing from:\n${body}`);
    }
  });

  test('counts the pool filling and a request served from it', async () => {
    const deadline = Date.now() + 30_000;
    while ((await metrics()).values.get('fleetca_keygen_pool_keys') !== 2) {
      assert.ok(Date.now() < deadline, 'the pool never filled');
      await sleep(50);
    }
    const before = (await metrics()).values;
    const reply = await send(server, { method: 'POST', path: '/keys-and-certificate', query: { setAsActive: 'true' } });
    assert.equal(reply.status, 200, reply.body);
    const afterwards = (await metrics()).values;
    assert.equal(
      afterwards.get('fleetca_keygen_pool_hits_total'),
      (before.get('fleetca_keygen_pool_hits_total') ?? 0) + 1,
    );
    assert.ok((afterwards.get('fleetca_keygen_keys_generated_total{purpose="pool"}') ?? 0) >= 2);
  });

  test('only GET is allowed', async () => {
    const reply = await send(server, { method: 'POST', path: '/_fleetca/metrics', sign: false });
    assert.equal(reply.status, 405);
    assert.equal(reply.headers.allow, 'GET');
  });
});
