import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateKeysAndCertificateCommand, DescribeCertificateCommand, type IoTClient } from '@aws-sdk/client-iot';
import { allowAll } from '../../helpers/device-policies.js';
import { eventually, settled } from '../../helpers/eventually.js';
import { createAccount, iotClientFor, type RunningServer, startServer } from '../../helpers/fleetca-server.js';
import { type DeviceIdentity, deviceOptions, nextMessage, tryConnect } from '../../helpers/mqtt-devices.js';
import { cliEnv, runCli, tempHome } from '../../helpers/run-cli.js';
import { scrapeMetrics } from '../../helpers/scrape-metrics.js';
import { type IdleClient, idleClient } from './connection-guard-support.js';

/** The real `fleetca serve`, its device door and REST door guarded with the options a user would give. */
interface Served {
  readonly server: RunningServer;
  readonly iot: IoTClient;
  readonly chain: string;
  readonly device: DeviceIdentity & { readonly id: string };
}

async function serve(args: readonly string[]): Promise<Served> {
  const env = cliEnv(await tempHome('fleetca-guard-'));
  const server = await startServer(env, args);
  const iot = iotClientFor(server, await createAccount(env, '123456789012'));
  const created = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
  await allowAll(iot, created.certificateArn as string);
  const chain = (await runCli(['ca', 'export'], env)).stdout;
  return {
    server,
    iot,
    chain,
    device: {
      id: created.certificateId as string,
      certificatePem: created.certificatePem as string,
      privateKey: created.keyPair?.PrivateKey as string,
    },
  };
}

async function stop(served: Served | undefined): Promise<void> {
  if (!served) return;
  served.iot.destroy();
  assert.equal(await served.server.stop(), 0);
}

async function guardClosed(served: Served, door: string, reason: string): Promise<number> {
  return (await scrapeMetrics(served.server.url))('fleetca_connection_guard_closed_total', { door, reason });
}

describe('fleetca serve: deadlines on both doors', () => {
  let served: Served | undefined;
  before(async () => {
    served = await serve(['--handshake-timeout-ms', '300', '--first-request-timeout-ms', '500']);
  });
  after(() => stop(served));

  test('device door: a TCP connection that never starts TLS is destroyed at the handshake deadline', async () => {
    const s = served as Served;
    const idle = idleClient(s.server.mqttPort as number);
    await settled('closed by the server', idle.closed);
    await eventually('counted', async () => (await guardClosed(s, 'mqtt', 'handshake_timeout')) >= 1);
    assert.match(s.server.logs(), /"level":"warn".*"mqtt:handshake_timeout":1/);
  });

  test('device door: an ACTIVE certificate that completes TLS but sends no CONNECT is destroyed at the CONNECT deadline', async () => {
    const s = served as Served;
    const idle = idleClient(s.server.mqttPort as number, {
      tls: { cert: s.device.certificatePem, key: s.device.privateKey },
    });
    await idle.ready;
    await settled('closed by the server', idle.closed);
    await eventually('counted', async () => (await guardClosed(s, 'mqtt', 'first_request_timeout')) >= 1);
  });

  test('REST door: a connection that sends nothing is destroyed at the first-request deadline', async () => {
    const s = served as Served;
    const idle = idleClient(Number(new URL(s.server.url).port));
    await settled('closed by the server', idle.closed);
    await eventually('counted', async () => (await guardClosed(s, 'rest', 'first_request_timeout')) >= 1);
  });
});

describe('fleetca serve: a full pending pool', () => {
  let served: Served | undefined;
  const flood: IdleClient[] = [];
  before(async () => {
    // Deadlines far away: only the pool's limit can close the flood's connections here.
    served = await serve(['--max-pending-connections', '10', '--max-pending-per-address', '10']);
  });
  after(async () => {
    for (const c of flood) c.socket.destroy();
    await stop(served);
  });

  test('an ACTIVE device and an API caller get in while idle connections fill the pool, and stay in', async () => {
    const s = served as Served;
    const mqttPort = s.server.mqttPort as number;
    for (let i = 0; i < 10; i++) flood.push(idleClient(mqttPort, { localAddress: `127.0.0.${2 + (i % 5)}` }));
    await Promise.all(flood.map((c) => c.ready));
    // Every flood connection accepted: pending, or already pushed out by the metrics scrape's own connection
    // (pending until its request arrives, it too takes a place in the shared pool).
    await eventually('the pool full', async () => {
      const metric = await scrapeMetrics(s.server.url);
      const evicted = metric('fleetca_connection_guard_closed_total', { door: 'mqtt', reason: 'pending_evicted' });
      return metric('fleetca_connections_pending', { door: 'mqtt' }) + evicted >= 10;
    });

    const outcome = await tryConnect(deviceOptions(mqttPort, s.chain, s.device));
    assert.ok(outcome.client, 'the device connected');
    const client = outcome.client;
    try {
      // Its TCP connection and the REST call's each pushed out the oldest idle connection.
      const described = await s.iot.send(new DescribeCertificateCommand({ certificateId: s.device.id }));
      assert.equal(described.certificateDescription?.status, 'ACTIVE');
      assert.ok((await guardClosed(s, 'mqtt', 'pending_evicted')) >= 1);
      await settled('the oldest idle connection evicted', flood[0]?.closed as Promise<void>);

      // More idle connections now evict each other, never the admitted device.
      for (let i = 0; i < 20; i++) flood.push(idleClient(mqttPort, { localAddress: `127.0.0.${7 + (i % 5)}` }));
      await Promise.all(flood.slice(10).map((c) => c.ready.catch(() => {})));
      await eventually('evictions counted', async () => (await guardClosed(s, 'mqtt', 'pending_evicted')) >= 20);
      await client.subscribeAsync('fleet/guard', { qos: 1 });
      const received = nextMessage(client, 'fleet/guard');
      await client.publishAsync('fleet/guard', 'still here', { qos: 1 });
      assert.equal((await received).toString(), 'still here');
      assert.equal((await scrapeMetrics(s.server.url))('fleetca_mqtt_connections'), 1);
    } finally {
      await client.endAsync();
    }
  });
});
