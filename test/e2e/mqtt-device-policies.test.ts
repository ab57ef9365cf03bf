import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CreateKeysAndCertificateCommand,
  CreatePolicyCommand,
  CreateThingCommand,
  DetachPolicyCommand,
  type IoTClient,
} from '@aws-sdk/client-iot';
import type { MqttClient } from 'mqtt';
import { settled } from '../helpers/eventually.js';
import { createAccount, iotClientFor, type RunningServer, startServer } from '../helpers/fleetca-server.js';
import { closedAt, type DeviceIdentity, deviceOptions, subscribeCodes, tryConnect } from '../helpers/mqtt-devices.js';
import { cliEnv, runCli, runTool, tempHome } from '../helpers/run-cli.js';
import { scrapeMetrics } from '../helpers/scrape-metrics.js';

const ACCOUNT = '123456789012';
const ARN = `arn:aws:iot:us-east-1:${ACCOUNT}`;

/** The developer guide's thing-scoped policy: each device only on things/<its thing name>/... */
const CONFINED = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/\${iot:Connection.Thing.ThingName}` },
    {
      Effect: 'Allow',
      Action: ['iot:Publish', 'iot:Receive'],
      Resource: `${ARN}:topic/things/\${iot:Connection.Thing.ThingName}/*`,
    },
    {
      Effect: 'Allow',
      Action: 'iot:Subscribe',
      Resource: `${ARN}:topicfilter/things/\${iot:Connection.Thing.ThingName}/*`,
    },
  ],
});

let home: string;
let server: RunningServer;
let iot: IoTClient;
let chain: string;
let port: number;
let policies = 0;

before(async () => {
  home = await tempHome('fleetca-policies-');
  const env = cliEnv(home);
  server = await startServer(env);
  port = server.mqttPort as number;
  iot = iotClientFor(server, await createAccount(env, ACCOUNT));
  chain = (await runCli(['ca', 'export'], env)).stdout;
  await writeFile(join(home, 'chain.pem'), chain);
});

after(async () => {
  iot.destroy();
  assert.equal(await server.stop(), 0);
});

interface Device extends DeviceIdentity {
  readonly id: string;
  readonly arn: string;
}

async function device(policyDocument?: string, thingName?: string): Promise<Device> {
  const created = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
  const made: Device = {
    id: created.certificateId as string,
    arn: created.certificateArn as string,
    certificatePem: created.certificatePem as string,
    privateKey: created.keyPair?.PrivateKey as string,
  };
  if (policyDocument !== undefined) {
    const policyName = `policy-${++policies}`;
    await iot.send(new CreatePolicyCommand({ policyName, policyDocument }));
    await iot.send(new AttachPolicyCommand({ policyName, target: made.arn }));
  }
  if (thingName !== undefined) {
    await iot.send(new CreateThingCommand({ thingName }));
    await iot.send(new AttachThingPrincipalCommand({ thingName, principal: made.arn }));
  }
  return made;
}

async function connected(identity: Device, clientId: string, protocolVersion: 4 | 5): Promise<MqttClient> {
  const outcome = await tryConnect(deviceOptions(port, chain, identity, { clientId, protocolVersion }));
  assert.ok(outcome.client, `${clientId} connected`);
  return outcome.client;
}

/** The reason code of the PUBACK answering one QoS 1 publish (MQTT 5), or 'closed' when the server closed instead. */
function publishOutcome(client: MqttClient, topic: string, retain = false): Promise<number | 'closed'> {
  return new Promise((resolve) => {
    client.once('close', () => resolve('closed'));
    client.publish(topic, 'x', { qos: 1, retain }, (err) => {
      const code = (err as (Error & { code?: number }) | undefined)?.code;
      resolve(err ? (code ?? 'closed') : 0);
    });
  });
}

/** Every message the client receives during `ms`. */
async function receivedDuring(client: MqttClient, ms: number, act: () => Promise<void>): Promise<string[]> {
  const topics: string[] = [];
  const onMessage = (topic: string) => topics.push(topic);
  client.on('message', onMessage);
  await act();
  await new Promise((done) => setTimeout(done, ms));
  client.off('message', onMessage);
  return topics.sort();
}

for (const protocolVersion of [4, 5] as const) {
  describe(`MQTT.js ${protocolVersion === 4 ? '3.1.1' : '5'}: devices confined to their thing's topics`, () => {
    let a: Device;
    const thingA = `dev-a-v${protocolVersion}`;
    const thingB = `dev-b-v${protocolVersion}`;
    before(async () => {
      a = await device(CONFINED, thingA);
      await device(CONFINED, thingB);
    });

    test('connects only as its own thing', async () => {
      const client = await connected(a, thingA, protocolVersion);
      await client.endAsync();
      const asOther = await tryConnect(deviceOptions(port, chain, a, { clientId: thingB, protocolVersion }));
      assert.equal(asOther.client, undefined);
      assert.equal(asOther.closedWithoutConnack, true);
    });

    test("subscribes to its own topics and is refused another thing's (SUBACK failure)", async () => {
      const client = await connected(a, thingA, protocolVersion);
      try {
        const codes = await subscribeCodes(client, [`things/${thingA}/cmd`, `things/${thingB}/cmd`, 'things/#']);
        const refused = protocolVersion === 5 ? 0x87 : 0x80;
        assert.deepEqual(codes, [0, refused, refused]);
      } finally {
        await client.endAsync();
      }
    });

    test("publishes on its own topics; publishing on another thing's is refused as AWS does", async () => {
      const client = await connected(a, thingA, protocolVersion);
      try {
        assert.equal(await publishOutcome(client, `things/${thingA}/telemetry`), 0);
        const refused = await publishOutcome(client, `things/${thingB}/telemetry`);
        // MQTT 3.1.1 cannot say why: the connection is closed. MQTT 5: PUBACK 0x87 Not authorized, still connected.
        assert.equal(refused, protocolVersion === 5 ? 0x87 : 'closed');
      } finally {
        client.end(true);
      }
    });
  });
}

describe('iot:Receive, explicit deny, retained messages', () => {
  test('a subscription to # receives only what iot:Receive allows', async () => {
    const monitorPolicy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['iot:Connect', 'iot:Subscribe'], Resource: '*' },
        { Effect: 'Allow', Action: 'iot:Receive', Resource: `${ARN}:topic/public/*` },
      ],
    });
    const monitor = await connected(await device(monitorPolicy), 'monitor', 5);
    const publisher = await connected(await device(allowAll()), 'publisher', 5);
    try {
      assert.deepEqual(await subscribeCodes(monitor, ['#']), [0]);
      const topics = await receivedDuring(monitor, 500, async () => {
        for (const topic of ['public/a', 'secret/a', 'public/b', 'private']) {
          assert.equal(await publishOutcome(publisher, topic), 0);
        }
      });
      assert.deepEqual(topics, ['public/a', 'public/b']);
    } finally {
      await Promise.all([monitor.endAsync(), publisher.endAsync()]);
    }
  });

  test('an explicit Deny beats an Allow', async () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'iot:*', Resource: '*' },
        { Effect: 'Deny', Action: 'iot:Publish', Resource: `${ARN}:topic/forbidden/*` },
      ],
    });
    const client = await connected(await device(policy), 'denied-publisher', 5);
    try {
      assert.equal(await publishOutcome(client, 'allowed/x'), 0);
      assert.equal(await publishOutcome(client, 'forbidden/x'), 0x87);
    } finally {
      await client.endAsync();
    }
  });

  test('a retained publish needs iot:RetainPublish too', async () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['iot:Connect', 'iot:Publish'], Resource: '*' }],
    });
    const client = await connected(await device(policy), 'no-retain', 5);
    try {
      assert.equal(await publishOutcome(client, 'state/x'), 0);
      assert.equal(await publishOutcome(client, 'state/x', true), 0x87);
    } finally {
      await client.endAsync();
    }
  });
});

describe('changes reach connected devices', () => {
  test('no policy: the connection is refused', async () => {
    const outcome = await tryConnect(deviceOptions(port, chain, await device(), { clientId: 'unpoliced' }));
    assert.equal(outcome.client, undefined);
    assert.equal(outcome.closedWithoutConnack, true);
  });

  test('detaching the policy from a connected device takes effect within one second', async () => {
    const policyName = `detached-${++policies}`;
    const target = await device();
    await iot.send(new CreatePolicyCommand({ policyName, policyDocument: allowAll() }));
    await iot.send(new AttachPolicyCommand({ policyName, target: target.arn }));
    const client = await connected(target, 'detach-me', 5);
    const closed = closedAt(client);
    const disconnect = new Promise<number | undefined>((resolve) =>
      client.once('disconnect', (packet) => resolve(packet.reasonCode)),
    );
    await iot.send(new DetachPolicyCommand({ policyName, target: target.arn }));
    const detachedAt = Date.now();
    const elapsed = (await settled('the session ends', closed)) - detachedAt;
    assert.ok(elapsed < 1000, `ended ${elapsed} ms after the detach`);
    assert.equal(await disconnect, 0x87);
    client.end(true);
  });
});

describe('mosquitto clients', () => {
  test("mosquitto_sub gets its own thing's messages and is refused another's; mosquitto_pub is cut off", async () => {
    const thing = 'mosq-a';
    const identity = await device(CONFINED, thing);
    await device(CONFINED, 'mosq-b');
    const cert = join(home, 'mosq-a.crt');
    const key = join(home, 'mosq-a.key');
    await writeFile(cert, identity.certificatePem);
    await writeFile(key, identity.privateKey, { mode: 0o600 });
    const tls = [
      '-h',
      'localhost',
      '-p',
      String(port),
      '--cafile',
      join(home, 'chain.pem'),
      '--cert',
      cert,
      '--key',
      key,
    ];
    const refused = await runTool('mosquitto_sub', [
      ...tls,
      '-i',
      thing,
      '-t',
      'things/mosq-b/#',
      '-C',
      '1',
      '-W',
      '5',
    ]);
    // mosquitto_sub reads the SUBACK's failure code and gives up (mosquitto 2.0 exits 0 after saying so).
    assert.match(refused.stderr, /All subscription requests were denied/);
    assert.equal(refused.stdout, '');
    const own = runTool('mosquitto_sub', [...tls, '-i', thing, '-t', `things/${thing}/cmd`, '-C', '1', '-W', '10']);
    await new Promise((done) => setTimeout(done, 700));
    const sender = await connected(await device(allowAll()), 'mosq-sender', 4);
    await sender.publishAsync(`things/${thing}/cmd`, 'hello', { qos: 1 });
    await sender.endAsync();
    const received = await own;
    assert.equal(received.code, 0, received.stderr);
    assert.equal(received.stdout.trim(), 'hello');
    const pub = await runTool('mosquitto_pub', [...tls, '-i', thing, '-t', 'things/mosq-b/cmd', '-m', 'x', '-q', '1']);
    assert.notEqual(pub.code, 0, 'the refused QoS 1 publish fails');
  });
});

function allowAll(): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }] });
}

describe('what operators see', () => {
  test('refusals are counted by action, and refused connections by reason', async () => {
    const metric = await scrapeMetrics(server.url);
    for (const action of ['publish', 'retain', 'subscribe', 'receive', 'connect']) {
      assert.ok(metric('fleetca_mqtt_authorization_denied_total', { action }) >= 1, action);
    }
    assert.ok(metric('fleetca_mqtt_connections_refused_total', { reason: 'not_authorized' }) >= 2);
    assert.match(server.logs(), /"filter":"things\/dev-b-v4\/cmd","msg":"subscribe refused"/);
  });
});
