import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AttachPolicyCommand,
  CreateKeysAndCertificateCommand,
  CreatePolicyCommand,
  type IoTClient,
} from '@aws-sdk/client-iot';
import type { IPublishPacket, MqttClient } from 'mqtt';
import { allowAll } from '../helpers/device-policies.js';
import { settled } from '../helpers/eventually.js';
import {
  type AccountCredentials,
  awsCliAgainst,
  awsClientEnv,
  createAccount,
  iotClientFor,
  type RunningServer,
  startServer,
} from '../helpers/fleetca-server.js';
import { type DeviceIdentity, deviceOptions, subscribeCodes, tryConnect } from '../helpers/mqtt-devices.js';
import { receivedUntil } from '../helpers/mqtt-order.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';

const ACCOUNT = '123456789012';
const ARN = `arn:aws:iot:us-east-1:${ACCOUNT}`;

/** A watcher of every event, with its own marker topics. */
const WATCHER = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 'iot:Connect', Resource: '*' },
    {
      Effect: 'Allow',
      Action: 'iot:Subscribe',
      Resource: [`${ARN}:topicfilter/$aws/events/*`, `${ARN}:topicfilter/marker/*`],
    },
    { Effect: 'Allow', Action: 'iot:Receive', Resource: [`${ARN}:topic/$aws/events/*`, `${ARN}:topic/marker/*`] },
    { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/marker/*` },
  ],
});

/** May subscribe to the presence events but not receive them. */
const DEAF = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 'iot:Connect', Resource: '*' },
    {
      Effect: 'Allow',
      Action: 'iot:Subscribe',
      Resource: [`${ARN}:topicfilter/$aws/events/*`, `${ARN}:topicfilter/marker/*`],
    },
    { Effect: 'Allow', Action: ['iot:Receive', 'iot:Publish'], Resource: `${ARN}:topic/marker/*` },
  ],
});

let server: RunningServer;
let iot: IoTClient;
let chain: string;
let credentials: AccountCredentials;
let home: string;
const open: MqttClient[] = [];

before(async () => {
  home = await tempHome('fleetca-events-');
  const env = cliEnv(home);
  server = await startServer(env);
  credentials = await createAccount(env, ACCOUNT);
  iot = iotClientFor(server, credentials);
  chain = (await runCli(['ca', 'export'], env)).stdout;
});

after(async () => {
  for (const client of open) client.end(true);
  iot.destroy();
  assert.equal(await server.stop(), 0);
});

let policies = 0;
async function device(policyDocument?: string): Promise<DeviceIdentity & { readonly id: string }> {
  const created = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
  const arn = created.certificateArn as string;
  if (policyDocument === undefined) await allowAll(iot, arn);
  else {
    const policyName = `events-${++policies}`;
    await iot.send(new CreatePolicyCommand({ policyName, policyDocument }));
    await iot.send(new AttachPolicyCommand({ policyName, target: arn }));
  }
  return {
    id: created.certificateId as string,
    certificatePem: created.certificatePem as string,
    privateKey: created.keyPair?.PrivateKey as string,
  };
}

async function connect(identity: DeviceIdentity, clientId: string, protocolVersion: 4 | 5 = 4): Promise<MqttClient> {
  const outcome = await tryConnect(
    deviceOptions(server.mqttPort as number, chain, identity, { clientId, protocolVersion }),
  );
  assert.ok(outcome.client, `${clientId} connected`);
  open.push(outcome.client);
  return outcome.client;
}

async function subscribed(client: MqttClient, filters: string[]): Promise<void> {
  assert.deepEqual(
    await subscribeCodes(client, filters),
    filters.map(() => 0),
  );
}

/** The next message on a topic matching `topic` (exact). */
function nextOn(client: MqttClient, topic: string): Promise<IPublishPacket> {
  return settled(
    `a message on ${topic}`,
    new Promise<IPublishPacket>((resolve) => {
      const onMessage = (received: string, _payload: Buffer, packet: IPublishPacket) => {
        if (received !== topic) return;
        client.off('message', onMessage);
        resolve(packet);
      };
      client.on('message', onMessage);
    }),
  );
}

function json(packet: IPublishPacket): Record<string, unknown> {
  return JSON.parse(packet.payload.toString()) as Record<string, unknown>;
}

describe('presence events', () => {
  let watcher: MqttClient;

  before(async () => {
    watcher = await connect(await device(WATCHER), 'watcher');
    await subscribed(watcher, ['$aws/events/presence/+/+', 'marker/watcher']);
  });

  test('a device connecting and disconnecting: both events, AWS payloads, one session', async () => {
    const identity = await device();
    const connected = nextOn(watcher, '$aws/events/presence/connected/sensor-1');
    const client = await connect(identity, 'sensor-1');
    const first = await connected;
    assert.equal(first.qos, 0);
    const c = json(first);
    assert.deepEqual(Object.keys(c), [
      'clientId',
      'timestamp',
      'eventType',
      'sessionIdentifier',
      'principalIdentifier',
      'ipAddress',
      'versionNumber',
    ]);
    assert.equal(c.clientId, 'sensor-1');
    assert.equal(c.eventType, 'connected');
    assert.equal(c.principalIdentifier, identity.id);
    assert.equal(c.ipAddress, '127.0.0.1');
    assert.equal(c.versionNumber, 0);
    assert.match(String(c.sessionIdentifier), /^[0-9a-f-]{36}$/);
    assert.ok(Math.abs(Number(c.timestamp) - Date.now()) < 60_000, 'timestamp in epoch milliseconds');

    const disconnected = nextOn(watcher, '$aws/events/presence/disconnected/sensor-1');
    client.end();
    const d = json(await disconnected);
    assert.deepEqual(d, {
      clientId: 'sensor-1',
      timestamp: d.timestamp,
      eventType: 'disconnected',
      sessionIdentifier: c.sessionIdentifier,
      principalIdentifier: identity.id,
      clientInitiatedDisconnect: true,
      disconnectReason: 'CLIENT_INITIATED_DISCONNECT',
      versionNumber: 0,
    });

    // The next connection of the client id: a new session, the next version.
    const again = nextOn(watcher, '$aws/events/presence/connected/sensor-1');
    const second = await connect(identity, 'sensor-1', 5);
    const c2 = json(await again);
    assert.equal(c2.versionNumber, 1);
    assert.notEqual(c2.sessionIdentifier, c.sessionIdentifier);

    // Taken over by a third connection of the same client id.
    const takenOver = nextOn(watcher, '$aws/events/presence/disconnected/sensor-1');
    await connect(identity, 'sensor-1');
    const d2 = json(await takenOver);
    assert.equal(d2.disconnectReason, 'DUPLICATE_CLIENTID');
    assert.equal(d2.clientInitiatedDisconnect, false);
    assert.equal(d2.sessionIdentifier, c2.sessionIdentifier);
    second.end(true);
  });

  test('a connection lost without DISCONNECT: CONNECTION_LOST', async () => {
    const identity = await device();
    const client = await connect(identity, 'sensor-lost');
    const disconnected = nextOn(watcher, '$aws/events/presence/disconnected/sensor-lost');
    client.stream.destroy();
    const d = json(await disconnected);
    assert.equal(d.disconnectReason, 'CONNECTION_LOST');
    assert.equal(d.clientInitiatedDisconnect, false);
  });

  test('client ids with + or # have no events', async () => {
    const identity = await device();
    const untilMarker = receivedUntil(watcher, 'marker/watcher');
    const client = await connect(identity, 'odd+id');
    client.end(true);
    const plain = await connect(identity, 'plain-after-odd');
    plain.end(true);
    await new Promise((done) => setTimeout(done, 200));
    watcher.publish('marker/watcher', 'm');
    const topics = (await untilMarker).map((p) => p.topic);
    assert.ok(topics.includes('$aws/events/presence/connected/plain-after-odd'), topics.join());
    assert.ok(!topics.some((topic) => topic.includes('odd+id')), topics.join());
  });

  test('a subscriber whose policies do not allow iot:Receive on the events gets none', async () => {
    const deaf = await connect(await device(DEAF), 'deaf');
    await subscribed(deaf, ['$aws/events/presence/+/+', 'marker/deaf']);
    const heard = receivedUntil(deaf, 'marker/deaf');
    const seen = nextOn(watcher, '$aws/events/presence/connected/seen-by-watcher');
    const client = await connect(await device(), 'seen-by-watcher');
    await seen;
    client.end(true);
    deaf.publish('marker/deaf', 'm');
    assert.deepEqual(await heard, []);
  });

  test('no device may publish on $aws/events/', async () => {
    const client = await connect(await device(), 'forger', 5);
    const code = await new Promise<number>((resolve) =>
      client.publish('$aws/events/presence/connected/someone', '{}', { qos: 1 }, (err) =>
        resolve((err as (Error & { code?: number }) | undefined)?.code ?? 0),
      ),
    );
    assert.equal(code, 0x87);
  });
});

describe('thing registry events, through UpdateEventConfigurations with the aws CLI', () => {
  const cli = awsCliAgainst(() => ({ url: server.url, env: awsClientEnv(home, credentials) }));
  let watcher: MqttClient;

  before(async () => {
    watcher = await connect(await device(WATCHER), 'thing-watcher');
    await subscribed(watcher, ['$aws/events/thing/#']);
  });

  test('off by default: nothing for a thing made while THING is disabled; then created and deleted', async () => {
    const described = await cli.ok('describe-event-configurations');
    assert.deepEqual(described.eventConfigurations.THING, { Enabled: false });
    assert.equal(Object.keys(described.eventConfigurations).length, 11);

    const heard: string[] = [];
    watcher.on('message', (topic) => heard.push(topic));
    await cli.ok('create-thing', '--thing-name', 'quiet');
    await cli.ok('update-event-configurations', '--event-configurations', '{"THING":{"Enabled":true}}');
    const after = await cli.ok('describe-event-configurations');
    assert.deepEqual(after.eventConfigurations.THING, { Enabled: true });
    assert.deepEqual(after.eventConfigurations.CA_CERTIFICATE, { Enabled: false });
    assert.equal(typeof after.creationDate, 'number');

    const created = nextOn(watcher, '$aws/events/thing/loud/created');
    const made = await cli.ok(
      'create-thing',
      '--thing-name',
      'loud',
      '--attribute-payload',
      '{"attributes":{"room":"7"}}',
    );
    const event = json(await created);
    assert.deepEqual(event, {
      eventType: 'THING_EVENT',
      eventId: event.eventId,
      timestamp: event.timestamp,
      operation: 'CREATED',
      accountId: ACCOUNT,
      thingId: made.thingId,
      thingName: 'loud',
      versionNumber: 1,
      thingTypeName: null,
      attributes: { room: '7' },
    });
    assert.match(String(event.eventId), /^[0-9a-f-]{36}$/);

    const deleted = nextOn(watcher, '$aws/events/thing/loud/deleted');
    await cli.ok('delete-thing', '--thing-name', 'loud');
    const gone = json(await deleted);
    assert.equal(gone.operation, 'DELETED');
    assert.equal(gone.thingId, made.thingId);
    assert.deepEqual(gone.attributes, { room: '7' });
    assert.ok(!heard.includes('$aws/events/thing/quiet/created'), heard.join());

    await cli.ok('update-event-configurations', '--event-configurations', '{"THING":{"Enabled":false}}');
    const marker = nextOn(watcher, '$aws/events/thing/loud-again/deleted');
    await cli.ok('create-thing', '--thing-name', 'silent');
    await cli.ok('update-event-configurations', '--event-configurations', '{"THING":{"Enabled":true}}');
    await cli.ok('create-thing', '--thing-name', 'loud-again');
    await cli.ok('delete-thing', '--thing-name', 'loud-again');
    await marker;
    assert.ok(!heard.some((topic) => topic.includes('/silent/')), heard.join());
  });

  test('an unknown event type: InvalidRequestException naming the enum', async () => {
    const result = await cli.aws(
      'update-event-configurations',
      '--event-configurations',
      '{"THINGS":{"Enabled":true}}',
    );
    assert.equal(result.code, 255, result.stderr); // the AWS CLI v1 exits 255 on a service error
    assert.match(result.stderr, /InvalidRequestException/);
    assert.match(result.stderr, /Member must satisfy enum value set: \[THING, THING_GROUP/);
  });
});
