import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { IoTClient } from '@aws-sdk/client-iot';
import type { MqttClient } from 'mqtt';
import {
  allowedDevice,
  clusterArgs,
  clusterConnected,
  clusterHealth,
  collect,
  connectTo,
  uniqueClusterName,
} from '../helpers/cluster-replicas.js';
import { eventually, eventuallyPasses } from '../helpers/eventually.js';
import { createAccount, iotClientFor, type RunningServer, startServer } from '../helpers/fleetca-server.js';
import type { DeviceIdentity } from '../helpers/mqtt-devices.js';
import { type PrivateNats, privateNats } from '../helpers/nats-server.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';
import { scrapeMetrics } from '../helpers/scrape-metrics.js';
import { freshSchema, type PgTestSchema } from '../registry/postgres/postgres-fixtures.js';

/**
 * The cluster's faults, on a private nats-server the test stops and starts: replicas start without NATS, lose it under
 * traffic and get it back, and a replica dies; devices on each replica are served throughout.
 */
describe('fleetca serve replicas when NATS or a replica fails', () => {
  let schema: PgTestSchema;
  let nats: PrivateNats;
  let a: RunningServer;
  let aKilled = false;
  let b: RunningServer;
  let iot: IoTClient;
  let chain: string;
  const clients: MqttClient[] = [];

  before(async () => {
    schema = await freshSchema();
    nats = await privateNats();
    const env = cliEnv(await tempHome('fleetca-cluster-faults-'), { FLEETCA_STORE: schema.url });
    const credentials = await createAccount(env, '111122223333');
    const args = clusterArgs(nats.url, uniqueClusterName());
    // NATS is not running yet.
    [a, b] = await Promise.all([startServer(env, args), startServer(env, args)]);
    iot = iotClientFor(a, credentials);
    chain = (await runCli(['ca', 'export'], env)).stdout;
  });

  after(async () => {
    for (const client of clients) client.end(true);
    iot?.destroy();
    await Promise.all([aKilled ? undefined : a?.stop(), b?.stop()]);
    await nats?.stop();
    await schema?.cleanup();
  });

  async function device(server: RunningServer, identity?: DeviceIdentity, extra = {}): Promise<MqttClient> {
    const client = await connectTo(server, chain, identity ?? (await allowedDevice(iot)), extra);
    clients.push(client);
    return client;
  }

  /** A publisher on `server` sending QoS 1 `topic` messages numbered from 1 until `stop` is called. */
  function traffic(publisher: MqttClient, topic: string): { stop(): Promise<void>; sent(): number } {
    let sent = 0;
    let running = true;
    const loop = (async () => {
      while (running) {
        await publisher.publishAsync(topic, String(++sent), { qos: 1 });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    return {
      stop: async () => {
        running = false;
        await loop;
      },
      sent: () => sent,
    };
  }

  test('without NATS at start: both replicas serve their own devices, health reports it without failing readiness', async () => {
    const health = await clusterHealth(a);
    assert.equal(health.status, 200);
    assert.equal((health.cluster as { status: string }).status, 'degraded');
    const subscriber = await device(a);
    await subscriber.subscribeAsync('local/#', { qos: 1 });
    const received = collect(subscriber);
    const publisher = await device(a);
    await publisher.publishAsync('local/x', 'here', { qos: 1 });
    await eventually('the local message', () => received.length === 1);
    const read = await scrapeMetrics(a.url);
    assert.equal(read('fleetca_cluster_connected'), 0);
    assert.ok(read('fleetca_cluster_messages_total', { direction: 'unsent' }) >= 1);
  });

  test('NATS started later: cross-replica routing begins without restarting fleetca', async () => {
    await nats.start();
    await eventuallyPasses('both replicas connected', () => clusterConnected(a, b));
    const subscriber = await device(b);
    await subscriber.subscribeAsync('late/#', { qos: 1 });
    const received = collect(subscriber);
    const publisher = await device(a);
    await eventuallyPasses('A to B', async () => {
      await publisher.publishAsync('late/x', 'crossed', { qos: 1 });
      assert.ok(received.length > 0);
    });
    assert.equal(received[0]?.payload, 'crossed');
  });

  test('NATS lost under traffic: local delivery goes on; NATS back: cross-replica delivery and retained resume', async () => {
    const onA = await device(a);
    const onB = await device(b);
    await onA.subscribeAsync('load/#', { qos: 1 });
    await onB.subscribeAsync(['load/#', 'kept/#'], { qos: 1 });
    const localA = collect(onA);
    const remoteB = collect(onB);
    const load = traffic(await device(a), 'load/t');
    await eventually('traffic crossing', () => remoteB.length >= 5);

    await nats.stop();
    await eventuallyPasses('A says the cluster is lost', async () => {
      assert.equal((await scrapeMetrics(a.url))('fleetca_cluster_connected'), 0);
    });
    const health = await clusterHealth(a);
    assert.equal(health.status, 200, 'still ready: its devices are served');
    assert.equal((health.cluster as { status: string }).status, 'degraded');
    const localBefore = localA.length;
    await eventually('local delivery goes on', () => localA.length >= localBefore + 10);
    // A retained message set while NATS is away is shared once it is back.
    const setter = await device(a);
    await setter.publishAsync('kept/while-away', 'later', { qos: 1, retain: true });

    await nats.start();
    await eventuallyPasses('both replicas reconnected', () => clusterConnected(a, b));
    const remoteBefore = remoteB.length;
    await eventually('cross-replica delivery resumes', () => remoteB.length >= remoteBefore + 5);
    await load.stop();
    await eventuallyPasses('the retained message set while away, on B', async () => {
      const reader = await device(b);
      const received = collect(reader);
      await reader.subscribeAsync('kept/+', { qos: 1 });
      await eventually('retained delivered', () => received.length > 0, 2_000);
      reader.end(true);
      assert.equal(received[0]?.payload, 'later');
    });
    const read = await scrapeMetrics(a.url);
    assert.equal(read('fleetca_cluster_connected'), 1);
    assert.ok(read('fleetca_cluster_reconnects_total') >= 1);
    // One line when lost, one when back: not one per message.
    assert.equal(a.logs().match(/NATS connection lost/g)?.length, 1, a.logs());
    const numbers = localA.map((m) => Number(m.payload));
    assert.deepEqual(
      numbers,
      numbers.map((_, i) => (numbers[0] as number) + i),
      'local QoS 1 delivery kept every message, in order',
    );
  });

  test('a replica killed: its device reconnects to the other and carries on', async () => {
    const identity = await allowedDevice(iot);
    const watcher = await device(b);
    await watcher.subscribeAsync('roam/#', { qos: 1 });
    const received = collect(watcher);
    const roamer = await device(a, identity, { clientId: 'roamer' });
    await eventuallyPasses('A to B', async () => {
      await roamer.publishAsync('roam/a', 'from A', { qos: 1 });
      assert.ok(received.length > 0);
    });
    const exited = new Promise((resolve) => a.process.once('exit', resolve));
    a.process.kill('SIGKILL');
    await exited;
    aKilled = true;
    await eventually('the connection to A closed', () => !roamer.connected);
    const again = await device(b, identity, { clientId: 'roamer' });
    await again.publishAsync('roam/b', 'from B', { qos: 1 });
    await eventually('its message after the move', () => received.some((m) => m.payload === 'from B'));
    assert.deepEqual((await clusterHealth(b)).cluster, { status: 'ok' });
  });
});
