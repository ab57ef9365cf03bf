/**
 * Private keys over MQTT reach their requester only. While 100 CreateKeysAndCertificate requests run from 10
 * claim connections at once, an ACTIVE device subscribed to `#` and a claim subscribed to the answer topics
 * receive nothing, and each requester receives exactly its own 10 answers.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CreateKeysAndCertificateCommand, DescribeCertificateCommand, type IoTClient } from '@aws-sdk/client-iot';
import { allowAll } from '../helpers/device-policies.js';
import {
  type ClaimIdentity,
  checkKeysAndCertificate,
  createClaim,
  createFleetTemplate,
  decodeAnswer,
  encodeRequest,
  type PayloadFormat,
  ProvisioningConnection,
  topics,
} from '../helpers/fleet-provisioning.js';
import { createAccount, iotClientFor, type RunningServer, startServer } from '../helpers/fleetca-server.js';
import { deviceOptions, tryConnect } from '../helpers/mqtt-devices.js';
import { receivedUntil, topicsUntil } from '../helpers/mqtt-order.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';

const TEMPLATE = 'FleetTemplate';
const REQUESTERS = 10;
const REQUESTS_EACH = 10;
/**
 * Requests a connection has in flight at once. 10 × 3 stays within what the server takes without throttling
 * even with its key pool empty: 2 keygen threads + a queue of 32 (more would be answered 429 Throttled).
 */
const IN_FLIGHT = 3;
const POOL_SIZE = 64;

let server: RunningServer;
let rest: IoTClient;
let chain: string;
let port: number;
let env: NodeJS.ProcessEnv;
const connections: ProvisioningConnection[] = [];

before(async () => {
  const home = await tempHome('fleetca-mqtt-eavesdrop-');
  env = cliEnv(home);
  server = await startServer(env, ['--key-pool-size', String(POOL_SIZE)]);
  port = server.mqttPort as number;
  rest = iotClientFor(server, await createAccount(env, '123456789012'));
  const exported = await runCli(['ca', 'export'], env);
  assert.equal(exported.code, 0, exported.stderr);
  chain = exported.stdout;
  await createFleetTemplate(rest, TEMPLATE);
});

after(async () => {
  for (const connection of connections) await connection.end();
  rest?.destroy();
  if (server) {
    const code = await server.stop();
    assert.equal(code, 0, `fleetca serve exited with ${code}; its log:\n${server.logs().slice(-4000)}`);
  }
});

async function connect(identity: { certificatePem: string; privateKey: string }, clientId: string) {
  const connection = await ProvisioningConnection.connect(port, chain, identity, clientId);
  connections.push(connection);
  return connection;
}

/** Keys ready in the server's pool (its metrics page). */
async function pooledKeys(): Promise<number> {
  const page = await (await fetch(`${server.url}/_fleetca/metrics`)).text();
  return Number(/^fleetca_keygen_pool_keys (\d+)$/m.exec(page)?.[1] ?? 0);
}

async function waitForPool(atLeast: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let ready = await pooledKeys();
  while (ready < atLeast && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    ready = await pooledKeys();
  }
  return ready;
}

test('100 concurrent provisionings: each requester gets exactly its own answers, eavesdroppers get nothing', async (t) => {
  const claims: ClaimIdentity[] = [];
  for (let i = 0; i <= REQUESTERS; i++) claims.push(await createClaim(rest, TEMPLATE));
  const device = await rest.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
  await allowAll(rest, device.certificateArn as string);

  // An ordinary ACTIVE device: `#` is granted but never reaches `$aws/...`; the answer topics are refused.
  const watcher = await connect(
    { certificatePem: device.certificatePem as string, privateKey: device.keyPair?.PrivateKey as string },
    'eavesdropping-device',
  );
  assert.deepEqual(await watcher.subscribe(['#']), [1]);
  for (const filter of [
    `${topics.create('json')}/accepted`,
    `${topics.create('cbor')}/accepted`,
    '$aws/certificates/create/+/accepted',
    '$aws/#',
    '$aws/certificates/#',
  ]) {
    assert.deepEqual(await watcher.subscribe([filter]), [128], `${filter} refused to a device`);
  }

  // A claim may subscribe to the answer topics, without publishing anything.
  const listener = await connect(claims[REQUESTERS] as ClaimIdentity, 'eavesdropping-claim');
  assert.deepEqual(
    await listener.subscribe([
      `${topics.create('json')}/accepted`,
      `${topics.create('cbor')}/accepted`,
      '$aws/certificates/create/+/accepted',
      `${topics.create('json')}/rejected`,
    ]),
    [1, 1, 1, 1],
  );

  const requesters: { connection: ProvisioningConnection; format: PayloadFormat }[] = [];
  for (let i = 0; i < REQUESTERS; i++) {
    const connection = await connect(claims[i] as ClaimIdentity, `requester-${i}`);
    const format: PayloadFormat = i % 2 === 0 ? 'json' : 'cbor';
    // Subscribed to both formats' answers: a broadcast answer would be seen.
    await connection.subscribeAnswers(topics.create('json'));
    await connection.subscribeAnswers(topics.create('cbor'));
    requesters.push({ connection, format });
  }

  const ready = await waitForPool(POOL_SIZE - 8, 30_000);
  const started = Date.now();
  const answered = await Promise.all(
    requesters.map(async ({ connection, format }) => {
      const bodies: Record<string, unknown>[] = [];
      let sent = 0;
      // IN_FLIGHT requests at a time, each next one sent as soon as an answer comes back.
      const lane = async () => {
        while (sent < REQUESTS_EACH) {
          sent++;
          const answer = await connection.request(topics.create(format), encodeRequest(format, {}));
          assert.equal(answer.topic, `${topics.create(format)}/accepted`, answer.payload.toString('utf8'));
          bodies.push(decodeAnswer(format, answer.payload));
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
      return bodies;
    }),
  );
  const elapsedMs = Date.now() - started;
  // Markers: an answer to a request made now reaches its connection after anything sent to it before, so late or
  // misrouted messages are counted without waiting for them. Each requester's marker is a rejected request; the
  // device's its own publish through `#`; the listening claim's its own request.
  const markers = await Promise.all(requesters.map(({ connection }) => connection.request(topics.create('json'), '{')));
  const probe = watcher.nextAnswer('fleet/probe');
  await watcher.client.publishAsync('fleet/probe', 'ping', { qos: 1 });
  const probed = await probe;
  const own = await listener.request(topics.create('json'), '{}');

  const ids = new Set<string>();
  for (const [i, { connection }] of requesters.entries()) {
    assert.equal(markers[i]?.outcome, 'rejected');
    assert.equal(
      connection.received.length,
      REQUESTS_EACH + 1,
      `requester ${i} received exactly its ${REQUESTS_EACH} answers (and its marker's)`,
    );
    for (const body of answered[i] as Record<string, unknown>[]) ids.add(checkKeysAndCertificate(body).certificateId);
  }
  assert.equal(ids.size, REQUESTERS * REQUESTS_EACH, 'every answer a different certificate');

  // The eavesdroppers' subscriptions were live all along: each got what is its own, and only that.
  assert.equal(probed.payload.toString(), 'ping', 'the device receives its own publish through #');
  assert.deepEqual(watcher.received, [probed], 'the device subscribed to # received nothing else');
  assert.equal(own.topic, `${topics.create('json')}/accepted`);
  checkKeysAndCertificate(decodeAnswer('json', own.payload));
  assert.deepEqual(listener.received, [own], 'the claim subscribed to the answer topics received nothing else');
  const leaked = [...watcher.received, ...listener.received].filter(
    (m) => m !== own && m.payload.includes('PRIVATE KEY'),
  );
  assert.equal(leaked.length, 0);

  for (const id of [...ids].slice(0, 3)) {
    const described = await rest.send(new DescribeCertificateCommand({ certificateId: id }));
    assert.equal(described.certificateDescription?.status, 'PENDING_ACTIVATION');
  }
  t.diagnostic(`100 provisionings over MQTT in ${elapsedMs} ms (key pool had ${ready} keys ready)`);
});

test('nobody may publish on an answer topic: a forged answer disconnects its sender and reaches no one', async () => {
  const victim = await connect(await createClaim(rest, TEMPLATE), 'victim');
  await victim.subscribeAnswers(topics.create('json'));
  const forger = await connect(await createClaim(rest, TEMPLATE), 'forger');
  const closed = forger.closed();
  forger.client.publish(
    `${topics.create('json')}/accepted`,
    JSON.stringify({
      certificateId: 'f'.repeat(64),
      certificatePem: 'forged',
      privateKey: 'forged',
      certificateOwnershipToken: 'x',
    }),
    { qos: 1 },
  );
  await closed;
  // The forged PUBLISH was decided before the forger's connection closed; the victim's own answer comes after.
  const marker = await victim.request(topics.create('json'), '{');
  assert.equal(marker.outcome, 'rejected');
  assert.deepEqual(victim.received, [marker]);
});

/**
 * With a persistent session (clean = false) an answer at QoS 1 waits in the session until PUBACK. Whoever connects
 * next with the same client id must not be handed it: a session goes back only to the certificate that made it.
 */
test('a persistent session taken over by another certificate does not hand it the queued private key', async () => {
  const clientId = 'sensor-takeover';
  const claim = await createClaim(rest, TEMPLATE);
  const victim = await tryConnect(deviceOptions(port, chain, claim, { clientId, clean: false }));
  assert.ok(victim.client);
  const victimClient = victim.client;
  const answered = new Promise<void>((resolve) => {
    // Never acknowledges the answer (MQTT.js sends PUBACK only once handleMessage calls back), then drops.
    victimClient.handleMessage = (_packet, _callback) => {
      victimClient.end(true);
      resolve();
    };
  });
  await victimClient.subscribeAsync(`${topics.create('json')}/accepted`, { qos: 1 });
  victimClient.publish(topics.create('json'), '{}', { qos: 1 });
  await answered;

  const device = await rest.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
  await allowAll(rest, device.certificateArn as string);
  const taker = await tryConnect(
    deviceOptions(
      port,
      chain,
      { certificatePem: device.certificatePem as string, privateKey: device.keyPair?.PrivateKey as string },
      { clientId, clean: false },
    ),
  );
  assert.ok(taker.client, 'an ACTIVE device may connect with any client id');
  // Queued messages would follow CONNACK at once: before the taker's own probe.
  const beforeProbe = receivedUntil(taker.client, 'fleet/takeover-probe');
  await taker.client.subscribeAsync('fleet/takeover-probe', { qos: 1 });
  await taker.client.publishAsync('fleet/takeover-probe', 'probe', { qos: 1 });
  const received = (await beforeProbe).map((packet) => `${packet.topic} ${packet.payload.toString()}`);
  await taker.client.endAsync(true);
  assert.equal(received.filter((m) => m.includes('PRIVATE KEY')).length, 0, 'no private key for another certificate');
  assert.equal(received.length, 0);
});

test('accounts do not share a topic space: a device of another account subscribed to # hears nothing', async () => {
  const otherRest = iotClientFor(server, await createAccount(env, '222233334444'));
  try {
    const mine = await rest.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    const theirs = await otherRest.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    await allowAll(rest, mine.certificateArn as string);
    await allowAll(otherRest, theirs.certificateArn as string);
    const identity = (created: typeof mine) => ({
      certificatePem: created.certificatePem as string,
      privateKey: created.keyPair?.PrivateKey as string,
    });
    const listener = await tryConnect(deviceOptions(port, chain, identity(theirs)));
    const sameAccount = await tryConnect(deviceOptions(port, chain, identity(mine)));
    const publisher = await tryConnect(deviceOptions(port, chain, identity(mine)));
    assert.ok(listener.client && sameAccount.client && publisher.client);
    const heardByOther = topicsUntil(listener.client, 'marker/other-account');
    await listener.client.subscribeAsync('#', { qos: 1 });
    await sameAccount.client.subscribeAsync('#', { qos: 1 });
    const heardBySame = new Promise<string>((resolve) =>
      sameAccount.client?.once('message', (topic) => resolve(topic)),
    );
    await publisher.client.publishAsync('b/secret', 'for my account only', { qos: 1, retain: true });
    assert.equal(await heardBySame, 'b/secret');
    // Published once the PUBACK said b/secret was routed; the listener hears its own marker through `#`.
    await listener.client.publishAsync('marker/other-account', 'end', { qos: 1 });
    assert.deepEqual(await heardByOther, [], 'nothing, not even the retained message');
    await Promise.all([listener.client.endAsync(), sameAccount.client.endAsync(), publisher.client.endAsync()]);
  } finally {
    otherRest.destroy();
  }
});
