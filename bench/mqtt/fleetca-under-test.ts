/**
 * The fleetca side of the benchmark: one `fleetca serve` over a data directory kept between runs (SQLite, its
 * default store), or two replicas on one fresh PostgreSQL schema joined by `--cluster nats://…`. Either way the
 * servers run with default settings and `--log-level warn`, and the account's credentials are kept with the data
 * directory so that the cached device fixture stays usable.
 */

import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { dropPostgresSchema, postgresTarget, resetPostgresSchema } from '../scale/stores.js';
import { type BenchServer, FLEETCA_BIN, fleetcaEnv, freePort, REPO_ROOT, startFleetca } from '../servers.js';
import type { Credentials } from '../sigv4-client.js';

const execFileAsync = promisify(execFile);
/** `node --cpu-prof` cannot be given through NODE_OPTIONS: this module profiles the server from inside. */
const PROFILE_PRELOAD = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), 'cpu-profile-preload.js')).href;

export interface FleetcaReplica {
  readonly server: BenchServer;
  readonly mqttPort: number;
}

export interface FleetcaUnderTest {
  readonly replicas: readonly FleetcaReplica[];
  readonly credentials: Credentials;
  /** `fleetca ca export`: the issuing CA then the root, what devices verify the endpoint with. */
  readonly caChainPem: string;
  /** What identifies the registry (for the fixture's cache key). */
  readonly store: string;
  readonly workDir: string;
  stop(): Promise<void>;
}

export interface FleetcaOptions {
  readonly workDir: string;
  readonly replicas: 1 | 2;
  readonly postgresUrl: string;
  readonly natsUrl: string;
  /** Directory for CPU profiles of each server (cpu-profile-preload.ts), or undefined for no profile. */
  readonly cpuProfileDir?: string;
  /** More `fleetca serve` options (the load test turns the key pool off). */
  readonly extraArgs?: readonly string[];
}

async function fleetca(args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await execFileAsync(process.execPath, [FLEETCA_BIN, ...args], { cwd: REPO_ROOT, env });
  return stdout;
}

/** The account the fixture's devices belong to: made once per data directory (and store), then reused. */
async function benchAccount(workDir: string, store: string, env: NodeJS.ProcessEnv): Promise<Credentials> {
  const file = join(workDir, `account-${Buffer.from(store).toString('base64url').slice(0, 40)}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Credentials;
  const created = JSON.parse(await fleetca(['admin', 'create-account'], env)) as Credentials;
  writeFileSync(file, JSON.stringify({ accessKeyId: created.accessKeyId, secretAccessKey: created.secretAccessKey }));
  return created;
}

export async function startFleetcaUnderTest(options: FleetcaOptions): Promise<FleetcaUnderTest> {
  const postgres =
    options.replicas === 2 ? postgresTarget(options.postgresUrl, `fleetca_bench_mqtt_${process.pid}`) : undefined;
  if (postgres?.kind === 'postgres') await resetPostgresSchema(postgres);
  const store = postgres?.kind === 'postgres' ? postgres.url : 'sqlite';
  const storeEnv: Record<string, string> = postgres?.kind === 'postgres' ? { FLEETCA_STORE: postgres.url } : {};
  const env = { ...fleetcaEnv(options.workDir), ...storeEnv };
  const caChainPem = await fleetca(['ca', 'export'], env);
  const credentials = await benchAccount(options.workDir, store, env);
  const clusterArgs =
    options.replicas === 2 ? ['--cluster', options.natsUrl, '--cluster-name', `bench-mqtt-${process.pid}`] : [];
  const replicas: FleetcaReplica[] = [];
  try {
    for (let i = 0; i < options.replicas; i++) {
      const mqttPort = await freePort();
      const server = await startFleetca({
        workDir: options.workDir,
        name: `fleetca-${i}`,
        extraArgs: [
          '--mqtt-port',
          String(mqttPort),
          '--log-level',
          'warn',
          ...clusterArgs,
          ...(options.extraArgs ?? []),
        ],
        extraEnv: {
          ...storeEnv,
          ...(options.cpuProfileDir
            ? { NODE_OPTIONS: `--import=${PROFILE_PRELOAD}`, FLEETCA_BENCH_CPU_PROFILE_DIR: options.cpuProfileDir }
            : {}),
        },
        credentials: async () => credentials,
      });
      replicas.push({ server, mqttPort });
    }
  } catch (err) {
    await Promise.all(replicas.map((replica) => replica.server.stop()));
    throw err;
  }
  return {
    replicas,
    credentials,
    caChainPem,
    store,
    workDir: options.workDir,
    stop: async () => {
      await Promise.all(replicas.map((replica) => replica.server.stop()));
      if (postgres?.kind === 'postgres') await dropPostgresSchema(postgres);
    },
  };
}

/** Resident memory of a process in KiB (VmRSS), or NaN once it is gone. */
export function residentKiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN);
  } catch {
    return Number.NaN;
  }
}
