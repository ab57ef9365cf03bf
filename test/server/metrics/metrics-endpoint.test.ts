import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { parsePrometheusText, sampleValue } from '../../../bench/prometheus.js';
import { fullGarbageCollection } from '../../../src/server/guard/full-gc.js';
import { scrapeMetrics } from '../../helpers/scrape-metrics.js';
import { send, startTestServer, type TestServer } from '../http/http-support.js';

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

  test('the heap after the last full collection follows what the process holds, not what V8 has committed', async () => {
    const collect = fullGarbageCollection();
    assert.ok(collect, 'a full collection can be asked for on this runtime');
    const afterCollection = async () => {
      collect();
      await sleep(20); // the observer hears of the collection on a later turn
      const reading = (await metrics()).value('fleetca_process_memory_bytes', { kind: 'heap_after_full_gc' });
      assert.ok(reading !== undefined && reading > 0, `heap_after_full_gc: ${reading}`);
      return reading;
    };
    const idle = await afterCollection();
    let held: string[] | undefined = Array.from({ length: 400_000 }, (_, i) => `retained ${i} ${'x'.repeat(40)}`);
    const holding = await afterCollection();
    assert.ok(holding - idle > 16 * 2 ** 20, `holding ~30 MB more: ${idle} → ${holding}`);
    assert.equal(held.length, 400_000);
    held = undefined;
    const released = await afterCollection();
    assert.ok(holding - released > 16 * 2 ** 20, `released again: ${holding} → ${released}`);
  });

  test('only GET is allowed', async () => {
    const reply = await send(server, { method: 'POST', path: '/_fleetca/metrics', sign: false });
    assert.equal(reply.status, 405);
    assert.equal(reply.headers.allow, 'GET');
  });
});

describe('GET /_fleetca/metrics: requests, certificates and the registry', () => {
  let server: TestServer;

  before(async () => {
    // Counted at every scrape here, so that each reading reflects the requests just made.
    server = await startTestServer({ certificateCountMaxAgeMs: 0 });
  });
  after(() => server.close());

  test('counts API requests by operation and status, with a latency histogram per operation', async () => {
    const before = await scrapeMetrics(server.url);
    const created = await send(server, { method: 'POST', path: '/keys-and-certificate' });
    assert.equal(created.status, 200, created.body);
    const missing = await send(server, { method: 'GET', path: `/certificates/${'0'.repeat(64)}` });
    assert.equal(missing.status, 404, missing.body);
    assert.equal((await send(server, { method: 'GET', path: '/no-such-api' })).status, 404);
    await send(server, { method: 'GET', path: '/_fleetca/health', sign: false });
    const after = await scrapeMetrics(server.url);
    const moved = (name: string, labels: Record<string, string>) => after(name, labels) - before(name, labels);
    const create = { operation: 'CreateKeysAndCertificate' };
    assert.equal(moved('fleetca_http_requests_total', { ...create, status: '200' }), 1);
    assert.equal(moved('fleetca_http_requests_total', { operation: 'DescribeCertificate', status: '404' }), 1);
    assert.equal(moved('fleetca_http_requests_total', { operation: 'none', status: '404' }), 1);
    assert.equal(moved('fleetca_http_request_duration_seconds_count', create), 1);
    assert.equal(moved('fleetca_http_request_duration_seconds_bucket', { ...create, le: '+Inf' }), 1);
    assert.ok(moved('fleetca_http_request_duration_seconds_sum', create) > 0);
    for (const operation of ['none', 'CreateKeysAndCertificate', 'DescribeCertificate']) {
      const scrapes = after('fleetca_http_requests_total', { operation, status: '200' });
      assert.ok(operation !== 'none' || scrapes === 0, 'health and metrics requests are not API requests');
    }
  });

  test('gauges certificates by status over the registry', async () => {
    const before = await scrapeMetrics(server.url);
    for (const status of ['ACTIVE', 'INACTIVE', 'REVOKED', 'PENDING_TRANSFER']) {
      assert.ok(before('fleetca_certificates', { status }) >= 0);
    }
    const created = await send(server, {
      method: 'POST',
      path: '/keys-and-certificate',
      query: { setAsActive: 'true' },
    });
    assert.equal(created.status, 200, created.body);
    const { certificateId } = created.json as { certificateId: string };
    const active = await scrapeMetrics(server.url);
    assert.equal(
      active('fleetca_certificates', { status: 'ACTIVE' }),
      before('fleetca_certificates', { status: 'ACTIVE' }) + 1,
    );
    const revoked = await send(server, {
      method: 'PUT',
      path: `/certificates/${certificateId}`,
      query: { newStatus: 'REVOKED' },
    });
    assert.equal(revoked.status, 200, revoked.body);
    const after = await scrapeMetrics(server.url);
    assert.equal(
      after('fleetca_certificates', { status: 'ACTIVE' }),
      before('fleetca_certificates', { status: 'ACTIVE' }),
    );
    assert.equal(
      after('fleetca_certificates', { status: 'REVOKED' }),
      before('fleetca_certificates', { status: 'REVOKED' }) + 1,
    );
    assert.ok(
      after('fleetca_certificates_counted_timestamp_seconds') >=
        active('fleetca_certificates_counted_timestamp_seconds'),
    );
  });

  test('reports the registry reachable, and when it was checked', async () => {
    const checkedFrom = Date.now() / 1000;
    const read = await scrapeMetrics(server.url);
    assert.equal(read('fleetca_registry_up'), 1);
    assert.ok(read('fleetca_registry_last_check_timestamp_seconds') >= Math.floor(checkedFrom));
  });

  test('health: live and ready (the registry answers), the documented path equal to ready', async () => {
    const ready = { status: 'ok', checks: { registry: { status: 'ok' } } };
    for (const [path, body] of [
      ['/_fleetca/health', ready],
      ['/_fleetca/health/ready', ready],
      ['/_fleetca/health/live', { status: 'ok', checks: {} }],
    ] as const) {
      const reply = await send(server, { method: 'GET', path, sign: false });
      assert.equal(reply.status, 200, `${path}: ${reply.body}`);
      assert.deepEqual(reply.json, body, path);
      const posted = await send(server, { method: 'POST', path, sign: false });
      assert.equal(posted.status, 405, path);
    }
  });
});

describe('fleetca serve logs its key pool filling, full and drained at info level', () => {
  test('one line per episode, never one per key', async () => {
    const server = await startTestServer({ keyPoolSize: 2 });
    const lines = (message: string) =>
      server.logs
        .map((line) => JSON.parse(line) as { level: string; msg?: string; keys?: number; seconds?: number })
        .filter((line) => line.msg?.startsWith(message));
    const until = async (condition: () => boolean, what: string) => {
      const deadline = Date.now() + 30_000;
      while (!condition()) {
        assert.ok(Date.now() < deadline, `never logged ${what}:\n${server.logs.join('')}`);
        await sleep(50);
      }
    };
    try {
      await until(() => lines('key pool full').length === 1, 'a full pool');
      assert.equal(lines('key pool filling').length, 1);
      const [full] = lines('key pool full');
      assert.equal(full?.level, 'info');
      assert.equal(full?.keys, 2);
      assert.ok((full?.seconds ?? -1) >= 0);
      // Six keys at once from a pool of two: the pool runs dry, and stays dry until it has refilled.
      const burst = await Promise.all(
        Array.from({ length: 6 }, () => send(server, { method: 'POST', path: '/keys-and-certificate' })),
      );
      for (const reply of burst) assert.equal(reply.status, 200, reply.body);
      await until(() => lines('key pool full').length === 2, 'the pool full again');
      const drained = lines('key pool empty');
      assert.equal(drained.length, 1, 'drained once, not once per request that waited');
      assert.equal(drained[0]?.level, 'info');
      assert.equal(lines('key pool filling').length, 1);
    } finally {
      await server.close();
    }
  });
});
