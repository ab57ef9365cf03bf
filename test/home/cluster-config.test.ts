import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterSettings, parseClusterServers } from '../../src/home/cluster-config.js';
import { CONFIG_FORMAT, HomeError, parseConfig } from '../../src/home/config.js';

const config = (cluster: unknown) => JSON.stringify({ format: CONFIG_FORMAT, cluster });

test('config.json cluster is read when valid; the command line overrides it; none means a single replica', () => {
  const parsed = parseConfig(config({ servers: ['nats://a:4222', 'tls://b:4222'], name: 'prod_1' }), 'c.json');
  assert.deepEqual(parsed.cluster, { servers: ['nats://a:4222', 'tls://b:4222'], name: 'prod_1' });
  assert.deepEqual(clusterSettings(parsed.cluster, {}), { servers: ['nats://a:4222', 'tls://b:4222'], name: 'prod_1' });
  assert.deepEqual(clusterSettings(parsed.cluster, { servers: ['nats://c:1'] }), {
    servers: ['nats://c:1'],
    name: 'prod_1',
  });
  assert.deepEqual(clusterSettings(undefined, { servers: ['nats://c:1'] }), {
    servers: ['nats://c:1'],
    name: 'fleetca',
  });
  assert.equal(clusterSettings(undefined, {}), undefined);
  assert.equal(clusterSettings(undefined, { name: 'lonely' }), undefined);
  assert.deepEqual(parseClusterServers('nats://a:1, nats://b:2', '--cluster'), ['nats://a:1', 'nats://b:2']);
});

test("config.json's TLS files are kept whichever servers are in force", () => {
  const tls = { ca: '/etc/fleetca/nats-ca.pem', cert: '/etc/fleetca/nats.pem', key: '/etc/fleetca/nats.key' };
  const parsed = parseConfig(config({ servers: ['tls://a:4222'], tls }), 'c.json');
  assert.deepEqual(clusterSettings(parsed.cluster, {}), { servers: ['tls://a:4222'], name: 'fleetca', tls });
  assert.deepEqual(clusterSettings(parsed.cluster, { servers: ['tls://b:4222'] }), {
    servers: ['tls://b:4222'],
    name: 'fleetca',
    tls,
  });
});

for (const [cluster, message] of [
  ['nats://a:4222', /cluster must be an object/],
  [{}, /cluster.servers must be a list of NATS URLs/],
  [{ servers: [] }, /cluster.servers must be a list/],
  [{ servers: 'nats://a:4222' }, /cluster.servers must be a list/],
  [{ servers: ['http://a:4222'] }, /cluster.servers must be NATS URLs/],
  [{ servers: ['nats://a:4222/path'] }, /cluster.servers must be NATS URLs/],
  [{ servers: ['a:4222'] }, /cluster.servers must be NATS URLs/],
  [{ servers: ['nats://a:4222'], name: 'a.b' }, /cluster.name must be 1 to 64 letters/],
  [{ servers: ['nats://a:4222'], name: '' }, /cluster.name/],
  [{ servers: ['nats://a:4222'], name: 'x'.repeat(65) }, /cluster.name/],
  [{ servers: ['nats://a:4222'], bucket: 'x' }, /cluster has unknown settings: bucket/],
  [{ servers: ['tls://a:4222'], tls: '/ca.pem' }, /cluster.tls must be an object/],
  [{ servers: ['tls://a:4222'], tls: { ca: 'ca.pem' } }, /cluster.tls.ca must be the absolute path of a PEM file/],
  [{ servers: ['tls://a:4222'], tls: { key: '/k.pem' } }, /cluster.tls: cert and key go together/],
  [{ servers: ['tls://a:4222'], tls: { ca: '/ca.pem', insecure: true } }, /cluster.tls has unknown settings: insecure/],
] as const) {
  test(`config.json cluster ${JSON.stringify(cluster)} is refused with a message that says why`, () => {
    assert.throws(
      () => parseConfig(config(cluster), '/data/config.json'),
      (err: unknown) =>
        err instanceof HomeError && message.test(err.message) && err.message.startsWith('/data/config.json'),
    );
  });
}

test('--cluster with a bad URL is refused', () => {
  assert.throws(() => parseClusterServers('nats://a:1,,nats://b:2', '--cluster'), HomeError);
  assert.throws(() => parseClusterServers('redis://a:1', '--cluster'), /--cluster must be NATS URLs/);
});
