import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ensureDevices, fixtureFile } from '../../bench/mqtt/device-fixture.js';
import { type FleetcaUnderTest, residentKiB, startFleetcaUnderTest } from '../../bench/mqtt/fleetca-under-test.js';
import { LoadGenerator } from '../../bench/mqtt/load-generator.js';
import type { Endpoint, FixtureFile } from '../../bench/mqtt/protocol.js';
import { SigV4Client } from '../../bench/sigv4-client.js';
import { eventually } from '../helpers/eventually.js';

/**
 * The device door under load, through the benchmark's own load generator (bench/mqtt): 2,000 devices, each its
 * own ACTIVE certificate, connect over mTLS and stay connected, one round of fan-in is delivered completely, a
 * device whose certificate goes INACTIVE is dropped and refused, and the server is still alive and healthy.
 */

const HELD = 2_000;
const SUBSCRIBER = HELD;
const DEVICES = HELD + 1;

let workDir: string;
let fleet: FleetcaUnderTest;
let generator: LoadGenerator;
let endpoint: Endpoint;
let file: string;

before(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'fleetca-door-load-'));
  // No key pool: its RSA key generation at start would compete with the handshakes for the test's two cores.
  fleet = await startFleetcaUnderTest({
    workDir,
    replicas: 1,
    postgresUrl: '',
    natsUrl: '',
    extraArgs: ['--key-pool-size', '0'],
  });
  const server = (fleet.replicas[0] as (typeof fleet.replicas)[0]).server;
  file = fixtureFile(workDir, fleet.caChainPem, fleet.store);
  await ensureDevices(file, server.url, fleet.credentials, DEVICES);
  endpoint = {
    port: (fleet.replicas[0] as (typeof fleet.replicas)[0]).mqttPort,
    ca: fleet.caChainPem,
    servername: 'localhost',
  };
  generator = LoadGenerator.start(2);
});

after(async () => {
  await generator?.stop();
  await fleet?.stop();
  await rm(workDir, { recursive: true, force: true });
});

test(`${HELD} concurrent mTLS devices are admitted, held, delivered to, and the server stays up`, async (t) => {
  const replica = fleet.replicas[0] as (typeof fleet.replicas)[0];
  const rssBefore = residentKiB(replica.server.pid);
  const held = await generator.connect(
    'held',
    endpoint,
    { file, from: 0, count: HELD },
    {
      clientIdPrefix: 'load-',
      concurrency: 32,
    },
  );
  assert.deepEqual(
    { ok: held.ok, refused: held.refused, failed: held.failed },
    { ok: HELD, refused: 0, failed: 0 },
    `every device admitted with CONNACK 0 (first error: ${held.firstError})`,
  );
  const subscriber = await generator.connect(
    'subscriber',
    endpoint,
    { file, from: SUBSCRIBER, count: 1 },
    {
      clientIdPrefix: 'collector-',
      concurrency: 1,
    },
  );
  assert.equal(subscriber.ok, 1, `the subscriber connects (${subscriber.firstError})`);
  const subscribed = await generator.subscribe('subscriber', 'bench/in/#', 1);
  assert.equal(subscribed.ok, 1, `SUBACK grants QoS 1 (${subscribed.error})`);

  // Fan-in: every held device publishes once (QoS 1), the one wildcard subscriber gets them all.
  const published = await generator.publish('held', 'bench/in/{clientId}', 1, 1_000, (HELD / 1_000) * 1_000);
  assert.equal(published.sent, HELD);
  assert.equal(published.acked, HELD, 'every publish was acknowledged');
  let received = 0;
  let foreign = 0;
  await eventually(`the subscriber receives all ${HELD} messages`, async () => {
    const more = await generator.collect('subscriber');
    received += more.received;
    foreign += more.foreign;
    return received >= HELD;
  });
  assert.equal(received, HELD, 'each message arrived once');
  assert.equal(foreign, 0, 'nothing but the benchmark messages arrived');
  assert.equal(await generator.count('held'), HELD, 'every device is still connected after the round');

  // A fault: device 0's certificate goes INACTIVE; the server drops its connection and refuses it from then on.
  const iot = new SigV4Client(replica.server.url, fleet.credentials, 4);
  const device0 = (JSON.parse(await readFile(file, 'utf8')) as FixtureFile).devices[0]?.certificateId as string;
  const updated = await iot.send({
    method: 'PUT',
    path: `/certificates/${device0}`,
    query: { newStatus: 'INACTIVE' },
  });
  assert.equal(updated.status, 200, updated.body);
  await eventually('the INACTIVE device is dropped', async () => (await generator.count('held')) === HELD - 1);
  assert.equal(await generator.count('held'), HELD - 1, 'only that device was dropped');
  const again = await generator.connect(
    'again',
    endpoint,
    { file, from: 0, count: 1 },
    {
      clientIdPrefix: 'again-',
      concurrency: 1,
      timeoutMs: 10_000,
    },
  );
  assert.equal(again.ok, 0, 'an INACTIVE certificate is not admitted');
  assert.equal(again.refused + again.failed, 1);

  const health = await fetch(`${replica.server.url}/_fleetca/health`);
  assert.equal(health.status, 200, 'the server still answers');
  const rssAfter = residentKiB(replica.server.pid);
  t.diagnostic(
    `server RSS ${(rssBefore / 1024).toFixed(0)} MiB → ${(rssAfter / 1024).toFixed(0)} MiB with ${HELD} devices held ` +
      `(${((rssAfter - rssBefore) / HELD).toFixed(1)} KiB each); connect ${held.ok} in ${held.elapsedS.toFixed(1)} s`,
  );
  await generator.close('held');
  await generator.close('subscriber');
});
