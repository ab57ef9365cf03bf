/**
 * The AWS IoT Device SDK v2 for JavaScript (aws-iot-device-sdk-v2 1.28, aws-crt underneath) runs the whole
 * fleet-provisioning flow against the real `fleetca serve`: a template and a claim over REST, then the claim
 * certificate over MQTT with the SDK's iotidentity client (CreateKeysAndCertificate, CreateCertificateFromCsr,
 * RegisterThing), then the new certificate connects and uses an ordinary topic. That runs on the SDK's MQTT 3.1.1
 * connection and on its MQTT 5 client (IotIdentityClient.newFromMqtt5Client), where an INACTIVE certificate must
 * also fail to connect.
 *
 * The SDK's iotidentity client speaks JSON only (its topics end in /json, its payloads are JSON.stringify'd), so
 * the CBOR flow drives the SDK's 3.1.1 connection by hand: subscribe/publish on the /cbor topics, requests
 * encoded and answers decoded (and checked to be plain CBOR) with test/helpers/fleet-provisioning.ts. The CBOR
 * edge cases are covered with MQTT.js in test/e2e/mqtt-fleet-provisioning.test.ts.
 */
import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  CreateKeysAndCertificateCommand,
  DescribeCertificateCommand,
  DescribeThingCommand,
  type IoTClient,
  ListThingPrincipalsCommand,
} from '@aws-sdk/client-iot';
import { iot, iotidentity, mqtt, mqtt5 } from 'aws-iot-device-sdk-v2';
import { settled } from '../helpers/eventually.js';
import {
  type ClaimIdentity,
  checkKeysAndCertificate,
  createClaim,
  createFleetTemplate,
  decodeAnswer,
  encodeRequest,
  fleetTemplateBody,
  topics,
} from '../helpers/fleet-provisioning.js';
import { createAccount, iotClientFor, type RunningServer, startServer } from '../helpers/fleetca-server.js';
import type { DeviceIdentity } from '../helpers/mqtt-devices.js';
import { cliEnv, makeEcCsr, runCli, runTool, tempHome } from '../helpers/run-cli.js';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const TEMPLATE = 'SdkFleetTemplate';
const DEVICE_CONFIGURATION = { Fallback: 'false', FallbackUrl: 'https://www.example.com/firmware/' };
const QOS1 = mqtt.QoS.AtLeastOnce;

let home: string;
let server: RunningServer;
let rest: IoTClient;
let chain: string;
let port: number;
const open = new Set<mqtt.MqttClientConnection>();
const open5 = new Set<mqtt5.Mqtt5Client>();

before(async () => {
  home = await tempHome('fleetca-device-sdk-');
  const env = cliEnv(home);
  server = await startServer(env, ['--key-pool-size', '8']);
  port = server.mqttPort as number;
  rest = iotClientFor(server, await createAccount(env, ACCOUNT), REGION);
  const exported = await runCli(['ca', 'export'], env);
  assert.equal(exported.code, 0, exported.stderr);
  chain = exported.stdout;
  await createFleetTemplate(rest, TEMPLATE, fleetTemplateBody(DEVICE_CONFIGURATION));
});

after(async () => {
  for (const connection of open) await connection.disconnect().catch(() => {});
  for (const client of open5) await stop5(client).catch(() => {});
  releaseClosedMqtt5Clients();
  rest?.destroy();
  if (server) {
    const code = await server.stop();
    assert.equal(code, 0, `fleetca serve exited with ${code}; its log:\n${server.logs().slice(-4000)}`);
  }
});

/** An aws-crt MQTT 3.1.1 connection with mutual TLS, as the SDK's samples build it. */
async function connect(identity: DeviceIdentity, clientId: string): Promise<mqtt.MqttClientConnection> {
  const config = iot.AwsIotMqttConnectionConfigBuilder.new_mtls_builder(identity.certificatePem, identity.privateKey)
    .with_certificate_authority(chain)
    .with_endpoint('localhost')
    .with_port(port)
    .with_client_id(clientId)
    .with_clean_session(true)
    .with_keep_alive_seconds(30)
    .build();
  const connection = new mqtt.MqttClient().new_connection(config);
  // aws-crt reconnects on its own after an unexpected close; a test wants to see the first failure.
  connection.on('error', () => {});
  open.add(connection);
  await connection.connect();
  return connection;
}

async function disconnect(connection: mqtt.MqttClientConnection): Promise<void> {
  await connection.disconnect();
  open.delete(connection);
}

/** An aws-crt MQTT 5 client with mutual TLS, as the SDK's MQTT 5 samples build it; not started yet. */
function newMqtt5Client(identity: DeviceIdentity, clientId: string): mqtt5.Mqtt5Client {
  const config = iot.AwsIotMqtt5ClientConfigBuilder.newDirectMqttBuilderWithMtlsFromMemory(
    'localhost',
    identity.certificatePem,
    identity.privateKey,
  )
    .withCertificateAuthority(chain)
    .withPort(port)
    .withConnectProperties({ keepAliveIntervalSeconds: 30, clientId })
    .build();
  const client = new mqtt5.Mqtt5Client(config);
  // An 'error' event without a listener would throw out of aws-crt's callback and crash the test process.
  client.on('error', () => {});
  open5.add(client);
  return client;
}

type FirstAttempt =
  | { success: mqtt5.ConnectionSuccessEvent }
  | { failure: mqtt5.ConnectionFailureEvent }
  | { timedOut: number };

/** start(), then how the first connection attempt ended (after a failure the client keeps retrying on its own). */
function start5(client: mqtt5.Mqtt5Client, timeoutMs = 10_000): Promise<FirstAttempt> {
  return new Promise((resolve) => {
    const onSuccess = (success: mqtt5.ConnectionSuccessEvent) => settle({ success });
    const onFailure = (failure: mqtt5.ConnectionFailureEvent) => settle({ failure });
    const timer = setTimeout(() => settle({ timedOut: timeoutMs }), timeoutMs);
    function settle(attempt: FirstAttempt): void {
      clearTimeout(timer);
      client.off('connectionSuccess', onSuccess);
      client.off('connectionFailure', onFailure);
      resolve(attempt);
    }
    client.on('connectionSuccess', onSuccess);
    client.on('connectionFailure', onFailure);
    client.start();
  });
}

function describeAttempt(attempt: FirstAttempt): string {
  if ('success' in attempt) return `connected (CONNACK reason ${attempt.success.connack.reasonCode})`;
  if ('failure' in attempt) {
    const connack = attempt.failure.connack;
    const error: { error_name?: string; message?: string } = attempt.failure.error;
    return `connectionFailure: ${error.error_name ?? error.message}${connack ? ` (CONNACK reason ${connack.reasonCode})` : ''}`;
  }
  return `neither connectionSuccess nor connectionFailure within ${attempt.timedOut} ms`;
}

/** A started MQTT 5 client whose first attempt got a successful CONNACK. */
async function connect5(identity: DeviceIdentity, clientId: string): Promise<mqtt5.Mqtt5Client> {
  const client = newMqtt5Client(identity, clientId);
  const attempt = await start5(client);
  if (!('success' in attempt)) {
    await stop5(client);
    assert.fail(`${clientId}: ${describeAttempt(attempt)}`);
  }
  assert.equal(attempt.success.connack.reasonCode, mqtt5.ConnectReasonCode.Success);
  assert.equal(attempt.success.settings.clientId, clientId);
  return client;
}

/** stop() (DISCONNECT if connected), wait for 'stopped', then close() to free the native client. Idempotent. */
async function stop5(client: mqtt5.Mqtt5Client, timeoutMs = 5_000): Promise<void> {
  if (!open5.delete(client)) return;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no 'stopped' within ${timeoutMs} ms`)), timeoutMs);
      client.once('stopped', () => {
        clearTimeout(timer);
        resolve();
      });
      client.stop();
    });
  } finally {
    client.close();
  }
}

/**
 * aws-crt lets go of a closed MQTT 5 client's native callbacks (thread-safe functions, which keep the event loop
 * alive) only when the client's JS object is garbage-collected (see awslabs/aws-crt-nodejs#600): left to itself the
 * process idles 8–13 s after the last test. A collection once every client is closed ends that; gc() is obtained
 * the way jest's leak detector does when node runs without --expose-gc.
 */
function releaseClosedMqtt5Clients(): void {
  let gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

/** Values handed to a subscription's handler, awaited one at a time; a handler error fails the next wait. */
class Mailbox<T> {
  readonly #items: ({ item: T } | { error: Error })[] = [];
  readonly #waiters: ((entry: { item: T } | { error: Error }) => void)[] = [];

  /** Every handler call so far, whether or not a wait took it. */
  received = 0;

  readonly handler = (error: iotidentity.IotIdentityError | undefined, item: T | undefined): void => {
    this.received++;
    const entry = error
      ? { error }
      : item === undefined
        ? { error: new Error('a handler call without a value') }
        : { item };
    const waiter = this.#waiters.shift();
    if (waiter) waiter(entry);
    else this.#items.push(entry);
  };

  next(what: string, timeoutMs = 15_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const settle = (entry: { item: T } | { error: Error }) => {
        if ('error' in entry) reject(entry.error);
        else resolve(entry.item);
      };
      const ready = this.#items.shift();
      if (ready !== undefined) return settle(ready);
      const timer = setTimeout(() => reject(new Error(`no ${what} within ${timeoutMs} ms`)), timeoutMs);
      timer.unref();
      this.#waiters.push((entry) => {
        clearTimeout(timer);
        settle(entry);
      });
    });
  }
}

/** The first of accepted/rejected to arrive, labelled. */
async function outcome<A, R>(
  accepted: Mailbox<A>,
  rejected: Mailbox<R>,
  what: string,
): Promise<{ accepted: A } | { rejected: R }> {
  return Promise.race([
    accepted.next(`${what} accepted`).then((value) => ({ accepted: value })),
    rejected.next(`${what} rejected`).then((value) => ({ rejected: value })),
  ]);
}

function acceptedOf<A, R>(result: { accepted: A } | { rejected: R }): A {
  if ('rejected' in result) assert.fail(`rejected: ${JSON.stringify(result.rejected)}`);
  return result.accepted;
}

async function certificateStatus(certificateId: string): Promise<string | undefined> {
  const described = await rest.send(new DescribeCertificateCommand({ certificateId }));
  return described.certificateDescription?.status;
}

/** RegisterThing with the SDK on an open claim connection. */
async function registerThing(
  identity: iotidentity.IotIdentityClient,
  request: iotidentity.model.RegisterThingRequest,
): Promise<{ accepted: iotidentity.model.RegisterThingResponse } | { rejected: iotidentity.model.ErrorResponse }> {
  const accepted = new Mailbox<iotidentity.model.RegisterThingResponse>();
  const rejected = new Mailbox<iotidentity.model.ErrorResponse>();
  const subscription = { templateName: request.templateName };
  await identity.subscribeToRegisterThingAccepted(subscription, QOS1, accepted.handler);
  await identity.subscribeToRegisterThingRejected(subscription, QOS1, rejected.handler);
  const answer = outcome(accepted, rejected, 'RegisterThing');
  await identity.publishRegisterThing(request, QOS1);
  return answer;
}

/** Checks over REST what RegisterThing made: the thing, the certificate attached to it, ACTIVE. */
async function checkProvisioned(thingName: string, serial: string, certificateId: string): Promise<void> {
  const thing = await rest.send(new DescribeThingCommand({ thingName }));
  assert.equal(thing.thingName, thingName);
  assert.deepEqual(thing.attributes, { serial });
  const principals = await rest.send(new ListThingPrincipalsCommand({ thingName }));
  assert.deepEqual(principals.principals, [`arn:aws:iot:${REGION}:${ACCOUNT}:cert/${certificateId}`]);
  assert.equal(await certificateStatus(certificateId), 'ACTIVE');
}

/** The new certificate connects, subscribes and receives what it publishes on an ordinary topic. */
async function useAsDevice(device: DeviceIdentity, serial: string): Promise<void> {
  const connection = await connect(device, `device-${serial}`);
  const topic = `fleet/${serial}/telemetry`;
  let deliver: (payload: string) => void = () => {};
  const received = new Promise<string>((resolve) => {
    deliver = resolve;
  });
  // subscribe() resolves on SUBACK, so the publish below is delivered to this subscription.
  const granted = await connection.subscribe(topic, QOS1, (_topic, payload) =>
    deliver(Buffer.from(payload).toString('utf8')),
  );
  assert.equal(granted.qos, QOS1);
  await connection.publish(topic, JSON.stringify({ serial, temperature: 21.5 }), QOS1);
  assert.deepEqual(JSON.parse(await received), { serial, temperature: 21.5 });
  await disconnect(connection);
}

/**
 * CreateKeysAndCertificate then RegisterThing with the SDK's iotidentity client (on either MQTT client), both
 * checked as the SDK hands them over; returns the new certificate and its key.
 */
async function createKeysAndRegister(
  identity: iotidentity.IotIdentityClient,
  serial: string,
): Promise<{ certificateId: string } & DeviceIdentity> {
  const accepted = new Mailbox<iotidentity.model.CreateKeysAndCertificateResponse>();
  const rejected = new Mailbox<iotidentity.model.ErrorResponse>();
  await identity.subscribeToCreateKeysAndCertificateAccepted({}, QOS1, accepted.handler);
  await identity.subscribeToCreateKeysAndCertificateRejected({}, QOS1, rejected.handler);
  const answer = outcome(accepted, rejected, 'CreateKeysAndCertificate');
  await identity.publishCreateKeysAndCertificate({}, QOS1);
  const created = acceptedOf(await answer);

  assert.deepEqual(Object.keys(created), [
    'certificateId',
    'certificatePem',
    'privateKey',
    'certificateOwnershipToken',
  ]);
  const { certificateId, certificatePem, privateKey, certificateOwnershipToken } = created;
  assert.ok(certificateId && certificatePem && privateKey && certificateOwnershipToken);
  assert.ok(new X509Certificate(certificatePem).checkPrivateKey(createPrivateKey(privateKey)));
  assert.equal(await certificateStatus(certificateId), 'PENDING_ACTIVATION', 'pending until RegisterThing');

  const registered = acceptedOf(
    await registerThing(identity, {
      templateName: TEMPLATE,
      certificateOwnershipToken,
      parameters: { SerialNumber: serial },
    }),
  );
  assert.deepEqual(registered, { deviceConfiguration: DEVICE_CONFIGURATION, thingName: `device-${serial}` });
  assert.equal(rejected.received, 0, 'nothing on the rejected topic');
  return { certificateId, certificatePem, privateKey };
}

/** The new certificate connects with the SDK's MQTT 5 client, subscribes and receives what it publishes. */
async function useAsMqtt5Device(device: DeviceIdentity, serial: string): Promise<void> {
  const client = await connect5(device, `device-${serial}`);
  try {
    const topic = `fleet/${serial}/telemetry`;
    const received = new Promise<mqtt5.PublishPacket>((resolve) => {
      client.on('messageReceived', ({ message }) => {
        if (message.topicName === topic) resolve(message);
      });
    });
    const suback = await client.subscribe({ subscriptions: [{ topicFilter: topic, qos: mqtt5.QoS.AtLeastOnce }] });
    assert.deepEqual(suback.reasonCodes, [mqtt5.SubackReasonCode.GrantedQoS1]);
    const puback = await client.publish({
      topicName: topic,
      payload: JSON.stringify({ serial, temperature: 21.5 }),
      qos: mqtt5.QoS.AtLeastOnce,
    });
    assert.equal(puback?.reasonCode, mqtt5.PubackReasonCode.Success);
    const message = await settled(`the message on ${topic}`, received);
    assert.equal(message.qos, mqtt5.QoS.AtLeastOnce);
    assert.ok(message.payload instanceof ArrayBuffer, 'aws-crt hands the payload over as an ArrayBuffer');
    assert.deepEqual(JSON.parse(Buffer.from(message.payload).toString('utf8')), { serial, temperature: 21.5 });
  } finally {
    await stop5(client);
  }
}

/**
 * A CBOR request topic on an SDK 3.1.1 connection, driven by hand: its /accepted and /rejected answers
 * subscribed with connection.subscribe, requests encoded and published with connection.publish, answers decoded
 * with decodeAnswer (which also asserts plain CBOR: one definite-length map, no tag).
 */
async function cborRequestTopic(connection: mqtt.MqttClientConnection, requestTopic: string) {
  const accepted = new Mailbox<Buffer>();
  const rejected = new Mailbox<Buffer>();
  for (const [suffix, mailbox] of [
    ['accepted', accepted],
    ['rejected', rejected],
  ] as const) {
    const granted = await connection.subscribe(`${requestTopic}/${suffix}`, QOS1, (_topic, payload) =>
      // A copy: the handler's ArrayBuffer is aws-crt's.
      mailbox.handler(undefined, Buffer.from(new Uint8Array(payload))),
    );
    assert.equal(granted.qos, QOS1, `${requestTopic}/${suffix} granted QoS 1`);
  }
  return {
    rejected,
    /** Publishes the request, CBOR-encoded; the decoded accepted answer, or a failure with the rejected one. */
    async request(body: unknown): Promise<Record<string, unknown>> {
      const answer = outcome(accepted, rejected, requestTopic);
      await connection.publish(requestTopic, encodeRequest('cbor', body), QOS1);
      const result = await answer;
      if ('rejected' in result) assert.fail(`rejected: ${JSON.stringify(decodeAnswer('cbor', result.rejected))}`);
      return decodeAnswer('cbor', result.accepted);
    },
  };
}

describe('AWS IoT Device SDK v2 (JavaScript): fleet provisioning by claim', () => {
  let claim: ClaimIdentity;

  before(async () => {
    claim = await createClaim(rest, TEMPLATE);
  });

  test('CreateKeysAndCertificate + RegisterThing, then the new certificate connects', async () => {
    const serial = 'SDK-0001';
    const connection = await connect(claim, 'claim-sdk-keys');
    const created = await createKeysAndRegister(new iotidentity.IotIdentityClient(connection), serial);
    await disconnect(connection);

    await checkProvisioned(`device-${serial}`, serial, created.certificateId);
    await useAsDevice(created, serial);
  });

  test('MQTT 5 client: CreateKeysAndCertificate + RegisterThing, then the new certificate connects over MQTT 5', async () => {
    const serial = 'SDK-MQTT5';
    const client = await connect5(claim, 'claim-sdk-mqtt5');
    let created: { certificateId: string } & DeviceIdentity;
    try {
      created = await createKeysAndRegister(iotidentity.IotIdentityClient.newFromMqtt5Client(client), serial);
    } finally {
      await stop5(client);
    }

    await checkProvisioned(`device-${serial}`, serial, created.certificateId);
    await useAsMqtt5Device(created, serial);
  });

  test('MQTT 5 client: an INACTIVE certificate does not connect', async () => {
    const inactive = await rest.send(new CreateKeysAndCertificateCommand({ setAsActive: false }));
    assert.ok(inactive.certificateId && inactive.certificatePem && inactive.keyPair?.PrivateKey);
    assert.equal(await certificateStatus(inactive.certificateId), 'INACTIVE');
    const client = newMqtt5Client(
      { certificatePem: inactive.certificatePem, privateKey: inactive.keyPair.PrivateKey },
      'device-sdk-mqtt5-inactive',
    );
    try {
      // fleetca closes the connection without a CONNACK: aws-crt reports a connectionFailure without one
      // (AWS_ERROR_MQTT_UNEXPECTED_HANGUP), then would retry on its own until stopped.
      const attempt = await start5(client, 5_000);
      assert.ok('failure' in attempt, describeAttempt(attempt));
      assert.equal(attempt.failure.connack, undefined, describeAttempt(attempt));
    } finally {
      await stop5(client);
    }
  });

  test("CBOR through the SDK's 3.1.1 connection: CreateKeysAndCertificate + RegisterThing on the /cbor topics", async () => {
    const serial = 'SDK-CBOR';
    const connection = await connect(claim, 'claim-sdk-cbor');
    const create = await cborRequestTopic(connection, topics.create('cbor'));
    const register = await cborRequestTopic(connection, topics.registerThing(TEMPLATE, 'cbor'));

    const created = checkKeysAndCertificate(await create.request({}));
    assert.equal(await certificateStatus(created.certificateId), 'PENDING_ACTIVATION', 'pending until RegisterThing');

    const registered = await register.request({
      certificateOwnershipToken: created.certificateOwnershipToken,
      parameters: { SerialNumber: serial },
    });
    assert.deepEqual(Object.keys(registered), ['deviceConfiguration', 'thingName']);
    assert.deepEqual(registered, { deviceConfiguration: DEVICE_CONFIGURATION, thingName: `device-${serial}` });
    assert.equal(create.rejected.received + register.rejected.received, 0, 'nothing on a rejected topic');
    await disconnect(connection);

    await checkProvisioned(`device-${serial}`, serial, created.certificateId);
  });

  for (const keyType of ['ec', 'rsa'] as const) {
    test(`CreateCertificateFromCsr (${keyType.toUpperCase()} CSR made by openssl) + RegisterThing, then the device connects`, async () => {
      const serial = `SDK-CSR-${keyType}`;
      const { csrPem, keyPem } = await makeCsr(keyType, serial);
      const connection = await connect(claim, `claim-sdk-csr-${keyType}`);
      const identity = new iotidentity.IotIdentityClient(connection);

      const accepted = new Mailbox<iotidentity.model.CreateCertificateFromCsrResponse>();
      const rejected = new Mailbox<iotidentity.model.ErrorResponse>();
      await identity.subscribeToCreateCertificateFromCsrAccepted({}, QOS1, accepted.handler);
      await identity.subscribeToCreateCertificateFromCsrRejected({}, QOS1, rejected.handler);
      const answer = outcome(accepted, rejected, 'CreateCertificateFromCsr');
      await identity.publishCreateCertificateFromCsr({ certificateSigningRequest: csrPem }, QOS1);
      const created = acceptedOf(await answer);

      assert.deepEqual(Object.keys(created), ['certificateOwnershipToken', 'certificateId', 'certificatePem']);
      const { certificateId, certificatePem, certificateOwnershipToken } = created;
      assert.ok(certificateId && certificatePem && certificateOwnershipToken);
      const certificate = new X509Certificate(certificatePem);
      assert.ok(certificate.checkPrivateKey(createPrivateKey(keyPem)), 'issued for the CSR key');
      assert.match(certificate.subject, new RegExp(`CN=${serial}`), 'the CSR subject');
      assert.equal(await certificateStatus(certificateId), 'PENDING_ACTIVATION');

      const registered = acceptedOf(
        await registerThing(identity, {
          templateName: TEMPLATE,
          certificateOwnershipToken,
          parameters: { SerialNumber: serial },
        }),
      );
      assert.deepEqual(registered, { deviceConfiguration: DEVICE_CONFIGURATION, thingName: `device-${serial}` });
      await disconnect(connection);

      await checkProvisioned(`device-${serial}`, serial, certificateId);
      await useAsDevice({ certificatePem, privateKey: keyPem }, serial);
    });
  }

  test('a rejected RegisterThing reaches the SDK as its ErrorResponse (empty ownership token)', async () => {
    const connection = await connect(claim, 'claim-sdk-rejected');
    const identity = new iotidentity.IotIdentityClient(connection);
    const answer = await registerThing(identity, {
      templateName: TEMPLATE,
      certificateOwnershipToken: '',
      parameters: { SerialNumber: 'SDK-NEVER' },
    });
    assert.ok('rejected' in answer, 'rejected');
    assert.deepEqual(answer.rejected, {
      statusCode: 400,
      errorCode: 'InvalidCertificateOwnershipToken',
      errorMessage: 'Certificate ownership token cannot be empty.',
    });
    await disconnect(connection);
  });
});

/** A CSR and its key, made by openssl (EC P-256, or RSA-2048). */
async function makeCsr(keyType: 'ec' | 'rsa', commonName: string): Promise<{ csrPem: string; keyPem: string }> {
  if (keyType === 'ec') {
    const file = await makeEcCsr(home, commonName);
    return { csrPem: await readFile(file, 'utf8'), keyPem: await readFile(join(home, `${commonName}.key`), 'utf8') };
  }
  const keyFile = join(home, `${commonName}.key`);
  const csrFile = join(home, `${commonName}.csr`);
  const made = await runTool('openssl', [
    'req',
    '-new',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    keyFile,
    '-subj',
    `/CN=${commonName}`,
    '-out',
    csrFile,
  ]);
  assert.equal(made.code, 0, made.stderr);
  return { csrPem: await readFile(csrFile, 'utf8'), keyPem: await readFile(keyFile, 'utf8') };
}
