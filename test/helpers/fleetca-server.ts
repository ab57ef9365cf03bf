import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { IoTClient } from '@aws-sdk/client-iot';
import { requireTool, TOOLS, type Tool } from './required-tool.js';
import { type CliResult, FLEETCA_BIN, REPO_ROOT, run, runCli } from './run-cli.js';

export interface RunningServer {
  readonly url: string;
  /** The device endpoint's port (MQTT over TLS on 127.0.0.1), unless started with --no-mqtt. */
  readonly mqttPort?: number;
  readonly process: ChildProcess;
  /** Everything the server wrote to stderr so far (its logs). */
  logs(): string;
  stop(): Promise<number | null>;
}

/**
 * Starts the real `fleetca serve` on a free port and waits for the line that names its URL. Unless the
 * test says otherwise the key pool holds 2 keys: enough to take the pool's path, without every test
 * server spending CPU on 256 keys while other tests run.
 */
export function startServer(
  env: NodeJS.ProcessEnv,
  args: readonly string[] = [],
  /** Hears each piece of its log as it comes, before it listens too. */
  onLog?: (chunk: string) => void,
): Promise<RunningServer> {
  const pool = args.includes('--key-pool-size') ? [] : ['--key-pool-size', '2'];
  // Never the default 8883: test servers run side by side.
  const mqtt = args.includes('--mqtt-port') || args.includes('--no-mqtt') ? [] : ['--mqtt-port', '0'];
  const withDevices = !args.includes('--no-mqtt');
  // The SDK keeps idle sockets without a timeout of its own; with the server's 5 s default a socket reused just as the
  // server closes it fails with "socket hang up" (retries are off here). Tests idle far less than a minute.
  const keepAlive = args.includes('--keep-alive-timeout-ms') ? [] : ['--keep-alive-timeout-ms', '60000'];
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [FLEETCA_BIN, 'serve', '--port', '0', ...pool, ...mqtt, ...keepAlive, ...args],
      {
        env,
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    // Only a guard against a server that never starts: on a loaded 2-core machine a start (CA load, key threads,
    // TLS certificate) has been seen to take over 20 s.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`fleetca serve did not start within 60 s; stderr: ${stderr}`));
    }, 60_000);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      onLog?.(chunk);
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const url = /(https?:\/\/[^\s]+)/.exec(stdout)?.[1];
      const mqttUrl = /devices connect to (mqtts:\/\/[^\s]+)\n/.exec(stdout)?.[1];
      if (!url || (withDevices && !mqttUrl)) return;
      clearTimeout(timer);
      resolve({
        url: url.replace(/\/$/, ''),
        mqttPort: mqttUrl ? Number(/:(\d+)$/.exec(mqttUrl)?.[1]) : undefined,
        process: child,
        logs: () => stderr,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done(child.exitCode);
            child.once('exit', (code) => done(code));
            child.kill('SIGTERM');
          }),
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`fleetca serve exited with ${code} before listening; stderr: ${stderr}`));
    });
  });
}

export interface AccountCredentials {
  readonly accountId: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** The same credentials with the secret's last character changed to one it is not: a signature that must fail. */
export function withWrongSecret(credentials: AccountCredentials): AccountCredentials {
  const { secretAccessKey } = credentials;
  const last = secretAccessKey.slice(-1) === 'x' ? 'y' : 'x';
  return { ...credentials, secretAccessKey: `${secretAccessKey.slice(0, -1)}${last}` };
}

/** Creates an account with an access key through `fleetca admin create-account`. */
export async function createAccount(env: NodeJS.ProcessEnv, accountId?: string): Promise<AccountCredentials> {
  const run = await runCli(['admin', 'create-account', ...(accountId ? ['--account-id', accountId] : [])], env);
  if (run.code !== 0) throw new Error(`admin create-account failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as AccountCredentials;
}

/** Environment for a real AWS client: explicit credentials and region, never instance metadata. */
export function awsClientEnv(home: string, credentials: AccountCredentials, region = 'us-east-1'): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_DEFAULT_REGION: region,
    AWS_REGION: region,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: `${home}/no-aws-config`,
    AWS_SHARED_CREDENTIALS_FILE: `${home}/no-aws-credentials`,
    AWS_PAGER: '',
    TZ: 'UTC',
  };
}

/**
 * The real AWS SDK against one server, with explicit credentials and region and no retries, so that every
 * answer is seen as it was; a dead server fails a request at once rather than after the SDK's default timeouts.
 */
export function iotClientFor(server: RunningServer, credentials: AccountCredentials, region = 'us-east-1'): IoTClient {
  return new IoTClient({
    endpoint: server.url,
    region,
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 2000, requestTimeout: 10_000 },
  });
}

/** The real aws CLI (JSON output) against a server: `aws` runs it, `ok` also requires exit 0 and parses stdout. */
export interface AwsCli {
  aws(...args: string[]): Promise<CliResult>;
  // biome-ignore lint/suspicious/noExplicitAny: the parsed JSON of whichever operation was called
  ok(...args: string[]): Promise<any>;
}

/**
 * `target` is read at each call, so it may name a server and credentials a `before` hook sets later. `cli` is the
 * build to run (v1 from pip by default); a missing one fails the call with how to install it.
 */
export function awsCliAgainst(
  target: () => { readonly url: string; readonly env: NodeJS.ProcessEnv },
  cli: Tool = TOOLS.awsV1,
): AwsCli {
  const aws = (...args: string[]) => {
    requireTool(cli);
    const { url, env } = target();
    return run(cli.command, ['iot', ...args, '--endpoint-url', url, '--output', 'json'], { env });
  };
  return {
    aws,
    ok: async (...args: string[]) => {
      const result = await aws(...args);
      assert.equal(result.code, 0, `aws iot ${args.join(' ')}: ${result.stderr}`);
      return result.stdout === '' ? {} : JSON.parse(result.stdout);
    },
  };
}
