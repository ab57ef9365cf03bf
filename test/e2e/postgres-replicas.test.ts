import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  AttachPolicyCommand,
  CreateKeysAndCertificateCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  DescribeCertificateCommand,
  DescribeThingCommand,
  type IoTClient,
  ListCertificatesCommand,
  ListThingPrincipalsCommand,
  UpdateCertificateCommand,
} from '@aws-sdk/client-iot';
import { openRegistry } from '../../src/registry/open-registry.js';
import type { RegistryChange } from '../../src/registry/registry-changes.js';
import { ALLOW_ALL_POLICY, allowAll } from '../helpers/device-policies.js';
import { eventually, settled } from '../helpers/eventually.js';
import {
  checkKeysAndCertificate,
  createClaim,
  createFleetTemplate,
  decodeAnswer,
  encodeRequest,
  ProvisioningConnection,
  topics,
} from '../helpers/fleet-provisioning.js';
import {
  type AccountCredentials,
  createAccount,
  iotClientFor,
  type RunningServer,
  startServer,
} from '../helpers/fleetca-server.js';
import { closedAt, deviceOptions, tryConnect } from '../helpers/mqtt-devices.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';
import { freshSchema, type PgTestSchema } from '../registry/postgres/postgres-fixtures.js';

/** Every file under `dir` with its size and modification time, to show nothing was written there. */
async function snapshot(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  const lines = await Promise.all(
    entries.map(async (name) => {
      const info = await stat(join(dir, name));
      return `${name} ${info.size} ${info.mtimeMs} ${(info.mode & 0o777).toString(8)}`;
    }),
  );
  return lines.sort();
}

describe('several fleetca serve replicas on one PostgreSQL', () => {
  let schema: PgTestSchema;
  let env: NodeJS.ProcessEnv;
  let credentials: AccountCredentials;
  let a: RunningServer;
  let b: RunningServer;
  let iotA: IoTClient;
  let iotB: IoTClient;
  let dataDirBefore: string[];

  before(async () => {
    schema = await freshSchema();
    // One data directory (config and CA) for all replicas, as a mounted secret would be.
    env = cliEnv(await tempHome('fleetca-replicas-'), { FLEETCA_STORE: schema.url });
    credentials = await createAccount(env, '111122223333');
    dataDirBefore = await snapshot(env.FLEETCA_HOME ?? '');
    [a, b] = await Promise.all([startServer(env), startServer(env)]);
    iotA = iotClientFor(a, credentials);
    iotB = iotClientFor(b, credentials);
  });

  after(async () => {
    iotA.destroy();
    iotB.destroy();
    await Promise.all([a?.stop(), b?.stop()]);
    await schema?.cleanup();
  });

  test('a device connected to one replica is dropped when another replica deactivates it', async (t) => {
    const created = await iotA.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    await allowAll(iotA, created.certificateArn as string);
    const chain = (await runCli(['ca', 'export'], env)).stdout;
    const device = {
      certificatePem: created.certificatePem as string,
      privateKey: created.keyPair?.PrivateKey as string,
    };
    const { client } = await tryConnect(deviceOptions(a.mqttPort as number, chain, device));
    assert.ok(client, 'admitted by replica A');
    const closed = closedAt(client);
    assert.equal(client.connected, true);
    await iotB.send(new UpdateCertificateCommand({ certificateId: created.certificateId, newStatus: 'INACTIVE' }));
    const answeredAt = Date.now();
    const afterMs = (await settled('the session on A dropped', closed)) - answeredAt;
    t.diagnostic(`dropped by replica A ${afterMs} ms after replica B answered UpdateCertificate`);
    client.end(true);
    const refused = await tryConnect(deviceOptions(b.mqttPort as number, chain, device));
    assert.equal(refused.closedWithoutConnack, true, 'and refused by B');
  });

  test('a policy change on one replica re-decides a device session on another within one second', async (t) => {
    const created = await iotA.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    const policyName = 'replicated-policy';
    await iotA.send(new CreatePolicyCommand({ policyName, policyDocument: ALLOW_ALL_POLICY }));
    await iotA.send(new AttachPolicyCommand({ policyName, target: created.certificateArn }));
    const chain = (await runCli(['ca', 'export'], env)).stdout;
    const device = {
      certificatePem: created.certificatePem as string,
      privateKey: created.keyPair?.PrivateKey as string,
    };
    const { client } = await tryConnect(deviceOptions(a.mqttPort as number, chain, device, { protocolVersion: 5 }));
    assert.ok(client, 'admitted by replica A');
    assert.equal(await client.publishAsync('telemetry/a', 'x', { qos: 1 }).then(() => 0), 0);
    const closed = closedAt(client);
    const reason = new Promise<number | undefined>((resolve) =>
      client.once('disconnect', (p) => resolve(p.reasonCode)),
    );
    // Through B: a new default version that no longer allows iot:Connect.
    const denyConnect = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: '*' }],
    });
    await iotB.send(new CreatePolicyVersionCommand({ policyName, policyDocument: denyConnect, setAsDefault: true }));
    const answeredAt = Date.now();
    const afterMs = (await settled('the session on A re-decided', closed)) - answeredAt;
    t.diagnostic(`replica A ended the session ${afterMs} ms after replica B answered CreatePolicyVersion`);
    assert.ok(afterMs < 1000, `${afterMs} ms`);
    assert.equal(await reason, 0x87);
    client.end(true);
  });

  test('fleet provisioning on PostgreSQL: a claim made through B provisions a device on A; B sees the thing', async () => {
    const chain = (await runCli(['ca', 'export'], env)).stdout;
    await createFleetTemplate(iotB, 'replicated');
    const claim = await createClaim(iotB, 'replicated');
    const connection = await ProvisioningConnection.connect(a.mqttPort as number, chain, claim);
    try {
      await connection.subscribeAnswers(topics.create('cbor'));
      await connection.subscribeAnswers(topics.registerThing('replicated', 'cbor'));
      const created = await connection.request(topics.create('cbor'), encodeRequest('cbor', {}));
      assert.equal(created.outcome, 'accepted');
      const keys = checkKeysAndCertificate(decodeAnswer('cbor', created.payload));
      const registered = await connection.request(
        topics.registerThing('replicated', 'cbor'),
        encodeRequest('cbor', {
          certificateOwnershipToken: keys.certificateOwnershipToken,
          parameters: { SerialNumber: 'PG1' },
        }),
      );
      assert.equal(registered.outcome, 'accepted', JSON.stringify(decodeAnswer('cbor', registered.payload)));
      const thing = await iotB.send(new DescribeThingCommand({ thingName: 'device-PG1' }));
      assert.equal(thing.thingName, 'device-PG1');
      const principals = await iotB.send(new ListThingPrincipalsCommand({ thingName: 'device-PG1' }));
      assert.deepEqual(principals.principals, [`arn:aws:iot:us-east-1:111122223333:cert/${keys.certificateId}`]);
      const described = await iotB.send(new DescribeCertificateCommand({ certificateId: keys.certificateId }));
      assert.equal(described.certificateDescription?.status, 'ACTIVE');
    } finally {
      await connection.end();
    }
  });

  test('a certificate created through one replica is visible through the other at once', async () => {
    const created = await iotA.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    const described = await iotB.send(new DescribeCertificateCommand({ certificateId: created.certificateId }));
    assert.equal(described.certificateDescription?.certificatePem, created.certificatePem);
    assert.equal(described.certificateDescription?.status, 'ACTIVE');
    const listed = await iotB.send(new ListCertificatesCommand({}));
    assert.ok(listed.certificates?.some((c) => c.certificateId === created.certificateId));
  });

  test('every replica issues with the same CA', async () => {
    const [fromA, fromB] = await Promise.all([
      iotA.send(new CreateKeysAndCertificateCommand({})),
      iotB.send(new CreateKeysAndCertificateCommand({})),
    ]);
    const [certA, certB] = [fromA, fromB].map((created) => new X509Certificate(created.certificatePem ?? ''));
    assert.equal(certA?.issuer, certB?.issuer);
    const chain = await runCli(['ca', 'export'], env);
    // The chain starts with the issuing CA.
    const issuing = new X509Certificate(chain.stdout);
    assert.ok(certA?.verify(issuing.publicKey) && certB?.verify(issuing.publicKey));
  });

  test('a status change made through one replica reaches every process on the database', async (t) => {
    const created = await iotA.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    const watcher = await openRegistry({ engine: 'postgres', url: schema.url }, { watchChanges: true });
    try {
      const heard: { change: RegistryChange; at: number }[] = [];
      watcher.changes.subscribe((change) => heard.push({ change, at: Date.now() }));
      const sent = Date.now();
      await iotB.send(new UpdateCertificateCommand({ certificateId: created.certificateId, newStatus: 'REVOKED' }));
      await eventually('the change heard', () => heard.length > 0);
      assert.deepEqual(heard[0]?.change, {
        kind: 'certificate',
        accountId: credentials.accountId,
        region: 'us-east-1',
        certificateId: created.certificateId,
        status: 'REVOKED',
      });
      const tookMs = (heard[0]?.at ?? Number.POSITIVE_INFINITY) - sent;
      t.diagnostic(`heard ${tookMs} ms after the UpdateCertificate request was sent`);
      const onA = await iotA.send(new DescribeCertificateCommand({ certificateId: created.certificateId }));
      assert.equal(onA.certificateDescription?.status, 'REVOKED');
    } finally {
      await watcher.close();
    }
  });

  test('replicas only read the shared data directory: config.json and the CA, no registry file', async () => {
    await iotA.send(new CreateKeysAndCertificateCommand({}));
    const now = await snapshot(env.FLEETCA_HOME ?? '');
    assert.deepEqual(now, dataDirBefore);
    assert.deepEqual(
      now.map((line) => line.split(' ')[0]),
      ['ca', 'ca/issuing-ca.crt', 'ca/issuing-ca.key', 'ca/root-ca.crt', 'ca/root-ca.key', 'config.json'],
    );
  });

  test('an access key deleted with fleetca admin is refused by every replica', async (t) => {
    const run = await runCli(['admin', 'create-access-key', '--account-id', credentials.accountId], env);
    assert.equal(run.code, 0, run.stderr);
    const second = { ...credentials, ...(JSON.parse(run.stdout) as { accessKeyId: string; secretAccessKey: string }) };
    const clients = [iotClientFor(a, second), iotClientFor(b, second)];
    try {
      // Both replicas have now looked the key up (and keep it).
      for (const client of clients) await client.send(new ListCertificatesCommand({ pageSize: 1 }));
      const deleted = await runCli(['admin', 'delete-access-key', '--access-key-id', second.accessKeyId], env);
      assert.equal(deleted.code, 0, deleted.stderr);
      for (const client of clients) {
        const tookMs = await eventually('the deleted key refused', () =>
          client.send(new ListCertificatesCommand({ pageSize: 1 })).then(
            () => false,
            (error: { name?: string }) => error.name === 'UnrecognizedClientException',
          ),
        );
        t.diagnostic(`refused ${tookMs.toFixed(0)} ms after fleetca admin delete-access-key returned`);
      }
    } finally {
      for (const client of clients) client.destroy();
    }
  });
});
