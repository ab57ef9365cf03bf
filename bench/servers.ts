/**
 * Starting and stopping the two servers under test, both on 127.0.0.1: the repository's own `fleetca serve`
 * over a fresh data directory, and moto's server. Every child is registered so that an error or Ctrl-C
 * still takes it down.
 */

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Credentials } from './sigv4-client.js';
import { FLEETCA_RULES, MOTO_RULES, type ServerRules } from './validate.js';

const execFileAsync = promisify(execFile);

/** Repository root, from dist/bench/ where the compiled harness runs. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const FLEETCA_BIN = join(REPO_ROOT, 'bin', 'fleetca.js');

export type ServerKind = 'fleetca' | 'moto';

export interface BenchServer {
  readonly kind: ServerKind;
  readonly url: string;
  /** The process whose tree's CPU time is charged to this server. */
  readonly pid: number;
  readonly credentials: Credentials;
  readonly rules: ServerRules;
  /** Where its stdout/stderr went. */
  readonly logFile: string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

/** Last resort when the benchmark dies: no server outlives it. */
export function killAllServersNow(): void {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  running.clear();
}

/** Nothing AWS-ish from the machine leaks into the servers, and nothing asks for instance metadata. */
function serverEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    TZ: 'UTC',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(home, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-aws-credentials'),
    ...extra,
  };
}

export function fleetcaEnv(workDir: string): NodeJS.ProcessEnv {
  return serverEnv(workDir, { FLEETCA_HOME: join(workDir, 'fleetca') });
}

/** Whether this build's `fleetca serve` has an option (features land while the benchmark is in use). */
export async function fleetcaServeHasOption(option: string): Promise<boolean> {
  const { stdout } = await execFileAsync(process.execPath, [FLEETCA_BIN, 'serve', '--help'], { cwd: REPO_ROOT });
  return stdout.includes(option);
}

/** `fleetca admin create-account`: a new account and its first access key. */
export async function createFleetcaAccount(workDir: string): Promise<Credentials> {
  const { stdout } = await execFileAsync(process.execPath, [FLEETCA_BIN, 'admin', 'create-account'], {
    cwd: REPO_ROOT,
    env: fleetcaEnv(workDir),
  });
  const created = JSON.parse(stdout) as { accessKeyId?: unknown; secretAccessKey?: unknown };
  if (typeof created.accessKeyId !== 'string' || typeof created.secretAccessKey !== 'string') {
    throw new Error(`admin create-account printed no access key: ${stdout}`);
  }
  return { accessKeyId: created.accessKeyId, secretAccessKey: created.secretAccessKey };
}

/**
 * `fleetca serve --port 0` over the data directory in `workDir`; resolves once it prints the URL it listens on.
 * Its request log goes to a file, not through this process, so reading it costs the client nothing.
 */
export async function startFleetca(options: {
  workDir: string;
  name: string;
  extraArgs?: readonly string[];
  /** Added to the server's environment (e.g. MALLOC_ARENA_MAX). */
  extraEnv?: Readonly<Record<string, string>>;
  credentials: () => Promise<Credentials>;
}): Promise<BenchServer> {
  const logFile = join(options.workDir, `${options.name}.log`);
  const log = openSync(logFile, 'w');
  const child = spawn(
    process.execPath,
    [FLEETCA_BIN, 'serve', '--host', '127.0.0.1', '--port', '0', ...(options.extraArgs ?? [])],
    {
      cwd: REPO_ROOT,
      env: { ...fleetcaEnv(options.workDir), ...options.extraEnv },
      stdio: ['ignore', 'pipe', log],
    },
  );
  closeSync(log);
  running.add(child);
  const url = await new Promise<string>((resolveUrl, reject) => {
    let stdout = '';
    const timer = setTimeout(() => fail(new Error('fleetca serve did not print its URL within 30 s')), 30_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${err.message} (log: ${logFile})`));
    };
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`fleetca serve exited with ${code} before listening`)));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const found = /fleetca serve listening on (http:\/\/\S+)/.exec(stdout)?.[1];
      if (!found) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolveUrl(found.replace(/\/$/, ''));
    });
  });
  let credentials: Credentials;
  try {
    credentials = await options.credentials();
  } catch (err) {
    await stopChild(child, 15_000);
    throw err;
  }
  return {
    kind: 'fleetca',
    url,
    pid: child.pid as number,
    credentials,
    rules: FLEETCA_RULES,
    logFile,
    stop: () => stopChild(child, 15_000),
  };
}

/** The Python executable `python3` resolves to, so moto's pid is python's own and not a launcher's. */
async function pythonExecutable(): Promise<string> {
  const { stdout } = await execFileAsync('python3', ['-c', 'import sys; print(sys.executable)']);
  return stdout.trim() || 'python3';
}

/** `python3 -m moto.server` on a free port; resolves once `GET /moto-api/` answers. */
export async function startMoto(workDir: string): Promise<BenchServer> {
  const port = await freePort();
  const logFile = join(workDir, 'moto.log');
  const log = openSync(logFile, 'w');
  const child = spawn(await pythonExecutable(), ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: workDir,
    env: serverEnv(workDir, { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' }),
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  running.add(child);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`moto exited with ${child.exitCode} before answering (log: ${logFile})`);
    if (await answers(`${url}/moto-api/`)) break;
    if (Date.now() > deadline) {
      await stopChild(child, 5_000);
      throw new Error(`moto did not answer within 60 s (log: ${logFile})`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    kind: 'moto',
    url,
    pid: child.pid as number,
    // moto accepts any signature; signing anyway keeps the requests identical to fleetca's.
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    rules: MOTO_RULES,
    logFile,
    stop: () => stopChild(child, 5_000),
  };
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  return new Promise((done) => {
    const finish = () => {
      clearTimeout(timer);
      running.delete(child);
      done();
    };
    if (child.exitCode !== null || child.signalCode !== null) {
      running.delete(child);
      return done();
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', finish);
    child.kill('SIGTERM');
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}
