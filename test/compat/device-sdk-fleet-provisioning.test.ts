/**
 * The AWS IoT Device SDK v2 for JavaScript (aws-iot-device-sdk-v2 1.28, aws-crt underneath) runs the whole
 * fleet-provisioning flow against the real `fleetca serve`: a template and a claim over REST, then the claim
 * certificate over MQTT with the SDK's iotidentity client (CreateKeysAndCertificate, CreateCertificateFromCsr,
 * RegisterThing), then the new certificate connects and uses an ordinary topic.
 *
 * The SDK's iotidentity client speaks JSON only (its topics end in /json, its payloads are JSON.stringify'd):
 * CBOR is covered with MQTT.js in test/e2e/mqtt-fleet-provisioning.test.ts.
 */
import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  DescribeCertificateCommand,
  DescribeThingCommand,
  type IoTClient,
  ListThingPrincipalsCommand,
} from '@aws-sdk/client-iot';
import { iot, iotidentity, mqtt } from 'aws-iot-device-sdk-v2';
import {
  type ClaimIdentity,
  createClaim,
  createFleetTemplate,
  fleetTemplateBody,
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

describe('AWS IoT Device SDK v2 (JavaScript): fleet provisioning by claim', () => {
  let claim: ClaimIdentity;

  before(async () => {
    claim = await createClaim(rest, TEMPLATE);
  });

  test('CreateKeysAndCertificate + RegisterThing, then the new certificate connects', async () => {
    const serial = 'SDK-0001';
    const connection = await connect(claim, 'claim-sdk-keys');
    const identity = new iotidentity.IotIdentityClient(connection);

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
    await disconnect(connection);

    await checkProvisioned(`device-${serial}`, serial, certificateId);
    await useAsDevice({ certificatePem, privateKey }, serial);
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
