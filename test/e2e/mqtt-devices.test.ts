import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import {
  CreateKeysAndCertificateCommand,
  DeleteProvisioningTemplateCommand,
  DescribeEndpointCommand,
  type IoTClient,
  UpdateCertificateCommand,
} from '@aws-sdk/client-iot';
import { generate } from 'mqtt-packet';
import { ALLOW_ALL_POLICY, allowAll } from '../helpers/device-policies.js';
import { settled } from '../helpers/eventually.js';
import { createClaim, createFleetTemplate } from '../helpers/fleet-provisioning.js';
import { createAccount, iotClientFor, type RunningServer, startServer } from '../helpers/fleetca-server.js';
import { mosquittoSub } from '../helpers/mosquitto-sub.js';
import {
  closedAt,
  type DeviceIdentity,
  deviceOptions,
  nextMessage,
  subscribeCodes,
  tryConnect,
} from '../helpers/mqtt-devices.js';
import { cliEnv, runCli, runTool, tempHome } from '../helpers/run-cli.js';

let home: string;
let env: NodeJS.ProcessEnv;
let server: RunningServer;
let iot: IoTClient;
let chain: string;
let port: number;

before(async () => {
  home = await tempHome('fleetca-mqtt-');
  env = cliEnv(home);
  server = await startServer(env);
  port = server.mqttPort as number;
  iot = iotClientFor(server, await createAccount(env, '123456789012'));
  chain = (await runCli(['ca', 'export'], env)).stdout;
  await writeFile(join(home, 'chain.pem'), chain);
});

after(async () => {
  iot.destroy();
  assert.equal(await server.stop(), 0);
});

async function issueDevice(status: 'ACTIVE' | 'INACTIVE' | 'REVOKED'): Promise<DeviceIdentity & { id: string }> {
  const created = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: status === 'ACTIVE' }));
  const id = created.certificateId as string;
  // Every device here may connect and use every topic: this file's subject is admission, not policies.
  await allowAll(iot, created.certificateArn as string);
  if (status === 'REVOKED') await iot.send(new UpdateCertificateCommand({ certificateId: id, newStatus: 'REVOKED' }));
  return { id, certificatePem: created.certificatePem as string, privateKey: created.keyPair?.PrivateKey as string };
}

async function writeDevice(device: DeviceIdentity, name: string): Promise<{ cert: string; key: string }> {
  const cert = join(home, `${name}.crt`);
  const key = join(home, `${name}.key`);
  await writeFile(cert, device.certificatePem);
  await writeFile(key, device.privateKey, { mode: 0o600 });
  return { cert, key };
}

/** A raw mTLS connection that sends CONNECT: whether TLS resumed `session`, and the last ticket the server sent. */
async function rawConnect(
  device: DeviceIdentity,
  session?: Buffer,
): Promise<{ resumed: boolean; ticket: Buffer | undefined }> {
  const socket = tlsConnect({
    host: '127.0.0.1',
    port,
    servername: 'localhost',
    ca: chain,
    cert: device.certificatePem,
    key: device.privateKey,
    ALPNProtocols: ['mqtt'],
    ...(session ? { session } : {}),
  });
  let ticket: Buffer | undefined;
  socket.on('session', (received: Buffer) => {
    ticket = received;
  });
  try {
    const connack = await new Promise<Buffer>((resolve, reject) => {
      socket.once('secureConnect', () => {
        const clientId = `raw-${Math.random().toString(16).slice(2)}`;
        socket.write(
          generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, clientId, keepalive: 30 }),
        );
      });
      socket.once('data', resolve);
      socket.once('error', reject);
      socket.once('close', () => reject(new Error('closed before CONNACK')));
    });
    // TLS 1.3 tickets follow the handshake, before any answer of the server's: they have arrived by now.
    assert.deepEqual([...connack], [0x20, 2, 0, 0], 'CONNACK accepted: the certificate presented was admitted');
    return { resumed: socket.isSessionReused(), ticket };
  } finally {
    socket.destroy();
  }
}

describe('MQTT.js', () => {
  test('an ACTIVE certificate connects (ALPN x-amzn-mqtt-ca), subscribes and receives what it publishes', async () => {
    const device = await issueDevice('ACTIVE');
    const outcome = await tryConnect(deviceOptions(port, chain, device));
    assert.ok(outcome.client, 'connected');
    const client = outcome.client;
    try {
      assert.equal((client.stream as unknown as { alpnProtocol?: string }).alpnProtocol, 'x-amzn-mqtt-ca');
      const granted = await client.subscribeAsync('fleet/telemetry', { qos: 1 });
      assert.equal(granted[0]?.qos, 1);
      const received = nextMessage(client, 'fleet/telemetry');
      await client.publishAsync('fleet/telemetry', '{"t":21.5}', { qos: 1 });
      assert.equal((await received).toString(), '{"t":21.5}');
    } finally {
      await client.endAsync();
    }
  });

  for (const status of ['INACTIVE', 'REVOKED'] as const) {
    test(`a ${status} certificate is closed without CONNACK`, async () => {
      const outcome = await tryConnect(deviceOptions(port, chain, await issueDevice(status)));
      assert.equal(outcome.client, undefined);
      assert.equal(outcome.closedWithoutConnack, true);
    });
  }

  test('a certificate the registry does not know is closed without CONNACK', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyFile = join(home, 'stranger.key');
    await writeFile(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600 });
    const selfSigned = await runTool('openssl', [
      'req',
      '-x509',
      '-new',
      '-key',
      keyFile,
      '-subj',
      '/CN=stranger',
      '-days',
      '1',
      '-outform',
      'PEM',
    ]);
    assert.equal(selfSigned.code, 0, selfSigned.stderr);
    const outcome = await tryConnect(
      deviceOptions(port, chain, {
        certificatePem: selfSigned.stdout,
        privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
      }),
    );
    assert.equal(outcome.closedWithoutConnack, true);
    assert.equal(outcome.client, undefined);
  });

  test('deactivating a connected device drops its session', async (t) => {
    const device = await issueDevice('ACTIVE');
    const { client } = await tryConnect(deviceOptions(port, chain, device));
    assert.ok(client);
    const closed = closedAt(client);
    assert.equal(client.connected, true);
    await iot.send(new UpdateCertificateCommand({ certificateId: device.id, newStatus: 'INACTIVE' }));
    const answeredAt = Date.now();
    const afterMs = (await settled('the session dropped', closed)) - answeredAt;
    t.diagnostic(`dropped ${afterMs} ms after UpdateCertificate answered`);
    client.end(true);
    const again = await tryConnect(deviceOptions(port, chain, device));
    assert.equal(again.closedWithoutConnack, true, 'and cannot come back');
  });

  test('a change made by another process (the fleetca CLI on the same registry) drops the session', async (t) => {
    // Issued and changed by the CLI in local mode (the data directory's own account), not through the server.
    const created = await runCli(['iot', 'create-keys-and-certificate', '--set-as-active'], env);
    assert.equal(created.code, 0, created.stderr);
    const issued = JSON.parse(created.stdout) as {
      certificateArn: string;
      certificateId: string;
      certificatePem: string;
      keyPair: { PrivateKey: string };
    };
    const device = { certificatePem: issued.certificatePem, privateKey: issued.keyPair.PrivateKey };
    for (const args of [
      ['create-policy', '--policy-name', 'local-allow-all', '--policy-document', ALLOW_ALL_POLICY],
      ['attach-policy', '--policy-name', 'local-allow-all', '--target', issued.certificateArn],
    ]) {
      const made = await runCli(['iot', ...args], env);
      assert.equal(made.code, 0, made.stderr);
    }
    const { client } = await tryConnect(deviceOptions(port, chain, device));
    assert.ok(client);
    const closed = closedAt(client);
    assert.equal(client.connected, true);
    const run = await runCli(
      ['iot', 'update-certificate', '--certificate-id', issued.certificateId, '--new-status', 'REVOKED'],
      env,
    );
    const exitedAt = Date.now();
    assert.equal(run.code, 0, run.stderr);
    const afterMs = (await settled('the session dropped', closed)) - exitedAt;
    t.diagnostic(`dropped ${afterMs} ms after the CLI process exited`);
    client.end(true);
  });

  test('withdrawing a claim (revoke-claim, then deleting the template) drops the sessions holding it', async () => {
    await createFleetTemplate(iot, 'withdrawn-claims');
    const device = await issueDevice('ACTIVE');
    const scope = ['--account-id', '123456789012', '--region', 'us-east-1'];
    const granted = await runCli(
      ['admin', 'grant-claim', '--certificate-id', device.id, '--template-name', 'withdrawn-claims', ...scope],
      env,
    );
    assert.equal(granted.code, 0, granted.stderr);
    const { client } = await tryConnect(deviceOptions(port, chain, device));
    assert.ok(client);
    const codes = await subscribeCodes(client, [
      '$aws/provisioning-templates/withdrawn-claims/provision/json/accepted',
    ]);
    assert.deepEqual(codes, [0], 'the grant gives the template topics');
    const closed = closedAt(client);
    assert.equal(client.connected, true);
    const revoked = await runCli(
      ['admin', 'revoke-claim', '--certificate-id', device.id, '--template-name', 'withdrawn-claims', ...scope],
      env,
    );
    assert.equal(revoked.code, 0, revoked.stderr);
    await settled('the session dropped after revoke-claim', closed);
    client.end(true);
    const again = await tryConnect(deviceOptions(port, chain, device));
    assert.ok(again.client, 'still an ACTIVE device');
    assert.deepEqual(
      await subscribeCodes(again.client, ['$aws/provisioning-templates/withdrawn-claims/provision/json/accepted']),
      [128],
      'without the template topics',
    );
    await again.client.endAsync();

    const claim = await createClaim(iot, 'withdrawn-claims');
    const claimConnection = await tryConnect(deviceOptions(port, chain, claim));
    assert.ok(claimConnection.client);
    const claimClosed = closedAt(claimConnection.client);
    assert.equal(claimConnection.client.connected, true);
    await iot.send(new DeleteProvisioningTemplateCommand({ templateName: 'withdrawn-claims' }));
    await settled('a temporary claim of a deleted template dropped', claimClosed);
    claimConnection.client.end(true);
  });

  test('topic rights: a device may not subscribe to or publish on the provisioning topics', async () => {
    const device = await issueDevice('ACTIVE');
    const { client } = await tryConnect(deviceOptions(port, chain, device));
    assert.ok(client);
    const codes = await subscribeCodes(client, ['$aws/certificates/create/json/accepted', '$SYS/#', 'ok/topic']);
    assert.deepEqual(codes, [128, 128, 0]);
    const closed = closedAt(client);
    client.publish('$aws/certificates/create/json', '{}', { qos: 1 });
    // An unauthorized publish ends the connection: MQTT 3.1.1 has no other answer (AWS IoT does the same).
    assert.ok((await closed) > 0);
    client.end(true);
  });

  test('an oversized packet ends the connection; the server keeps serving others', async () => {
    const device = await issueDevice('ACTIVE');
    const { client } = await tryConnect(deviceOptions(port, chain, device));
    assert.ok(client);
    const closed = closedAt(client);
    client.publish('fleet/big', Buffer.alloc(200 * 1024, 1), { qos: 0 });
    await closed;
    client.end(true);
    const other = await tryConnect(deviceOptions(port, chain, device));
    assert.ok(other.client, 'another connection is still admitted');
    await other.client.endAsync();
  });

  test('a TLS session is never resumed: each connection presents its certificate in a full handshake, and is admitted by it', async () => {
    const device = await issueDevice('ACTIVE');
    const first = await rawConnect(device);
    assert.equal(first.resumed, false);
    assert.ok(first.ticket, 'the server sent a (stateful) session ticket');
    const second = await rawConnect(device, first.ticket);
    assert.equal(second.resumed, false, 'the ticket offered was not taken up');
  });

  test('a TLS connection without a client certificate is closed', async () => {
    const outcome = await tryConnect({
      ...deviceOptions(port, chain, { certificatePem: '', privateKey: '' }),
      cert: undefined,
      key: undefined,
    });
    assert.equal(outcome.client, undefined);
  });
});

describe('MQTT 5 (MQTT.js with protocolVersion 5)', () => {
  test("an ACTIVE certificate connects; CONNACK carries AWS IoT's limits; deactivation sends DISCONNECT 0x87", async () => {
    const device = await issueDevice('ACTIVE');
    const outcome = await tryConnect(deviceOptions(port, chain, device, { protocolVersion: 5 }));
    assert.ok(outcome.client, 'connected');
    const client = outcome.client;
    const properties = (outcome.connack as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
    assert.equal(properties.maximumQoS, 1);
    assert.equal(properties.sharedSubscriptionAvailable, false);
    const received = nextMessage(client, 'fleet/v5');
    await client.subscribeAsync('fleet/v5', { qos: 1 });
    await client.publishAsync('fleet/v5', 'five', { qos: 1, properties: { userProperties: { origin: 'test' } } });
    assert.equal((await received).toString(), 'five');

    const disconnected = new Promise<number | undefined>((resolve) =>
      client.once('disconnect', (packet) => resolve(packet.reasonCode)),
    );
    await iot.send(new UpdateCertificateCommand({ certificateId: device.id, newStatus: 'INACTIVE' }));
    assert.equal(await disconnected, 0x87, 'told why: not authorized');
    client.end(true);
  });

  test('a refused publish is answered PUBACK 0x87 and the connection stays (MQTT 3.1.1 would be closed)', async () => {
    const { client } = await tryConnect(
      deviceOptions(port, chain, await issueDevice('ACTIVE'), { protocolVersion: 5 }),
    );
    assert.ok(client);
    await assert.rejects(
      client.publishAsync('$aws/things/x/shadow/update', '{}', { qos: 1 }),
      /0x87|Not authorized|135/i,
    );
    assert.equal(client.connected, true);
    await client.endAsync();
  });

  test('an INACTIVE certificate is closed without CONNACK; with --mqtt-refusal connack it gets reason 0x87', async () => {
    const inactive = await issueDevice('INACTIVE');
    const closed = await tryConnect(deviceOptions(port, chain, inactive, { protocolVersion: 5 }));
    assert.equal(closed.closedWithoutConnack, true);
    const debugServer = await startServer(env, ['--mqtt-refusal', 'connack']);
    try {
      const refused = await tryConnect(
        deviceOptions(debugServer.mqttPort as number, chain, inactive, { protocolVersion: 5 }),
      );
      assert.equal(refused.refusedWith, 0x87);
    } finally {
      await debugServer.stop();
    }
  });
});

describe('mosquitto_pub / mosquitto_sub', () => {
  test('an issued certificate subscribes and publishes; an INACTIVE one is refused', async () => {
    const active = await writeDevice(await issueDevice('ACTIVE'), 'mosquitto-active');
    const tls = (files: { cert: string; key: string }) => [
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '--cafile',
      join(home, 'chain.pem'),
      '--tls-alpn',
      'x-amzn-mqtt-ca',
      '--cert',
      files.cert,
      '--key',
      files.key,
    ];
    const subscriber = mosquittoSub([...tls(active), '-t', 'fleet/mosquitto', '-C', '1', '-i', 'sub-1']);
    await subscriber.subscribed;
    const published = await runTool('mosquitto_pub', [
      ...tls(active),
      '-t',
      'fleet/mosquitto',
      '-m',
      'hello',
      '-q',
      '1',
      '-i',
      'pub-1',
    ]);
    assert.equal(published.code, 0, published.stderr);
    const received = await subscriber.done;
    assert.equal(received.code, 0, received.stderr);
    assert.equal(received.stdout, 'hello\n');

    const subscriber5 = mosquittoSub([
      ...tls(active),
      '-V',
      'mqttv5',
      '-t',
      'fleet/mosquitto5',
      '-C',
      '1',
      '-i',
      'sub-5',
    ]);
    await subscriber5.subscribed;
    const published5 = await runTool('mosquitto_pub', [
      ...tls(active),
      '-V',
      'mqttv5',
      '-t',
      'fleet/mosquitto5',
      '-m',
      'five',
      '-q',
      '1',
      '-i',
      'pub-5',
    ]);
    assert.equal(published5.code, 0, published5.stderr);
    assert.equal((await subscriber5.done).stdout, 'five\n', 'and over MQTT 5');

    const inactive = await writeDevice(await issueDevice('INACTIVE'), 'mosquitto-inactive');
    const refused = await runTool('mosquitto_pub', [
      ...tls(inactive),
      '-t',
      'fleet/mosquitto',
      '-m',
      'x',
      '-i',
      'pub-2',
    ]);
    assert.notEqual(refused.code, 0, 'mosquitto_pub fails');
  });
});

describe('--mqtt-refusal connack', () => {
  test('a refused certificate gets CONNACK 5 (not authorized) instead of a bare close', async () => {
    const debugServer = await startServer(env, ['--mqtt-refusal', 'connack']);
    try {
      const outcome = await tryConnect(
        deviceOptions(debugServer.mqttPort as number, chain, await issueDevice('INACTIVE')),
      );
      assert.equal(outcome.refusedWith, 5);
    } finally {
      await debugServer.stop();
    }
  });
});

test('the device endpoint serves fleetca CA-issued TLS: the server certificate verifies against the exported chain', async () => {
  const result = await runTool(
    'openssl',
    [
      's_client',
      '-connect',
      `127.0.0.1:${port}`,
      '-servername',
      'localhost',
      '-CAfile',
      join(home, 'chain.pem'),
      '-verify_return_error',
      '-brief',
      '-alpn',
      'x-amzn-mqtt-ca',
    ],
    '',
  );
  assert.match(result.stdout + result.stderr, /Verification: OK/);
  assert.match(result.stdout + result.stderr, /Peer certificate: CN = localhost/);
});

test('--data-endpoint: DescribeEndpoint sends devices to fleetca (iot:Data-ATS, iot:Data), other types unchanged', async () => {
  const discovering = await startServer(env, ['--data-endpoint', 'mqtt.fleet.example']);
  const client = iotClientFor(discovering, await createAccount(env));
  try {
    for (const endpointType of ['iot:Data-ATS', 'iot:Data']) {
      const described = await client.send(new DescribeEndpointCommand({ endpointType }));
      assert.equal(described.endpointAddress, 'mqtt.fleet.example', endpointType);
    }
    const jobs = await client.send(new DescribeEndpointCommand({ endpointType: 'iot:Jobs' }));
    assert.match(jobs.endpointAddress ?? '', /^a[a-z0-9]{13}\.jobs\.iot\.us-east-1\.amazonaws\.com$/);
  } finally {
    client.destroy();
    assert.equal(await discovering.stop(), 0);
  }
  const refused = await runCli(['serve', '--port', '0', '--mqtt-port', '0', '--data-endpoint', 'not a host'], env);
  assert.equal(refused.code, 252);
  assert.match(refused.stderr, /argument --data-endpoint/);
});

test('--no-mqtt: the REST API only, no device endpoint line', async () => {
  const restOnly = await startServer(env, ['--no-mqtt']);
  try {
    assert.equal(restOnly.mqttPort, undefined);
    assert.doesNotMatch(restOnly.logs(), /mqttUrl":"mqtts/);
  } finally {
    assert.equal(await restOnly.stop(), 0);
  }
});
