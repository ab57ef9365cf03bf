import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eventuallyPasses, settled } from '../helpers/eventually.js';
import { freePort } from '../helpers/free-port.js';
import { type IssuedDevice, issueDevice } from '../helpers/issued-device.js';
import { cliEnv, initialisedHome, runCli, runTool } from '../helpers/run-cli.js';
import { TestPki } from '../helpers/test-pki.js';

/** Debian installs the broker in /usr/sbin, which a non-root PATH may lack. */
const MOSQUITTO = existsSync('/usr/sbin/mosquitto') ? '/usr/sbin/mosquitto' : 'mosquitto';

/**
 * The README's Mosquitto recipe, run for real: a private Mosquitto with a TLS listener that requires client
 * certificates from fleetca's chain and checks them against `fleetca ca crl --pem`. A revocation reaches it when
 * the CRL file is written again and Mosquitto reloads it on SIGHUP; connections are checked at their handshake.
 */
describe('Mosquitto refuses a revoked device through fleetca ca crl', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let broker: ChildProcess | undefined;
  let brokerLog = '';
  let port: number;
  let serverCaFile: string;
  const crlFile = () => join(home, 'fleetca-crl.pem');
  const devices: Record<string, IssuedDevice> = {};

  const cli = async (...args: string[]) => {
    const run = await runCli(args, env);
    assert.equal(run.code, 0, `fleetca ${args.join(' ')}: ${run.stderr}`);
    return run.stdout;
  };
  const publish = (device: { certFile: string; keyFile: string }) =>
    runTool('mosquitto_pub', [
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '--cafile',
      serverCaFile,
      // The test broker's certificate names no host; the client certificate is what is under test.
      '--insecure',
      '--cert',
      device.certFile,
      '--key',
      device.keyFile,
      '-i',
      `crl-test-${Math.random().toString(16).slice(2)}`,
      '-t',
      'fleet/telemetry',
      '-m',
      'hello',
    ]);

  before(async () => {
    home = await initialisedHome('fleetca-mosquitto-crl-');
    env = cliEnv(home);
    for (const name of ['kept', 'revoked']) devices[name] = await issueDevice(env, home, name);
    const chainFile = join(home, 'fleetca-chain.pem');
    await writeFile(chainFile, await cli('ca', 'export'));
    await cli('ca', 'crl', '--pem', '--out', crlFile());
    const pki = new TestPki(home);
    const serverCa = pki.ca('broker-ca');
    const serverCert = pki.leaf('broker', serverCa, '/CN=localhost');
    serverCaFile = serverCa.certFile;
    port = await freePort();
    const config = join(home, 'mosquitto.conf');
    await writeFile(
      config,
      [
        // Started as root, Mosquitto would switch to the user "mosquitto", who cannot read this test's files.
        `user ${userInfo().username}`,
        'persistence false',
        'log_dest stderr',
        'log_type all',
        `listener ${port} 127.0.0.1`,
        `cafile ${chainFile}`,
        `certfile ${serverCert.certFile}`,
        `keyfile ${serverCert.keyFile}`,
        'require_certificate true',
        'use_identity_as_username true',
        `crlfile ${crlFile()}`,
        '',
      ].join('\n'),
    );
    broker = spawn(MOSQUITTO, ['-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    const started = new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        brokerLog += chunk.toString();
        if (/running/.test(brokerLog)) resolve();
      };
      broker?.stdout?.on('data', onData);
      broker?.stderr?.on('data', onData);
      broker?.once('exit', (code) => reject(new Error(`mosquitto exited with ${code}: ${brokerLog}`)));
    });
    await settled('mosquitto starts', started);
  });

  after(() => {
    broker?.kill('SIGKILL');
  });

  test('an ACTIVE device connects; after revocation, a new CRL file and SIGHUP, it is refused and the other is not', async () => {
    for (const device of Object.values(devices)) {
      const sent = await publish(device);
      assert.equal(sent.code, 0, `before revocation: ${sent.stderr}\n${brokerLog}`);
    }
    await cli(
      'iot',
      'update-certificate',
      '--certificate-id',
      devices.revoked?.id as string,
      '--new-status',
      'REVOKED',
    );
    // A CRL's times are whole seconds and OpenSSL keeps the newest it has of an issuer: let a second pass.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await cli('ca', 'crl', '--pem', '--out', crlFile());
    const listed = await runTool('openssl', ['crl', '-in', crlFile(), '-noout', '-text']);
    assert.match(listed.stdout, /Serial Number:/, 'the new CRL lists the revoked certificate');
    const reloadsBefore = (brokerLog.match(/Reloading config/g) ?? []).length;
    broker?.kill('SIGHUP');
    await eventuallyPasses('mosquitto reloads its configuration', () => {
      assert.ok((brokerLog.match(/Reloading config/g) ?? []).length > reloadsBefore, brokerLog);
    });
    await eventuallyPasses('the revoked device is refused at its handshake', async () => {
      const refused = await publish(devices.revoked as { certFile: string; keyFile: string });
      assert.notEqual(refused.code, 0, 'the revoked device must not connect');
    });
    const kept = await publish(devices.kept as { certFile: string; keyFile: string });
    assert.equal(kept.code, 0, `the other device still connects: ${kept.stderr}\n${brokerLog}`);
    assert.match(brokerLog, /certificate revoked|OpenSSL Error/i, 'mosquitto says why it refused');
  });
});
