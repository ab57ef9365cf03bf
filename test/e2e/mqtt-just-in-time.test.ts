import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CreateKeysAndCertificateCommand,
  DescribeCertificateCommand,
  DescribeThingCommand,
  type IoTClient,
  ListAttachedPoliciesCommand,
  ListCertificatesByCACommand,
  ListThingPrincipalsCommand,
} from '@aws-sdk/client-iot';
import { allowAll } from '../helpers/device-policies.js';
import { eventually, settled } from '../helpers/eventually.js';
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
import { deviceOptions, nextMessage, subscribeCodes, tryConnect } from '../helpers/mqtt-devices.js';
import { cliEnv, REPO_ROOT, runCli, runTool, tempHome } from '../helpers/run-cli.js';
import { type Issued, TestPki } from '../helpers/test-pki.js';

const ACCOUNT = '210987654321';

let home: string;
let server: RunningServer;
let iot: IoTClient;
let credentials: AccountCredentials;
let cli: AwsCli;
let pki: TestPki;
let chain: string;
let chainFile: string;
let port: number;

before(async () => {
  home = await tempHome('fleetca-jit-');
  const env = cliEnv(home);
  server = await startServer(env);
  port = server.mqttPort as number;
  credentials = await createAccount(env, ACCOUNT);
  iot = iotClientFor(server, credentials);
  cli = awsCliAgainst(() => ({ url: server.url, env: awsClientEnv(home, credentials) }));
  chain = (await runCli(['ca', 'export'], env)).stdout;
  chainFile = join(home, 'chain.pem');
  await writeFile(chainFile, chain);
  pki = new TestPki(home);
});

after(async () => {
  iot.destroy();
  assert.equal(await server.stop(), 0);
});

/** mosquitto_pub with a device's openssl-made certificate: its exit code and stderr. */
function mosquittoPub(device: Issued, clientId: string, topic: string) {
  return runTool('mosquitto_pub', [
    ...['-h', '127.0.0.1', '-p', String(port), '--cafile', chainFile, '--tls-alpn', 'x-amzn-mqtt-ca'],
    ...['--cert', device.certFile, '--key', device.keyFile, '-i', clientId, '-t', topic, '-m', 'hi', '-q', '1'],
  ]);
}

async function describeStatus(certificateId: string): Promise<string | undefined> {
  try {
    const { certificateDescription } = await iot.send(new DescribeCertificateCommand({ certificateId }));
    return certificateDescription?.status;
  } catch (err) {
    if ((err as Error).name === 'ResourceNotFoundException') return undefined;
    throw err;
  }
}

/** The server's log lines (JSON) that carry `msg`, about one certificate. */
function logLines(msg: string, certificateId: string): Record<string, unknown>[] {
  return server
    .logs()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.msg === msg && entry.certificateId === certificateId);
}

/** An ACTIVE fleetca-issued certificate with the allow-all policy (the activator's, a subscriber's identity). */
async function operatorDevice(
  name: string,
): Promise<{ cert: string; key: string; certificatePem: string; privateKey: string }> {
  const made = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
  await allowAll(iot, made.certificateArn as string);
  const cert = join(home, `${name}.crt`);
  const key = join(home, `${name}.key`);
  await writeFile(cert, made.certificatePem as string);
  await writeFile(key, made.keyPair?.PrivateKey as string);
  return { cert, key, certificatePem: made.certificatePem as string, privateKey: made.keyPair?.PrivateKey as string };
}

describe('just-in-time registration (JITR)', () => {
  let activator: ChildProcess;
  let activations = '';

  after(() => {
    activator?.kill('SIGTERM');
  });

  test('first connection refused and registered PENDING_ACTIVATION; the activator activates it; the next connects', async () => {
    const { ca, caCertificateId } = await registerOwnCa(cli, pki, 'jitr-ca');
    const described = await cli.ok('describe-ca-certificate', '--certificate-id', caCertificateId);
    assert.equal(described.certificateDescription.autoRegistrationStatus, 'ENABLE');

    const identity = await operatorDevice('activator');
    activator = spawn(process.execPath, [join(REPO_ROOT, 'dist/test/helpers/jitr-activator.js')], {
      env: {
        ...awsClientEnv(home, credentials),
        FLEETCA_URL: server.url,
        MQTT_PORT: String(port),
        CHAIN_FILE: chainFile,
        CERT_FILE: identity.cert,
        KEY_FILE: identity.key,
        POLICY_NAME: 'test-allow-all',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    activator.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      activations += chunk;
    });
    await eventually('the activator subscribed', () => activations.startsWith('subscribed\n'));

    const device = pki.leaf('jitr-device-1', ca, '/O=Factory/CN=jitr-device-1');
    const certificateId = certificateIdOf(device.pem);
    const first = await mosquittoPub(device, 'jitr-device-1', 'fleet/hello');
    assert.notEqual(first.code, 0, 'the first connection is refused, as on AWS');

    const lines = () => activations.split('\n').filter((line) => line.startsWith('{'));
    await eventually('the activator handled the registered event', () => lines().length === 1);
    const event = JSON.parse(lines()[0] as string);
    assert.equal(event.topic, `$aws/events/certificates/registered/${caCertificateId}`);
    const { topic: _topic, ...payload } = event;
    assert.deepEqual(Object.keys(payload), [
      'certificateId',
      'caCertificateId',
      'timestamp',
      'certificateStatus',
      'awsAccountId',
      'certificateRegistrationTimestamp',
    ]);
    assert.equal(payload.certificateId, certificateId);
    assert.equal(payload.caCertificateId, caCertificateId);
    assert.equal(payload.certificateStatus, 'PENDING_ACTIVATION');
    assert.equal(payload.awsAccountId, ACCOUNT);
    assert.equal(typeof payload.timestamp, 'number');

    const registered = await cli.ok('describe-certificate', '--certificate-id', certificateId);
    assert.equal(registered.certificateDescription.caCertificateId, caCertificateId);
    assert.equal(registered.certificateDescription.ownedBy, ACCOUNT);
    assert.equal(registered.certificateDescription.certificateMode, 'DEFAULT');
    await eventually('activated', async () => (await describeStatus(certificateId)) === 'ACTIVE');

    const next = await mosquittoPub(device, 'jitr-device-1', 'fleet/hello');
    assert.equal(next.code, 0, `the next connection is admitted: ${next.stderr}`);
    assert.equal(logLines('certificate registered just in time', certificateId).length, 1);
    const exited = new Promise((resolve) => activator.once('exit', resolve));
    activator.kill('SIGTERM');
    await settled('the activator stopped', exited);
  });

  test('a PENDING_ACTIVATION certificate presented again has its event published again; MQTT.js sees the refusal', async () => {
    const { ca, caCertificateId } = await registerOwnCa(cli, pki, 'jitr-ca-again');
    const watcher = await operatorDevice('watcher');
    const { client } = await tryConnect(deviceOptions(port, chain, watcher, { clientId: 'jitr-watcher' }));
    assert.ok(client);
    const filter = `$aws/events/certificates/registered/${caCertificateId}`;
    assert.deepEqual(await subscribeCodes(client, [filter]), [0]);
    assert.deepEqual(await subscribeCodes(client, ['$aws/events/#']), [0], 'policies decide $aws/events filters');
    const device = pki.leaf('jitr-device-2', ca, '/CN=jitr-device-2');
    const certificateId = certificateIdOf(device.pem);
    for (const attempt of [1, 2]) {
      const message = nextMessage(client, filter);
      const outcome = await tryConnect(deviceOptions(port, chain, identityOf(device), { protocolVersion: 5 }));
      assert.equal(outcome.closedWithoutConnack, true, `attempt ${attempt} closed without CONNACK`);
      const event = JSON.parse((await settled(`event ${attempt}`, message)).toString());
      assert.equal(event.certificateId, certificateId);
    }
    assert.equal(await describeStatus(certificateId), 'PENDING_ACTIVATION');
    assert.equal(logLines('certificate registered just in time', certificateId).length, 1, 'registered once');
    client.end(true);
  });

  test('twenty devices of one batch connecting at the same instant are each registered exactly once', async () => {
    const { ca, caCertificateId } = await registerOwnCa(cli, pki, 'jitr-batch-ca');
    const devices = Array.from({ length: 20 }, (_, i) => pki.leaf(`batch-${i}`, ca, `/CN=batch-${i}`));
    // Each device twice at once, as a device retrying on a flaky link would.
    const outcomes = await Promise.all(
      [...devices, ...devices].map((device) => tryConnect(deviceOptions(port, chain, identityOf(device)))),
    );
    assert.ok(outcomes.every((outcome) => outcome.closedWithoutConnack));
    const listed = await iot.send(new ListCertificatesByCACommand({ caCertificateId, pageSize: 100 }));
    const ids = (listed.certificates ?? []).map((c) => c.certificateId).sort();
    assert.deepEqual(ids, devices.map((d) => certificateIdOf(d.pem)).sort());
    for (const device of devices) {
      const id = certificateIdOf(device.pem);
      assert.equal(logLines('certificate registered just in time', id).length, 1, `${device.name} once`);
    }
  });

  test('refused and registered nowhere: unregistered CA, expired, auto-registration off, INACTIVE CA', async () => {
    const stranger = pki.ca('unregistered-ca');
    const { ca: enabled } = await registerOwnCa(cli, pki, 'jitr-ca-expiry');
    const { ca: off, caCertificateId: offId } = await registerOwnCa(cli, pki, 'jitr-ca-off', {
      autoRegistration: false,
    });
    const { ca: inactive, caCertificateId: inactiveId } = await registerOwnCa(cli, pki, 'jitr-ca-inactive', {
      active: false,
    });
    const cases = [
      { device: pki.leaf('of-stranger', stranger), log: 'just-in-time registration refused', code: 'no_registered_ca' },
      { device: pki.leaf('expired', enabled, '/CN=expired', -1), log: 'device connection refused' },
      {
        device: pki.leaf('of-off', off),
        log: 'just-in-time registration refused',
        code: 'auto_registration_disabled',
        ca: offId,
      },
      {
        device: pki.leaf('of-inactive', inactive),
        log: 'just-in-time registration refused',
        code: 'ca_inactive',
        ca: inactiveId,
      },
    ];
    for (const { device, log, code, ca } of cases) {
      const id = certificateIdOf(device.pem);
      const outcome = await tryConnect(deviceOptions(port, chain, identityOf(device)));
      assert.equal(outcome.closedWithoutConnack, true, device.name);
      assert.equal(await describeStatus(id), undefined, `${device.name} registered nowhere`);
      const [line] = logLines(log, id);
      assert.ok(line, `${device.name}: a log line "${log}"`);
      if (code !== undefined) assert.equal(line.code, code);
      if (ca !== undefined) assert.equal(line.caCertificateId, ca);
    }
    assert.match(
      JSON.stringify(logLines('device connection refused', certificateIdOf(cases[1]?.device.pem ?? ''))),
      /expired/,
    );
  });
});

describe('just-in-time provisioning (JITP)', () => {
  test('the template makes thing = CommonName with a confining policy; the certificate is ACTIVE; the next connection works', async () => {
    const { ca, caCertificateId } = await registerOwnCa(cli, pki, 'jitp-ca', {
      registrationConfig: { templateBody: confiningTemplate(ACCOUNT), roleArn: 'arn:aws:iam::210987654321:role/JITP' },
    });
    const described = await cli.ok('describe-ca-certificate', '--certificate-id', caCertificateId);
    assert.ok(described.registrationConfig.templateBody);
    const device = pki.leaf('jitp-device-1', ca, '/C=DE/O=Acme/CN=sensor-0001');
    const certificateId = certificateIdOf(device.pem);
    const first = await tryConnect(deviceOptions(port, chain, identityOf(device), { clientId: 'sensor-0001' }));
    assert.equal(first.closedWithoutConnack, true, 'the first connection is dropped (reference §6.8)');

    assert.equal(await describeStatus(certificateId), 'ACTIVE');
    const thing = await iot.send(new DescribeThingCommand({ thingName: 'sensor-0001' }));
    assert.deepEqual(thing.attributes, { maker: 'Acme' });
    const principals = await iot.send(new ListThingPrincipalsCommand({ thingName: 'sensor-0001' }));
    assert.deepEqual(principals.principals, [`arn:aws:iot:us-east-1:${ACCOUNT}:cert/${certificateId}`]);
    const policies = await iot.send(
      new ListAttachedPoliciesCommand({ target: `arn:aws:iot:us-east-1:${ACCOUNT}:cert/${certificateId}` }),
    );
    assert.equal(policies.policies?.length, 1);

    const { client } = await tryConnect(deviceOptions(port, chain, identityOf(device), { clientId: 'sensor-0001' }));
    assert.ok(client, 'admitted on its next connection');
    assert.deepEqual(
      await subscribeCodes(client, ['things/sensor-0001/cmd', 'things/other/cmd', '$aws/events/#']),
      [0, 128, 128],
      'its policy allows its own topics only, and no events',
    );
    client.end(true);
    const elsewhere = await tryConnect(deviceOptions(port, chain, identityOf(device), { clientId: 'not-its-thing' }));
    assert.equal(elsewhere.closedWithoutConnack, true, 'the policy confines the client id to its thing');
  });

  test('a template that fails registers nothing and says why in the log', async () => {
    const template = JSON.parse(confiningTemplate(ACCOUNT));
    template.Parameters['AWS::IoT::Certificate::Country'] = { Type: 'String' };
    const { ca, caCertificateId } = await registerOwnCa(cli, pki, 'jitp-failing-ca', {
      registrationConfig: { templateBody: JSON.stringify(template) },
    });
    const device = pki.leaf('jitp-no-country', ca, '/O=Acme/CN=sensor-0002');
    const certificateId = certificateIdOf(device.pem);
    const outcome = await tryConnect(deviceOptions(port, chain, identityOf(device), { clientId: 'sensor-0002' }));
    assert.equal(outcome.closedWithoutConnack, true);
    assert.equal(await describeStatus(certificateId), undefined, 'no certificate');
    await assert.rejects(iot.send(new DescribeThingCommand({ thingName: 'sensor-0002' })), {
      name: 'ResourceNotFoundException',
    });
    const [line] = logLines('just-in-time provisioning failed: nothing was registered', certificateId);
    assert.ok(line);
    assert.equal(line.caCertificateId, caCertificateId);
    assert.match(String(line.reason), /AWS::IoT::Certificate::Country/);

    const unknown = await registerOwnCa(cli, pki, 'jitp-unknown-template-ca', {
      registrationConfig: { templateName: 'no-such-template' },
    });
    const other = pki.leaf('jitp-unknown-template', unknown.ca, '/CN=sensor-0003');
    await tryConnect(deviceOptions(port, chain, identityOf(other)));
    assert.equal(await describeStatus(certificateIdOf(other.pem)), undefined);
    const [missing] = logLines('just-in-time provisioning failed: nothing was registered', certificateIdOf(other.pem));
    assert.match(String(missing?.reason), /no-such-template does not exist/);
  });
});
