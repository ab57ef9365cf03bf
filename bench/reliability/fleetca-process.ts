/**
 * The real `fleetca serve` (and `fleetca admin` / `fleetca ca`) for the reliability parts: any arguments (--tls,
 * a store URL), both doors' URLs, the pid for /proc sampling, and any signal — SIGKILL included. Every server is
 * registered so that a part that throws, or the runner being interrupted, still takes it down.
 */

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../servers.js';
import type { Credentials } from '../sigv4-client.js';

const execFileAsync = promisify(execFile);
const FLEETCA_BIN = join(REPO_ROOT, 'bin', 'fleetca.js');
/** A guard against a server that never starts, not a speed target (a loaded 2-core start has taken 20 s). */
const START_TIMEOUT_MS = 60_000;

/** Where a part's fleetca lives: its home (data directory inside) and, optionally, a registry elsewhere. */
export interface FleetcaHome {
  readonly dir: string;
  /** FLEETCA_STORE (postgres://...); absent: registry.db in the data directory. */
  readonly store?: string;
}

export interface FleetcaServer {
  /** `http(s)://127.0.0.1:port` */
  readonly url: string;
  /** The device endpoint's port, unless started with --no-mqtt. */
  readonly mqttPort?: number;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves when the process has ended, with how. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Whether the process is still running. */
  alive(): boolean;
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();

/** Last resort when a run dies: no server outlives it. */
export function killAllFleetcaNow(): void {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  running.clear();
}

/** Nothing from the machine's AWS settings leaks in, and nothing asks for instance metadata. */
export function fleetcaEnv(home: FleetcaHome): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home.dir,
    TZ: 'UTC',
    FLEETCA_HOME: join(home.dir, 'fleetca'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(home.dir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home.dir, 'no-aws-credentials'),
    ...(home.store ? { FLEETCA_STORE: home.store } : {}),
  };
}

/** Runs the fleetca CLI on `home` and returns its stdout; a non-zero exit is an error carrying its stderr. */
export async function fleetcaCli(home: FleetcaHome, args: readonly string[]): Promise<string> {
  const { stdout } = await execFileAsync(process.execPath, [FLEETCA_BIN, ...args], {
    cwd: REPO_ROOT,
    env: fleetcaEnv(home),
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

/** `fleetca admin create-account`: a new account and its first access key. */
export async function createAccount(home: FleetcaHome, accountId?: string): Promise<Credentials> {
  const stdout = await fleetcaCli(home, ['admin', 'create-account', ...(accountId ? ['--account-id', accountId] : [])]);
  const created = JSON.parse(stdout) as { accessKeyId?: unknown; secretAccessKey?: unknown };
  if (typeof created.accessKeyId !== 'string' || typeof created.secretAccessKey !== 'string') {
    throw new Error(`admin create-account printed no access key: ${stdout}`);
  }
  return { accessKeyId: created.accessKeyId, secretAccessKey: created.secretAccessKey };
}

/** The CA chain (`fleetca ca export`) that verifies the server certificates of --tls and the device endpoint. */
export function caChain(home: FleetcaHome): Promise<string> {
  return fleetcaCli(home, ['ca', 'export']);
}

/**
 * `fleetca serve --port 0` on `home` (MQTT on a free port too unless `args` has --no-mqtt); resolves once it
 * has printed the URLs it serves. Its log is appended to `logName` in the home, so restarts keep one log.
 */
export async function startFleetca(
  home: FleetcaHome,
  args: readonly string[],
  logName: string,
): Promise<FleetcaServer> {
  const logFile = join(home.dir, logName);
  const log = openSync(logFile, 'a');
  const withDevices = !args.includes('--no-mqtt');
  const child = spawn(
    process.execPath,
    [FLEETCA_BIN, 'serve', '--host', '127.0.0.1', '--port', '0', ...(withDevices ? ['--mqtt-port', '0'] : []), ...args],
    { cwd: REPO_ROOT, env: fleetcaEnv(home), stdio: ['ignore', 'pipe', log] },
  );
  closeSync(log);
  running.add(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  const { url, mqttPort } = await new Promise<{ url: string; mqttPort?: number }>((resolve, reject) => {
    let stdout = '';
    let started = false;
    const fail = (why: string) => {
      if (started) return;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`fleetca serve ${why} (log: ${logFile})`));
    };
    const timer = setTimeout(
      () => fail(`did not print its URLs within ${START_TIMEOUT_MS / 1000} s`),
      START_TIMEOUT_MS,
    );
    child.once('error', (err) => fail(`could not start: ${err.message}`));
    exited.then(({ code, signal }) => fail(`exited (${signal ?? code}) before listening`));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const found = /fleetca serve listening on (https?:\/\/\S+)/.exec(stdout)?.[1];
      const mqtt = /devices connect to mqtts:\/\/\S+:(\d+)/.exec(stdout)?.[1];
      if (!found || (withDevices && !mqtt)) return;
      started = true;
      clearTimeout(timer);
      resolve({ url: found.replace(/\/$/, ''), ...(mqtt ? { mqttPort: Number(mqtt) } : {}) });
    });
  });
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    url,
    ...(mqttPort === undefined ? {} : { mqttPort }),
    pid: child.pid as number,
    logFile,
    exited,
    alive,
    kill: (signal) => {
      if (alive()) child.kill(signal);
    },
    stop: async (graceMs = 15_000) => {
      if (!alive()) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(timer);
    },
  };
}
