import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root, from dist/test/helpers/ where the compiled helper runs. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const FLEETCA_BIN = join(REPO_ROOT, 'bin', 'fleetca.js');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A clean environment: no AWS settings leak in from the machine running the tests. */
export function cliEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    FLEETCA_HOME: join(home, 'fleetca'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(home, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'aws-credentials'),
    TZ: 'UTC',
  };
  return { ...env, ...extra };
}

export async function tempHome(prefix = 'fleetca-e2e-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/**
 * A temporary home whose data directory is already initialised (by `fleetca ca export`), for tests whose exact
 * stderr must not hold the one-time note of a first use.
 */
export async function initialisedHome(prefix?: string): Promise<string> {
  const home = await tempHome(prefix);
  const made = await runCli(['ca', 'export'], cliEnv(home));
  if (made.code !== 0) throw new Error(`fleetca ca export failed to initialise ${home}: ${made.stderr}`);
  return home;
}

/** Runs the real fleetca binary as a user would. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv, cwd = REPO_ROOT): Promise<CliResult> {
  return run(process.execPath, [FLEETCA_BIN, ...args], { env, cwd });
}

/** Runs a tool (openssl, ...) and collects its output. */
export function runTool(command: string, args: readonly string[], input?: string): Promise<CliResult> {
  return run(command, args, { input });
}

/** An EC P-256 CSR made by openssl (cheap: no RSA key generation); returns its path. */
export async function makeEcCsr(dir: string, name: string, subject = `/CN=${name}`): Promise<string> {
  const file = join(dir, `${name}.csr`);
  const keyFile = join(dir, `${name}.key`);
  const curve = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  const made = await runTool('openssl', [
    'req',
    '-new',
    ...curve,
    '-nodes',
    '-keyout',
    keyFile,
    '-subj',
    subject,
    '-out',
    file,
  ]);
  if (made.code !== 0) throw new Error(`openssl req failed: ${made.stderr}`);
  return file;
}

/** Runs any program with its own environment and collects its output. */
export function run(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string },
): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { env: options.env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    // A program may exit before reading its input; that is its answer, not an error of ours.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input);
  });
}
