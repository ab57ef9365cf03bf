import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { IoTClient } from '@aws-sdk/client-iot';
import type { MqttClient } from 'mqtt';
import {
  allowedDevice,
  clusterArgs,
  clusterConnected,
  clusterHealth,
  collect,
  connectTo,
  uniqueClusterName,
} from '../helpers/cluster-replicas.js';
import { eventually, eventuallyPasses } from '../helpers/eventually.js';
import { createAccount, iotClientFor, type RunningServer, startServer } from '../helpers/fleetca-server.js';
import { type PrivateNats, privateNats } from '../helpers/nats-server.js';
import { cliEnv, initialisedHome, runCli, runTool, tempHome } from '../helpers/run-cli.js';
import { freshSchema, type PgTestSchema } from '../registry/postgres/postgres-fixtures.js';

/** Characters a URL must escape, so that the test also checks they are decoded. */
const PASSWORD = 'n@ts pass/1';

interface NatsPki {
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
}

/** A CA, a NATS server certificate for 127.0.0.1 and a client certificate (EC P-256 PEM files in `dir`). */
async function natsPki(dir: string): Promise<NatsPki> {
  const file = (name: string) => join(dir, name);
  const openssl = async (...args: string[]) => {
    const result = await runTool('openssl', args);
    assert.equal(result.code, 0, result.stderr);
  };
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  await openssl(
    'req',
    '-x509',
    ...newKey,
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
    '-subj',
    '/CN=nats test CA',
    '-days',
    '2',
  );
  // The NATS client checks a server given by IP address under the name localhost.
  for (const [name, extensions] of [
    ['server', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n'],
    ['client', 'extendedKeyUsage=clientAuth\n'],
  ] as const) {
    await writeFile(file(`${name}.ext`), extensions);
    await openssl(
      'req',
      '-new',
      ...newKey,
      '-keyout',
      file(`${name}.key`),
      '-out',
      file(`${name}.csr`),
      '-subj',
      `/CN=${name}`,
    );
    await openssl(
      'x509',
      '-req',
      '-in',
      file(`${name}.csr`),
      '-CA',
      file('ca.pem'),
      '-CAkey',
      file('ca.key'),
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      file(`${name}.ext`),
      '-out',
      file(`${name}.pem`),
    );
  }
  return {
    ca: file('ca.pem'),
    serverCert: file('server.pem'),
    serverKey: file('server.key'),
    clientCert: file('client.pem'),
    clientKey: file('client.key'),
  };
}

/** Adds `cluster` to the data directory's config.json. */
async function configureCluster(home: string, cluster: unknown): Promise<void> {
  const configFile = join(home, 'fleetca', 'config.json');
  const config = JSON.parse(await readFile(configFile, 'utf8'));
  await writeFile(configFile, JSON.stringify({ ...config, cluster }));
}

/**
 * Replicas on a NATS that requires TLS with client certificates and a user's password: the password comes in the
 * URL (never logged or reported), the TLS files from config.json; what cannot work is said plainly.
 */
describe('fleetca serve replicas on a NATS with TLS and a password', () => {
  let schema: PgTestSchema;
  let pki: NatsPki;
  let nats: PrivateNats;
  let home: string;
  let env: NodeJS.ProcessEnv;
  let port: string;
  let a: RunningServer;
  let b: RunningServer;
  let iot: IoTClient;
  let chain: string;
  const clients: MqttClient[] = [];
  const others: RunningServer[] = [];

  before(async () => {
    schema = await freshSchema();
    pki = await natsPki(await tempHome('fleetca-nats-pki-'));
    nats = await privateNats([
      '--tls',
      '--tlscert',
      pki.serverCert,
      '--tlskey',
      pki.serverKey,
      '--tlsverify',
      '--tlscacert',
      pki.ca,
      '--user',
      'fleet',
      '--pass',
      PASSWORD,
    ]);
    await nats.start();
    port = new URL(nats.url).port;
    home = await initialisedHome('fleetca-cluster-tls-');
    env = cliEnv(home, { FLEETCA_STORE: schema.url });
    await configureCluster(home, {
      servers: [`tls://fleet:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}`],
      name: uniqueClusterName(),
      tls: { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey },
    });
    const credentials = await createAccount(env, '444455556666');
    [a, b] = await Promise.all([startServer(env), startServer(env)]);
    iot = iotClientFor(a, credentials);
    chain = (await runCli(['ca', 'export'], env)).stdout;
  });

  after(async () => {
    for (const client of clients) client.end(true);
    iot?.destroy();
    await Promise.all([a?.stop(), b?.stop(), ...others.map((server) => server.stop())]);
    await nats?.stop();
    await schema?.cleanup();
  });

  test('a message published on A reaches a subscriber on B through TLS and the password', async () => {
    await eventuallyPasses('both replicas on NATS', () => clusterConnected(a, b));
    const subscriber = await connectTo(b, chain, await allowedDevice(iot));
    clients.push(subscriber);
    const received = collect(subscriber);
    await subscriber.subscribeAsync('secure/+', { qos: 1 });
    const publisher = await connectTo(a, chain, await allowedDevice(iot));
    clients.push(publisher);
    await eventually('the message crosses', async () => {
      await publisher.publishAsync('secure/one', 'over tls', { qos: 1 });
      return received.some((message) => message.payload === 'over tls');
    });
  });

  test('a wrong password: the replica serves its devices, says so in health, and never shows a password', async () => {
    const wrong = await startServer(
      env,
      clusterArgs(`tls://fleet:not-${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}`, 'other'),
    );
    others.push(wrong);
    let health = await clusterHealth(wrong);
    await eventually('the failure is reported', async () => {
      health = await clusterHealth(wrong);
      return (health.cluster as { status?: string }).status === 'degraded';
    });
    assert.equal(health.status, 200, 'readiness holds: its own devices are served');
    const device = await connectTo(wrong, chain, await allowedDevice(iot));
    clients.push(device);
    for (const text of [JSON.stringify(health.cluster), wrong.logs(), a.logs()]) {
      assert.ok(!text.includes('pass/1') && !text.includes(encodeURIComponent(PASSWORD)), text);
    }
  });

  test('without the client certificate NATS refuses the replica; it stays up and degraded', async () => {
    const bare = await initialisedHome('fleetca-cluster-no-cert-');
    const bareEnv = cliEnv(bare, { FLEETCA_STORE: schema.url });
    await configureCluster(bare, {
      servers: [`tls://fleet:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}`],
      tls: { ca: pki.ca },
    });
    const server = await startServer(bareEnv);
    others.push(server);
    let cluster: unknown;
    await eventually('the failure is reported', async () => {
      cluster = (await clusterHealth(server)).cluster;
      return (cluster as { status?: string }).status === 'degraded';
    });
    assert.match(JSON.stringify(cluster), /"problem":"[^"]+"/);
  });

  test('TLS files that cannot be read stop serve at start with a plain message', { timeout: 60_000 }, async () => {
    const broken = await initialisedHome('fleetca-cluster-bad-tls-');
    await configureCluster(broken, {
      servers: [`tls://127.0.0.1:${port}`],
      tls: { ca: join(broken, 'missing-ca.pem') },
    });
    const result = await runCli(['serve', '--port', '0', '--mqtt-port', '0'], cliEnv(broken));
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /cannot read cluster\.tls\.ca .*missing-ca\.pem/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  });

  test('config.json refuses TLS settings it cannot use', { timeout: 60_000 }, async () => {
    const odd = await initialisedHome('fleetca-cluster-odd-tls-');
    for (const [tls, message] of [
      [{ ca: 'relative/ca.pem' }, /cluster\.tls\.ca must be the absolute path of a PEM file/],
      [{ cert: '/etc/fleetca/client.pem' }, /cert and key go together/],
      [{ ca: '/etc/ca.pem', verify: false }, /cluster\.tls has unknown settings: verify/],
    ] as const) {
      await configureCluster(odd, { servers: [`tls://127.0.0.1:${port}`], tls });
      const result = await runCli(['serve', '--port', '0', '--mqtt-port', '0'], cliEnv(odd));
      assert.notEqual(result.code, 0);
      assert.match(result.stderr, message);
    }
  });
});
