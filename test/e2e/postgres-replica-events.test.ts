import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateKeysAndCertificateCommand,
  CreateThingCommand,
  type IoTClient,
  UpdateEventConfigurationsCommand,
} from '@aws-sdk/client-iot';
import type { MqttClient } from 'mqtt';
import { allowAll } from '../helpers/device-policies.js';
import { eventually } from '../helpers/eventually.js';
import { createAccount, iotClientFor, type RunningServer, startServer } from '../helpers/fleetca-server.js';
import { type DeviceIdentity, deviceOptions, subscribeCodes, tryConnect } from '../helpers/mqtt-devices.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';
import { freshSchema, type PgTestSchema } from '../registry/postgres/postgres-fixtures.js';

/**
 * Events on two replicas of one PostgreSQL registry: a presence event seen by one replica reaches subscribers on
 * both, once each; a registry event made through one is published by each replica once.
 */
describe('events across fleetca serve replicas on one PostgreSQL', () => {
  let schema: PgTestSchema;
  let a: RunningServer;
  let b: RunningServer;
  let iotA: IoTClient;
  let chain: string;
  const clients: MqttClient[] = [];

  before(async () => {
    schema = await freshSchema();
    const env = cliEnv(await tempHome('fleetca-replica-events-'), { FLEETCA_STORE: schema.url });
    const credentials = await createAccount(env, '111122223333');
    [a, b] = await Promise.all([startServer(env), startServer(env)]);
    iotA = iotClientFor(a, credentials);
    chain = (await runCli(['ca', 'export'], env)).stdout;
  });

  after(async () => {
    for (const client of clients) client.end(true);
    iotA?.destroy();
    await Promise.all([a?.stop(), b?.stop()]);
    await schema?.cleanup();
  });

  async function device(): Promise<DeviceIdentity> {
    const created = await iotA.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    await allowAll(iotA, created.certificateArn as string);
    return { certificatePem: created.certificatePem as string, privateKey: created.keyPair?.PrivateKey as string };
  }

  async function connect(server: RunningServer, identity: DeviceIdentity, clientId: string): Promise<MqttClient> {
    const outcome = await tryConnect(deviceOptions(server.mqttPort as number, chain, identity, { clientId }));
    assert.ok(outcome.client, `${clientId} connected`);
    clients.push(outcome.client);
    return outcome.client;
  }

  /** Every topic a watcher receives, as they come. */
  async function watcher(server: RunningServer, clientId: string, filters: string[]): Promise<string[]> {
    const client = await connect(server, await device(), clientId);
    assert.deepEqual(
      await subscribeCodes(client, filters),
      filters.map(() => 0),
    );
    const topics: string[] = [];
    client.on('message', (topic) => topics.push(topic));
    return topics;
  }

  test('a device connecting to replica A: the connected event reaches a subscriber on B, once', async () => {
    const onA = await watcher(a, 'watcher-a', ['$aws/events/presence/+/roaming']);
    const onB = await watcher(b, 'watcher-b', ['$aws/events/presence/+/roaming']);
    const roaming = await connect(a, await device(), 'roaming');
    const connected = '$aws/events/presence/connected/roaming';
    await eventually('the connected event on both replicas', () => onB.length >= 1 && onA.length >= 1);
    assert.deepEqual(onB, [connected]);
    assert.deepEqual(onA, [connected]);
    roaming.end();
    const disconnected = '$aws/events/presence/disconnected/roaming';
    await eventually('the disconnected event on both replicas, once', () => onB.length >= 2 && onA.length >= 2);
    assert.deepEqual(onB, [connected, disconnected]);
    assert.deepEqual(onA, [connected, disconnected]);
  });

  test('a thing created through replica A: its created event from each replica once', async () => {
    const filters = ['$aws/events/thing/+/created'];
    const onA = await watcher(a, 'thing-watcher-a', filters);
    const onB = await watcher(b, 'thing-watcher-b', filters);
    await iotA.send(new UpdateEventConfigurationsCommand({ eventConfigurations: { THING: { Enabled: true } } }));
    await iotA.send(new CreateThingCommand({ thingName: 'replicated' }));
    const created = '$aws/events/thing/replicated/created';
    await eventually('the created event on both replicas', () => onB.length >= 1 && onA.length >= 1);
    assert.deepEqual(onB, [created]);
    assert.deepEqual(onA, [created]);
    // A second thing proves nothing else was on its way for the first.
    await iotA.send(new CreateThingCommand({ thingName: 'replicated-2' }));
    const second = '$aws/events/thing/replicated-2/created';
    await eventually('the second event on both replicas', () => onB.length >= 2 && onA.length >= 2);
    assert.deepEqual(onB, [created, second]);
    assert.deepEqual(onA, [created, second]);
  });
});
