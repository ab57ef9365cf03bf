/**
 * `fleetca fleet <operation>` against the real `fleetca serve` (signed, remote) and on the data directory (local):
 * a device connected over mTLS is listed by ListDeviceConnections until it disconnects, DescribeCertificateChain
 * answers alike in both modes, and help and bad input behave as `fleetca iot`'s do.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CreateKeysAndCertificateCommand, type IoTClient } from '@aws-sdk/client-iot';
import type { MqttClient } from 'mqtt';
import { allowAll } from '../helpers/device-policies.js';
import { eventuallyPasses } from '../helpers/eventually.js';
import {
  type AccountCredentials,
  createAccount,
  iotClientFor,
  type RunningServer,
  startServer,
} from '../helpers/fleetca-server.js';
import { type DeviceIdentity, deviceOptions, tryConnect } from '../helpers/mqtt-devices.js';
import { type CliResult, cliEnv, runCli, tempHome } from '../helpers/run-cli.js';

interface Connection {
  clientId: string;
  certificateId: string;
  connectedAt: string;
  remoteAddress: string;
  protocolVersion: string;
  cleanSession: boolean;
  keepAlive: number;
}
interface Listing {
  connections: Connection[];
  total: number;
}

let env: NodeJS.ProcessEnv;
let server: RunningServer;
let owner: AccountCredentials;
let stranger: AccountCredentials;
let iot: IoTClient;
let chain: string;

before(async () => {
  env = cliEnv(await tempHome('fleetca-fleet-'));
  server = await startServer(env);
  // The data directory's own account, which the local CLI acts in.
  const config = JSON.parse(await readFile(join(env.FLEETCA_HOME as string, 'config.json'), 'utf8'));
  owner = await createAccount(env, config.accountId);
  stranger = await createAccount(env, '210987654321');
  iot = iotClientFor(server, owner);
  chain = (await runCli(['ca', 'export'], env)).stdout;
});

after(async () => {
  iot.destroy();
  assert.equal(await server.stop(), 0);
});

/** The environment of a CLI signing with an account's access key. */
function remoteEnv(credentials = owner): NodeJS.ProcessEnv {
  return {
    ...env,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
  };
}

/** `fleetca fleet ...` signed with an account's access key, against the server. */
function remote(args: readonly string[], credentials = owner): Promise<CliResult> {
  return runCli(['fleet', ...args, '--endpoint-url', server.url], remoteEnv(credentials));
}

/** `fleetca fleet ...` on the data directory, in the owner's account (the data directory's default). */
function local(args: readonly string[]): Promise<CliResult> {
  return runCli(['fleet', ...args, '--region', 'us-east-1'], env);
}

function parsed<T>(result: CliResult): T {
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as T;
}

async function issueDevice(): Promise<DeviceIdentity & { id: string }> {
  const created = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
  await allowAll(iot, created.certificateArn as string);
  return {
    id: created.certificateId as string,
    certificatePem: created.certificatePem as string,
    privateKey: created.keyPair?.PrivateKey as string,
  };
}

async function connectDevice(device: DeviceIdentity, clientId: string, protocolVersion: 4 | 5): Promise<MqttClient> {
  const outcome = await tryConnect(
    deviceOptions(server.mqttPort as number, chain, device, { clientId, protocolVersion, keepalive: 45, clean: true }),
  );
  assert.ok(outcome.client, `${clientId} connected`);
  return outcome.client;
}

describe('fleetca fleet list-device-connections (remote, signed)', () => {
  test('a connected device is listed with what it connected with, only in its account, and gone after it leaves', async () => {
    const device = await issueDevice();
    const started = Date.now();
    const first = await connectDevice(device, 'fleet-thermostat-1', 4);
    const second = await connectDevice(device, 'fleet-thermostat-2', 5);
    try {
      const listing = parsed<Listing>(await remote(['list-device-connections']));
      assert.equal(listing.total, 2);
      const [one, two] = listing.connections as [Connection, Connection];
      assert.deepEqual(
        { ...one, connectedAt: undefined },
        {
          clientId: 'fleet-thermostat-1',
          certificateId: device.id,
          connectedAt: undefined,
          remoteAddress: '127.0.0.1',
          protocolVersion: '3.1.1',
          cleanSession: true,
          keepAlive: 45,
        },
      );
      assert.equal(two.clientId, 'fleet-thermostat-2');
      assert.equal(two.protocolVersion, '5');
      // The CLI prints timestamps as the AWS CLI does (ISO 8601); admitted after the test started.
      assert.ok(Date.parse(one.connectedAt) >= Math.floor(started / 1000) * 1000, one.connectedAt);

      // --page-size turns the CLI's own paging off, as for the IoT lists: one page, with its marker.
      const page = parsed<Listing & { nextMarker?: string }>(
        await remote(['list-device-connections', '--page-size', '1']),
      );
      assert.deepEqual(
        page.connections.map((c) => c.clientId),
        ['fleet-thermostat-1'],
      );
      assert.ok(page.nextMarker);
      const next = parsed<Listing & { nextMarker?: string }>(
        await remote(['list-device-connections', '--page-size', '1', '--marker', page.nextMarker]),
      );
      assert.deepEqual([next.connections.map((c) => c.clientId), next.nextMarker], [['fleet-thermostat-2'], undefined]);
      const filtered = parsed<Listing>(
        await remote(['list-device-connections', '--certificate-id', 'f'.repeat(64), '--output', 'json']),
      );
      assert.deepEqual(filtered, { connections: [], total: 2 });
      const text = await remote(['list-device-connections', '--query', 'connections[].clientId', '--output', 'text']);
      assert.equal(text.stdout, 'fleet-thermostat-1\tfleet-thermostat-2\n');

      assert.deepEqual(parsed<Listing>(await remote(['list-device-connections'], stranger)), {
        connections: [],
        total: 0,
      });
    } finally {
      await first.endAsync();
    }
    await eventuallyPasses('the first device is no longer listed', async () => {
      const listing = parsed<Listing>(await remote(['list-device-connections']));
      assert.deepEqual(
        listing.connections.map((c) => c.clientId),
        ['fleet-thermostat-2'],
      );
      assert.equal(listing.total, 1);
    });
    await second.endAsync();
    await eventuallyPasses('no device is listed', async () => {
      assert.deepEqual(parsed<Listing>(await remote(['list-device-connections'])), { connections: [], total: 0 });
    });
  });

  test('locally there is no device door: InvalidRequestException, exit 254, pointing at --endpoint-url', async () => {
    const result = await local(['list-device-connections']);
    assert.equal(result.code, 254);
    assert.ok(
      result.stderr.endsWith(
        'An error occurred (InvalidRequestException) when calling the ListDeviceConnections operation: Device ' +
          'connections are known only to a running fleetca serve with its device endpoint: ask it with ' +
          '--endpoint-url and its REST URL.\n',
      ),
      result.stderr,
    );
  });

  test('a server without its device endpoint says so', async () => {
    const restOnly = await startServer(env, ['--no-mqtt', '--key-pool-size', '0']);
    try {
      const result = await runCli(['fleet', 'list-device-connections', '--endpoint-url', restOnly.url], remoteEnv());
      assert.equal(result.code, 254);
      assert.match(result.stderr, /\(InvalidRequestException\) .*: The device endpoint is not enabled on this server/);
    } finally {
      assert.equal(await restOnly.stop(), 0);
    }
  });
});

describe('fleetca fleet describe-certificate-chain', () => {
  test('remote and local give the same verified chain: the certificate, the issuing CA, the root', async () => {
    const device = await issueDevice();
    type Described = { chain: { role: string; certificatePem: string }[]; verification: unknown };
    const remotely = parsed<Described>(await remote(['describe-certificate-chain', '--certificate-id', device.id]));
    const locally = parsed<Described>(await local(['describe-certificate-chain', '--certificate-id', device.id]));
    assert.deepEqual(locally, remotely);
    assert.deepEqual(remotely.verification, { valid: true, problems: [] });
    assert.deepEqual(
      remotely.chain.map((entry) => entry.role),
      ['certificate', 'issuing-ca', 'root-ca'],
    );
    assert.equal(remotely.chain[0]?.certificatePem, device.certificatePem);
    assert.equal(
      remotely.chain
        .slice(1)
        .map((entry) => entry.certificatePem)
        .join(''),
      chain,
    );
    // Another account does not see it.
    const elsewhere = await remote(['describe-certificate-chain', '--certificate-id', device.id], stranger);
    assert.equal(elsewhere.code, 254);
  });

  test('bad input: exit codes and messages as fleetca iot has them (252 before any call, 254 from the service)', async () => {
    const unknownId = 'e'.repeat(64);
    for (const run of [remote, local]) {
      const iot = (args: string[]) =>
        run === remote
          ? runCli(['iot', ...args, '--endpoint-url', server.url], remoteEnv())
          : runCli(['iot', ...args, '--region', 'us-east-1'], env);
      const malformed = await run(['describe-certificate-chain', '--certificate-id', 'abc']);
      const iotMalformed = await iot(['describe-certificate', '--certificate-id', 'abc']);
      assert.deepEqual([malformed.code, iotMalformed.code], [252, 252]);
      assert.equal(malformed.stderr, iotMalformed.stderr);
      assert.match(malformed.stderr, /Invalid length for parameter certificateId, value: 3, valid min length: 64/);
      const unknown = await run(['describe-certificate-chain', '--certificate-id', unknownId]);
      const iotUnknown = await iot(['describe-certificate', '--certificate-id', unknownId]);
      assert.equal(unknown.code, 254);
      assert.equal(iotUnknown.code, 254);
      assert.equal(unknown.stderr, iotUnknown.stderr.replace('DescribeCertificate ', 'DescribeCertificateChain '));
      assert.match(unknown.stderr, /\(ResourceNotFoundException\) when calling the DescribeCertificateChain operation/);
      const missing = await run(['describe-certificate-chain']);
      assert.equal(missing.code, 252);
      assert.match(missing.stderr, /the following arguments are required: --certificate-id/);
    }
  });
});

describe('fleetca fleet help', () => {
  test('lists its operations; each operation has its page; fleetca help lists fleet', async () => {
    const help = await runCli(['fleet', 'help'], env);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^NAME\n {7}fleet - fleetca's own operations/);
    for (const name of ['describe-certificate-chain', 'list-device-connections', 'help']) {
      assert.ok(help.stdout.includes(`       o ${name}\n`), name);
    }
    assert.equal((await runCli(['fleet', '--help'], env)).stdout, help.stdout);
    const page = await runCli(['fleet', 'list-device-connections', 'help'], env);
    for (const expected of [
      'NAME\n       list-device-connections - Lists the devices connected to',
      'list-device-connections is a paginated operation.',
      '[--certificate-id <value>]',
      'EXAMPLES',
      'fleetca fleet list-device-connections --endpoint-url http://127.0.0.1:8080',
      'OUTPUT\n       connections -> (list)',
      '          protocolVersion -> (string)',
    ]) {
      assert.ok(page.stdout.includes(expected), `missing ${JSON.stringify(expected)}`);
    }
    const top = await runCli(['help'], env);
    assert.ok(top.stdout.includes('       o fleet\n'));
    const bogus = await runCli(['fleet', 'bogus'], env);
    assert.equal(bogus.code, 252);
    assert.match(bogus.stderr, /argument operation: Found invalid choice 'bogus'/);
  });
});
