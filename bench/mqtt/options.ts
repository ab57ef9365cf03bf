/** `npm run bench:mqtt` options: the full run's sizes, the quick run's, and every size on its own. */

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectOptions, truthy, UsageError } from '../command-line.js';

export type Part = 'connect' | 'hold' | 'latency' | 'provisioning';
export const ALL_PARTS: readonly Part[] = ['connect', 'hold', 'latency', 'provisioning'];

export interface MqttBenchOptions {
  readonly quick: boolean;
  /** What to measure (latency runs with the connections held, so it implies hold). */
  readonly parts: ReadonlySet<Part>;
  readonly replicas: 1 | 2;
  /** Connections held at once (the fleet-scale figure). */
  readonly connections: number;
  /** Connects per connect-rate round, and rounds per server. */
  readonly rateConnects: number;
  readonly rounds: number;
  /** Handshakes in flight at once over all workers. */
  readonly concurrency: number;
  readonly workers: number;
  /** Publish rates of the latency runs (messages, or deliveries for fan-out, per second). */
  readonly rates: readonly number[];
  readonly latencySeconds: number;
  readonly fanOutSubscribers: number;
  readonly provisionings: number;
  readonly withMosquitto: boolean;
  readonly workDir: string;
  readonly postgresUrl: string;
  readonly natsUrl: string;
  readonly cpuProfile: boolean;
  readonly resultsFile: string | undefined;
}

const FLAGS = new Set(['help', 'quick', 'no-mosquitto', 'cpu-prof', 'no-record']);
const VALUED = new Set([
  'parts',
  'replicas',
  'connections',
  'rate-connects',
  'rounds',
  'concurrency',
  'workers',
  'rates',
  'latency-seconds',
  'fan-out-subscribers',
  'provisionings',
  'work-dir',
  'pg-url',
  'nats-url',
  'results',
]);

export const USAGE = `usage: npm run bench:mqtt -- [options]
  --quick                 small sizes, a few seconds each (development; recorded in its own section)
  --parts A,B             connect, hold, latency, provisioning (default all; latency implies hold)
  --replicas 1|2          2: two fleetca serve on one PostgreSQL schema with --cluster (publishers on A,
                          subscribers on B); default 1 (SQLite)
  --connections N         connections held at once (default 18000; quick 300)
  --rate-connects N       connects per connect-rate round (default 3000; quick 200)
  --rounds N              connect-rate rounds per server, alternating (default 3; quick 1)
  --concurrency N         handshakes in flight over all workers (default 64)
  --workers N             load-generator processes (default 3)
  --rates A,B             latency runs' rates per second (default 1000,10000; quick 200,1000)
  --latency-seconds S     length of each latency run (default 10; quick 2)
  --fan-out-subscribers N subscribers of the fan-out runs (default 100; quick 20)
  --provisionings N       fleet provisionings started at once (default 1000; quick 50)
  --no-mosquitto          fleetca only
  --cpu-prof              write V8 CPU profiles of the servers (node --cpu-prof) into the work directory
  --work-dir DIR          data directory and device fixture, kept between runs (default $TMPDIR/fleetca-bench-mqtt)
  --pg-url URL            PostgreSQL for --replicas 2 (default postgres://postgres@127.0.0.1:5432/postgres)
  --nats-url URL          NATS for --replicas 2 (default nats://127.0.0.1:4222)
  --results FILE          where the block is recorded (default bench/RESULTS.md); --no-record: nowhere
`;

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new UsageError(`--${name} must be a positive integer`);
  return value;
}

/** Undefined when help was asked for. */
export function parseMqttOptions(argv: readonly string[], env: NodeJS.ProcessEnv, repoRoot: string) {
  const values = collectOptions(argv, env, { flags: FLAGS, valued: VALUED, envPrefix: 'FLEETCA_BENCH_MQTT_' });
  if (truthy(values.get('help'))) return undefined;
  const quick = truthy(values.get('quick'));
  const replicas = positive('replicas', values.get('replicas'), 1);
  if (replicas !== 1 && replicas !== 2) throw new UsageError('--replicas must be 1 or 2');
  const rates = (values.get('rates') ?? (quick ? '200,1000' : '1000,10000'))
    .split(',')
    .map((rate) => positive('rates', rate.trim(), 0));
  const parts = new Set((values.get('parts') ?? ALL_PARTS.join(',')).split(',').map((part) => part.trim()));
  const unknown = [...parts].filter((part) => !(ALL_PARTS as readonly string[]).includes(part));
  if (unknown.length > 0) throw new UsageError(`--parts: unknown ${unknown.join(', ')}`);
  if (parts.has('latency')) parts.add('hold');
  return {
    quick,
    parts: parts as Set<Part>,
    replicas,
    connections: positive('connections', values.get('connections'), quick ? 300 : 18_000),
    rateConnects: positive('rate-connects', values.get('rate-connects'), quick ? 200 : 3_000),
    rounds: positive('rounds', values.get('rounds'), quick ? 1 : 3),
    concurrency: positive('concurrency', values.get('concurrency'), 64),
    workers: positive('workers', values.get('workers'), 3),
    rates,
    latencySeconds: positive('latency-seconds', values.get('latency-seconds'), quick ? 2 : 10),
    fanOutSubscribers: positive('fan-out-subscribers', values.get('fan-out-subscribers'), quick ? 20 : 100),
    provisionings: positive('provisionings', values.get('provisionings'), quick ? 50 : 1_000),
    withMosquitto: !truthy(values.get('no-mosquitto')),
    workDir: values.get('work-dir') ?? join(tmpdir(), 'fleetca-bench-mqtt'),
    postgresUrl: values.get('pg-url') ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    natsUrl: values.get('nats-url') ?? 'nats://127.0.0.1:4222',
    cpuProfile: truthy(values.get('cpu-prof')),
    resultsFile: truthy(values.get('no-record'))
      ? undefined
      : (values.get('results') ?? join(repoRoot, 'bench', 'RESULTS.md')),
  } satisfies MqttBenchOptions as MqttBenchOptions;
}
