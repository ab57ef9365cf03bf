/** The benchmark's settings: defaults, `--quick`, then environment variables, then command-line arguments. */

import { join } from 'node:path';
import { collectOptions, truthy, UsageError } from './command-line.js';

export type ScenarioId = 'keys' | 'csr' | 'warm';
export const ALL_SCENARIOS: readonly ScenarioId[] = ['keys', 'csr', 'warm'];

export interface BenchOptions {
  readonly quick: boolean;
  /** Rounds per server in each measurement; rounds alternate fleetca, moto, fleetca, ... */
  readonly rounds: number;
  /** Length of one closed-loop round. */
  readonly roundSeconds: number;
  /** Total open-loop time per server in the warm-pool scenario, split over the rounds. */
  readonly openLoopSeconds: number;
  /** Arrival rate for the open loop; default: half of fleetca's sustained 8-client rate. */
  readonly openLoopRate?: number;
  readonly keysConcurrency: readonly number[];
  readonly csrConcurrency: readonly number[];
  readonly burstSize: number;
  /** Distinct CSRs made before the timed part; the load cycles through them. */
  readonly csrCount: number;
  readonly probeIntervalMs: number;
  /** How long to wait for fleetca's key pool to fill before a warm-pool round starts anyway. */
  readonly poolWaitSeconds: number;
  readonly scenarios: readonly ScenarioId[];
  /** Where results are recorded; undefined: not recorded. */
  readonly resultsFile?: string;
  /** Keep the temporary directory (data directory, server logs) after the run. */
  readonly keepTemp: boolean;
}

export const USAGE = `usage: npm run bench -- [options]

  --quick                 short smoke run (~1 minute)
  --rounds N              rounds per server per measurement (default 3; quick 1)
  --round-seconds S       length of a closed-loop round (default 8; quick 3)
  --open-loop-seconds S   open-loop time per server, over all rounds (default 15; quick 5)
  --open-loop-rate R      open-loop arrivals per second (default: half of fleetca's 8-client sustained rate)
  --keys-concurrency L    CreateKeysAndCertificate client counts (default 1,8,32)
  --csr-concurrency L     CreateCertificateFromCsr client counts (default 8,32)
  --burst N               requests per burst (default 100; quick 25)
  --csrs N                distinct CSRs prepared (default 4096; quick 1024)
  --probe-interval MS     side-prober interval (default 50)
  --pool-wait-seconds S   longest wait for fleetca's key pool to fill (default 180; quick 30)
  --scenarios L           any of keys,csr,warm (default all)
  --results FILE          results file (default bench/RESULTS.md)
  --no-record             do not write the results file
  --keep-temp             keep the temporary data directory and server logs

Each option can also be given as an environment variable: FLEETCA_BENCH_ROUNDS=2, FLEETCA_BENCH_QUICK=1, ...
`;

const FLAGS = new Set(['quick', 'no-record', 'keep-temp', 'help']);
const VALUED = new Set([
  'rounds',
  'round-seconds',
  'open-loop-seconds',
  'open-loop-rate',
  'keys-concurrency',
  'csr-concurrency',
  'burst',
  'csrs',
  'probe-interval',
  'pool-wait-seconds',
  'scenarios',
  'results',
]);

function positive(name: string, text: string | undefined, fallback: number, integer = true): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!(value > 0) || (integer && !Number.isInteger(value))) throw new UsageError(`--${name}: "${text}" is not valid`);
  return value;
}

function list(name: string, text: string | undefined, fallback: readonly number[]): number[] {
  if (text === undefined) return [...fallback];
  return text.split(',').map((item) => positive(name, item.trim(), 0));
}

/** Undefined when help was asked for. */
export function parseOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  repoRoot: string,
): BenchOptions | undefined {
  const values = collectOptions(argv, env, { flags: FLAGS, valued: VALUED, envPrefix: 'FLEETCA_BENCH_' });
  if (truthy(values.get('help'))) return undefined;
  const quick = truthy(values.get('quick'));
  const scenarios = (values.get('scenarios') ?? ALL_SCENARIOS.join(',')).split(',').map((s) => s.trim());
  const unknown = scenarios.filter((s) => !(ALL_SCENARIOS as readonly string[]).includes(s));
  if (unknown.length > 0) throw new UsageError(`--scenarios: unknown ${unknown.join(', ')}`);
  const openLoopRate = values.get('open-loop-rate');
  return {
    quick,
    rounds: positive('rounds', values.get('rounds'), quick ? 1 : 3),
    roundSeconds: positive('round-seconds', values.get('round-seconds'), quick ? 3 : 8, false),
    openLoopSeconds: positive('open-loop-seconds', values.get('open-loop-seconds'), quick ? 5 : 15, false),
    openLoopRate: openLoopRate === undefined ? undefined : positive('open-loop-rate', openLoopRate, 1, false),
    keysConcurrency: list('keys-concurrency', values.get('keys-concurrency'), [1, 8, 32]),
    csrConcurrency: list('csr-concurrency', values.get('csr-concurrency'), [8, 32]),
    burstSize: positive('burst', values.get('burst'), quick ? 25 : 100),
    csrCount: positive('csrs', values.get('csrs'), quick ? 1024 : 4096),
    probeIntervalMs: positive('probe-interval', values.get('probe-interval'), 50, false),
    poolWaitSeconds: positive('pool-wait-seconds', values.get('pool-wait-seconds'), quick ? 30 : 180, false),
    scenarios: ALL_SCENARIOS.filter((s) => scenarios.includes(s)),
    resultsFile: truthy(values.get('no-record'))
      ? undefined
      : (values.get('results') ?? join(repoRoot, 'bench', 'RESULTS.md')),
    keepTemp: truthy(values.get('keep-temp')),
  };
}
