import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { IoTClient } from '@aws-sdk/client-iot';
import type { MqttClient } from 'mqtt';
import {
  allowedDevice,
  clusterArgs,
  clusterConnected,
  collect,
  connectTo,
  uniqueClusterName,
} from '../helpers/cluster-replicas.js';
import { eventually, eventuallyPasses } from '../helpers/eventually.js';
import { createAccount, iotClientFor, type RunningServer, startServer } from '../helpers/fleetca-server.js';
import { mosquittoSub } from '../helpers/mosquitto-sub.js';
import type { DeviceIdentity } from '../helpers/mqtt-devices.js';
import { type PrivateNats, privateNats } from '../helpers/nats-server.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';
import { scrapeMetrics } from '../helpers/scrape-metrics.js';
import { freshSchema, type PgTestSchema } from '../registry/postgres/postgres-fixtures.js';

/**
 * Two `fleetca serve` replicas on one PostgreSQL registry and one NATS (`--cluster`): devices' messages, retained
 * messages and client ids cross replicas, within their account and region only.
 */
describe('fleetca serve replicas routing devices on NATS', () => {
  let schema: PgTestSchema;
  let nats: PrivateNats;
  let home: string;
  let a: RunningServer;
  let b: RunningServer;
  let iot: IoTClient;
  let other: IoTClient;
  let chain: string;
  const clients: MqttClient[] = [];

  before(async () => {
    schema = await freshSchema();
    nats = await privateNats();
    await nats.start();
    home = await tempHome('fleetca-cluster-');
    const env = cliEnv(home, { FLEETCA_STORE: schema.url });
    const credentials = await createAccount(env, '111122223333');
    const otherCredentials = await createAccount(env, '444455556666');
    const args = clusterArgs(nats.url, uniqueClusterName());
    [a, b] = await Promise.all([startServer(env, args), startServer(env, args)]);
    iot = iotClientFor(a, credentials);
    other = iotClientFor(b, otherCredentials);
    chain = (await runCli(['ca', 'export'], env)).stdout;
    await writeFile(join(home, 'chain.pem'), chain);
    await eventuallyPasses('both replicas connected to NATS', () => clusterConnected(a, b));
  });

  after(async () => {
    for (const client of clients) client.end(true);
    iot?.destroy();
    other?.destroy();
    await Promise.all([a?.stop(), b?.stop()]);
    await nats?.stop();
    await schema?.cleanup();
  });

  async function device(server: RunningServer, identity: DeviceIdentity, extra = {}): Promise<MqttClient> {
    const client = await connectTo(server, chain, identity, extra);
    clients.push(client);
    return client;
  }

  test('a QoS 1 message published on A reaches MQTT.js and mosquitto_sub subscribers on B, with QoS 1', async () => {
    const identity = await allowedDevice(iot);
    const subscriber = await device(b, identity, { protocolVersion: 5 });
    await subscriber.subscribeAsync('fleet/+/telemetry', { qos: 1 });
    const received = collect(subscriber);
    const files = join(home, 'sub');
    await writeFile(`${files}.pem`, identity.certificatePem);
    await writeFile(`${files}.key`, identity.privateKey);
    const mosquitto = mosquittoSub([
      ...['-h', '127.0.0.1', '-p', String(b.mqttPort), '--cafile', join(home, 'chain.pem')],
      ...['--tls-alpn', 'x-amzn-mqtt-ca', '--cert', `${files}.pem`, '--key', `${files}.key`],
      ...['-t', 'fleet/+/telemetry', '-q', '1', '-C', '1', '-v', '-i', 'mosquitto-on-b'],
    ]);
    await mosquitto.subscribed;
    const publisher = await device(a, await allowedDevice(iot), { protocolVersion: 5 });
    // Interest travels to A through NATS: published until it arrives (each delivery counted once).
    await eventuallyPasses('a message from A on B', async () => {
      await publisher.publishAsync('fleet/d1/telemetry', 'reading', {
        qos: 1,
        properties: { contentType: 'text/plain', userProperties: { unit: 'C' }, messageExpiryInterval: 300 },
      });
      assert.ok(received.length > 0);
    });
    assert.deepEqual(received[0], { topic: 'fleet/d1/telemetry', payload: 'reading', qos: 1, retain: false });
    const seen = await mosquitto.done;
    assert.equal(seen.code, 0, seen.stderr);
    assert.equal(seen.stdout, 'fleet/d1/telemetry reading\n');
    // The MQTT 5 properties travelled too.
    const withProperties = new Promise<Record<string, unknown>>((resolve) =>
      subscriber.once('message', (_topic, _payload, packet) => resolve(packet.properties ?? {})),
    );
    await publisher.publishAsync('fleet/d2/telemetry', 'again', {
      qos: 1,
      properties: { contentType: 'text/plain', userProperties: { unit: 'C' }, messageExpiryInterval: 300 },
    });
    const properties = await withProperties;
    assert.equal(properties.contentType, 'text/plain');
    assert.deepEqual({ ...(properties.userProperties as object) }, { unit: 'C' });
    assert.ok((properties.messageExpiryInterval as number) <= 300 && (properties.messageExpiryInterval as number) > 0);
  });

  test("a message from A reaches B once, however many of B's filters match it", async () => {
    const subscriber = await device(b, await allowedDevice(iot));
    await subscriber.subscribeAsync(['once/#', 'once/+', 'once/x', '#'], { qos: 1 });
    const received = collect(subscriber);
    const publisher = await device(a, await allowedDevice(iot));
    await eventuallyPasses('the first message on B', async () => {
      await publisher.publishAsync('once/x', 'probe', { qos: 1 });
      assert.ok(received.some((m) => m.topic === 'once/x'));
    });
    await publisher.publishAsync('once/x', 'counted', { qos: 1 });
    await publisher.publishAsync('once/end', 'end', { qos: 1 });
    await eventually('the end marker on B', () => received.some((m) => m.topic === 'once/end'));
    // B listens on five NATS subjects that match once.x: the message is still routed there once.
    assert.equal(received.filter((m) => m.payload === 'counted').length, 1);
  });

  test('a wildcard subscriber on B gets topics with dots, *, >, spaces and empty levels from A, exactly', async () => {
    const subscriber = await device(b, await allowedDevice(iot));
    await subscriber.subscribeAsync(['odd/#', 'even/+/x'], { qos: 1 });
    const received = collect(subscriber);
    const publisher = await device(a, await allowedDevice(iot));
    await eventuallyPasses('interest on A', async () => {
      await publisher.publishAsync('odd/probe', '', { qos: 1 });
      assert.ok(received.length > 0);
    });
    const topics = ['odd', 'odd/', 'odd//x', 'odd/a.b', 'odd/*', 'odd/>', 'odd/a b', 'odd/%2E', 'odd/é/😀', 'even//x'];
    const misses = ['even/a/y', 'oddity', 'even/x', 'odd.x', 'odd x'];
    for (const topic of [...misses, ...topics]) await publisher.publishAsync(topic, topic, { qos: 1 });
    await publisher.publishAsync('odd/end', 'end', { qos: 1 });
    await eventually('the end marker', () => received.some((m) => m.topic === 'odd/end'));
    const got = received.filter((m) => m.topic !== 'odd/probe' && m.topic !== 'odd/end');
    assert.deepEqual(
      got.map((m) => [m.topic, m.payload]),
      topics.map((topic) => [topic, topic]),
    );
  });

  test('the will of a device lost on A reaches a subscriber on B', async () => {
    const subscriber = await device(b, await allowedDevice(iot));
    await subscriber.subscribeAsync(['wills/#'], { qos: 1 });
    const received = collect(subscriber);
    const probe = await device(a, await allowedDevice(iot));
    await eventuallyPasses('interest on A', async () => {
      await probe.publishAsync('wills/probe', 'probe', { qos: 1 });
      assert.ok(received.length > 0);
    });
    const doomed = await device(a, await allowedDevice(iot), {
      will: { topic: 'wills/doomed', payload: Buffer.from('gone'), qos: 1, retain: false },
    });
    // Without DISCONNECT: the connection is simply lost, so the will is published.
    doomed.stream.destroy();
    await eventually('the will on B', () => received.some((m) => m.topic === 'wills/doomed'));
    assert.deepEqual(
      received.filter((m) => m.topic === 'wills/doomed'),
      [{ topic: 'wills/doomed', payload: 'gone', qos: 1, retain: false }],
    );
  });

  test('accounts stay apart across replicas: the same topic in two accounts', async () => {
    const mine = await device(b, await allowedDevice(iot));
    const theirs = await device(b, await allowedDevice(other));
    await mine.subscribeAsync('shared/topic', { qos: 1 });
    await theirs.subscribeAsync('shared/topic', { qos: 1 });
    const toMine = collect(mine);
    const toTheirs = collect(theirs);
    const publisher = await device(a, await allowedDevice(iot));
    const otherPublisher = await device(a, await allowedDevice(other));
    await eventuallyPasses('both accounts routed', async () => {
      if (toMine.length === 0) await publisher.publishAsync('shared/topic', 'mine', { qos: 1 });
      if (toTheirs.length === 0) await otherPublisher.publishAsync('shared/topic', 'theirs', { qos: 1 });
      assert.ok(toMine.length > 0 && toTheirs.length > 0);
    });
    assert.ok(toMine.every((m) => m.payload === 'mine'));
    assert.ok(toTheirs.every((m) => m.payload === 'theirs'));
  });

  test('a retained message set through A is delivered on subscribe through B; cleared through B it is gone on A', async () => {
    const publisher = await device(a, await allowedDevice(iot));
    await publisher.publishAsync('config/lamp', 'on', { qos: 1, retain: true });
    await eventuallyPasses('the retained message on B', async () => {
      const reader = await device(b, await allowedDevice(iot));
      const received = collect(reader);
      await reader.subscribeAsync('config/+', { qos: 1 });
      await eventually('retained delivered', () => received.length > 0, 2_000);
      reader.end(true);
      assert.deepEqual(received, [{ topic: 'config/lamp', payload: 'on', qos: 1, retain: true }]);
    });
    const clearer = await device(b, await allowedDevice(iot));
    await clearer.publishAsync('config/lamp', '', { qos: 1, retain: true });
    await eventuallyPasses('the retained message gone on A', async () => {
      const reader = await device(a, await allowedDevice(iot));
      const received = collect(reader);
      await reader.subscribeAsync(['config/+', 'config/end'], { qos: 1 });
      // A retained marker after the subscription proves the retained ones would have come first.
      await reader.publishAsync('config/end', 'end', { qos: 1 });
      await eventually('the marker', () => received.some((m) => m.topic === 'config/end'), 2_000);
      reader.end(true);
      assert.deepEqual(
        received.filter((m) => m.topic === 'config/lamp'),
        [],
      );
    });
  });

  test('a client id connecting on B takes over its connection on A (MQTT 5 DISCONNECT 0x8E)', async () => {
    const identity = await allowedDevice(iot);
    const first = await device(a, identity, { clientId: 'roamer', protocolVersion: 5 });
    const disconnected = new Promise<number | undefined>((resolve) =>
      first.once('disconnect', (packet) => resolve(packet.reasonCode)),
    );
    await device(b, identity, { clientId: 'roamer', protocolVersion: 5 });
    assert.equal(await disconnected, 0x8e);
    const second = clients[clients.length - 1] as MqttClient;
    assert.ok(second.connected, 'the newer connection survives');
  });

  test('two near-simultaneous connects of one client id on A and B: exactly one survives', async () => {
    const identity = await allowedDevice(iot);
    const [onA, onB] = await Promise.all([
      device(a, identity, { clientId: 'racer' }),
      device(b, identity, { clientId: 'racer' }),
    ]);
    await eventually('one of them closed', () => !onA.connected || !onB.connected);
    // Given time to hear each other, they must not both go either.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal([onA.connected, onB.connected].filter(Boolean).length, 1);
  });

  test('health says the cluster is ok and metrics count what crossed', async () => {
    const health = await fetch(`${a.url}/_fleetca/health`);
    assert.equal(health.status, 200);
    assert.deepEqual(((await health.json()) as { checks: object }).checks, {
      registry: { status: 'ok' },
      cluster: { status: 'ok' },
    });
    const readA = await scrapeMetrics(a.url);
    const readB = await scrapeMetrics(b.url);
    assert.equal(readA('fleetca_cluster_connected'), 1);
    assert.ok(readA('fleetca_cluster_messages_total', { direction: 'out' }) > 0);
    assert.ok(readB('fleetca_cluster_messages_total', { direction: 'in' }) > 0);
    assert.equal(readA('fleetca_cluster_reconnects_total'), 0);
  });
});
