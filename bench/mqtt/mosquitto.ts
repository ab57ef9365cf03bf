/**
 * A private Mosquitto for the comparison, on a free loopback port: clients must present a certificate from
 * fleetca's CA (`require_certificate`, `cafile` = `fleetca ca export`), any such certificate is accepted (no
 * ACL), no connection limit. Its own server certificate is a self-signed ECDSA P-256 one made with openssl, the
 * key type fleetca's device door serves to clients that prefer ECDSA (as Node's do), so both handshakes cost the
 * same kind of signature.
 */

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../servers.js';

const execFileAsync = promisify(execFile);
export const MOSQUITTO_BIN = '/usr/sbin/mosquitto';

export interface PrivateMosquitto {
  readonly port: number;
  readonly pid: number;
  /** The self-signed server certificate: what clients verify Mosquitto with. */
  readonly serverCertPem: string;
  readonly version: string;
  readonly logFile: string;
  stop(): Promise<void>;
}

export async function mosquittoVersion(): Promise<string> {
  const run = await execFileAsync(MOSQUITTO_BIN, ['-h']).catch((err: { stdout?: string }) => err);
  return /mosquitto version (\S+)/.exec(String(run.stdout ?? ''))?.[1] ?? 'unknown';
}

export async function startMosquitto(dir: string, caChainPem: string): Promise<PrivateMosquitto> {
  const caFile = join(dir, 'mosquitto-ca.pem');
  const certFile = join(dir, 'mosquitto-server.pem');
  const keyFile = join(dir, 'mosquitto-server.key');
  writeFileSync(caFile, caChainPem);
  await execFileAsync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout',
    keyFile,
    '-out',
    certFile,
  ]);
  const port = await freePort();
  const config = join(dir, 'mosquitto.conf');
  const logFile = join(dir, 'mosquitto.log');
  writeFileSync(
    config,
    [
      'per_listener_settings false',
      'allow_anonymous true',
      'persistence false',
      // Started as root, Mosquitto would switch to the mosquitto user and lose the key file.
      'user root',
      `log_dest file ${logFile}`,
      'log_type error',
      'log_type warning',
      `listener ${port} 127.0.0.1`,
      'max_connections -1',
      'require_certificate true',
      `cafile ${caFile}`,
      `certfile ${certFile}`,
      `keyfile ${keyFile}`,
      '',
    ].join('\n'),
  );
  const out = openSync(join(dir, 'mosquitto.out'), 'w');
  const child: ChildProcess = spawn(MOSQUITTO_BIN, ['-c', config], { stdio: ['ignore', out, out] });
  closeSync(out);
  const deadline = Date.now() + 10_000;
  while (!(await listening(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`mosquitto did not listen on ${port} (see ${logFile})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    port,
    pid: child.pid as number,
    serverCertPem: await readFile(certFile, 'utf8'),
    version: await mosquittoVersion(),
    logFile,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
