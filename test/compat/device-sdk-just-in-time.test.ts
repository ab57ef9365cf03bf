/**
 * The AWS IoT Device SDK v2 for JavaScript (aws-crt underneath, its MQTT 3.1.1 connection) as a factory-made device
 * against the real `fleetca serve`: a CA made with openssl and registered with the aws CLI with auto-registration,
 * device certificates it signed. JITP: the first connection is dropped while the template provisions the device,
 * the next one connects and publishes within the template's policy. JITR: the first connection is dropped and the
 * certificate waits PENDING_ACTIVATION; activated over REST with a policy, the device connects.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DescribeCertificateCommand, type IoTClient, UpdateCertificateCommand } from '@aws-sdk/client-iot';
import { iot, mqtt } from 'aws-iot-device-sdk-v2';
import { allowAll } from '../helpers/device-policies.js';
import {
  type AccountCredentials,
  type AwsCli,
  awsCliAgainst,
  awsClientEnv,
  createAccount,
  iotClientFor,
  type RunningServer,
  startServer,
} from '../helpers/fleetca-server.js';
import { certificateIdOf, confiningTemplate, identityOf, registerOwnCa } from '../helpers/just-in-time.js';
import type { DeviceIdentity } from '../helpers/mqtt-devices.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';
import { TestPki } from '../helpers/test-pki.js';

const ACCOUNT = '135792468024';

let home: string;
let server: RunningServer;
let rest: IoTClient;
let credentials: AccountCredentials;
let cli: AwsCli;
let pki: TestPki;
let chain: string;
const open = new Set<mqtt.MqttClientConnection>();

before(async () => {
  home = await tempHome('fleetca-sdk-jit-');
  const env = cliEnv(home);
  server = await startServer(env);
  credentials = await createAccount(env, ACCOUNT);
  rest = iotClientFor(server, credentials);
  cli = awsCliAgainst(() => ({ url: server.url, env: awsClientEnv(home, credentials) }));
  chain = (await runCli(['ca', 'export'], env)).stdout;
  pki = new TestPki(home);
});

after(async () => {
  for (const connection of open) await connection.disconnect().catch(() => {});
  rest?.destroy();
  if (server) assert.equal(await server.stop(), 0);
});

/** Connects as the SDK's samples do; resolves with the connection, or rejects with the SDK's error. */
async function sdkConnect(identity: DeviceIdentity, clientId: string): Promise<mqtt.MqttClientConnection> {
  const config = iot.AwsIotMqttConnectionConfigBuilder.new_mtls_builder(identity.certificatePem, identity.privateKey)
    .with_certificate_authority(chain)
    .with_endpoint('localhost')
    .with_port(server.mqttPort as number)
    .with_client_id(clientId)
    .with_clean_session(true)
    .build();
  const connection = new mqtt.MqttClient().new_connection(config);
  // aws-crt reconnects on its own after an unexpected close: a test wants the first outcome only.
  connection.on('error', () => {});
  open.add(connection);
  try {
    await connection.connect();
    return connection;
  } catch (err) {
    await connection.disconnect().catch(() => {});
    open.delete(connection);
    throw err;
  }
}

async function statusOf(certificateId: string): Promise<string | undefined> {
  const { certificateDescription } = await rest.send(new DescribeCertificateCommand({ certificateId }));
  return certificateDescription?.status;
}

describe('AWS IoT Device SDK v2 as a factory-made device', () => {
  test('JITP: the first connection is dropped while provisioning, the next publishes within its policy', async () => {
    const { ca } = await registerOwnCa(cli, pki, 'sdk-jitp-ca', {
      registrationConfig: { templateBody: confiningTemplate(ACCOUNT), roleArn: `arn:aws:iam::${ACCOUNT}:role/JITP` },
    });
    const device = identityOf(pki.leaf('sdk-jitp-device', ca, '/O=Acme/CN=sdk-sensor-1'));
    await assert.rejects(sdkConnect(device, 'sdk-sensor-1'), 'the first connection is dropped');
    assert.equal(await statusOf(certificateIdOf(device.certificatePem)), 'ACTIVE');
    const connection = await sdkConnect(device, 'sdk-sensor-1');
    await connection.publish('things/sdk-sensor-1/telemetry', JSON.stringify({ t: 20 }), mqtt.QoS.AtLeastOnce);
    await connection.disconnect();
    open.delete(connection);
  });

  test('JITR: registered PENDING_ACTIVATION on the first connection; activated with a policy, it connects', async () => {
    const { ca } = await registerOwnCa(cli, pki, 'sdk-jitr-ca');
    const device = identityOf(pki.leaf('sdk-jitr-device', ca, '/O=Acme/CN=sdk-sensor-2'));
    const certificateId = certificateIdOf(device.certificatePem);
    await assert.rejects(sdkConnect(device, 'sdk-sensor-2'), 'the first connection is refused');
    assert.equal(await statusOf(certificateId), 'PENDING_ACTIVATION');
    await rest.send(new UpdateCertificateCommand({ certificateId, newStatus: 'ACTIVE' }));
    await allowAll(rest, `arn:aws:iot:us-east-1:${ACCOUNT}:cert/${certificateId}`);
    const connection = await sdkConnect(device, 'sdk-sensor-2');
    await connection.publish('factory/hello', 'hi', mqtt.QoS.AtLeastOnce);
    await connection.disconnect();
    open.delete(connection);
  });
});
