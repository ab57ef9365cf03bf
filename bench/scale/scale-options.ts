/** Settings of `npm run bench:scale`: defaults, then FLEETCA_BENCH_SCALE_* variables, then arguments. */

import { join } from 'node:path';
import { collectOptions, truthy, UsageError } from '../command-line.js';
import { STORE_KINDS, type StoreKind } from './stores.js';

export interface ScaleOptions {
  readonly stores: readonly StoreKind[];
  readonly rows: number;
  /** The PostgreSQL database; the bench works in its own schema of it, dropped and recreated per load. */
  readonly pgUrl: string;
  readonly pgSchema: string;
  /** DescribeCertificate requests per concurrency level. */
  readonly describeRequests: number;
  readonly describeConcurrency: readonly number[];
  /** Requests per ListCertificates case (page position × page size), and per SearchCertificates case. */
  readonly listRequests: number;
  /** Requests per GetCertificateStatistics case (by day, by hour). */
  readonly statisticsRequests: number;
  /** Longest wait for the shared machine to go quiet before measuring; 0: measure at once. */
  readonly quietWaitSeconds: number;
  /** Kept after the run; undefined: a temporary directory, removed afterwards unless keepTemp. */
  readonly workDir?: string;
  /** Measure the stores a previous run loaded into workDir. */
  readonly skipLoad: boolean;
  readonly keepTemp: boolean;
  readonly resultsFile?: string;
}

export const USAGE = `usage: npm run bench:scale -- [options]

  --store S               sqlite, postgres or both (default both)
  --rows N                certificates loaded per store (default 1000000)
  --pg-url URL            PostgreSQL database (default postgres://postgres@127.0.0.1:5432/test)
  --pg-schema NAME        schema the bench drops and recreates in it (default fleetca_bench_scale)
  --describe-requests N   DescribeCertificate requests per concurrency level (default 5000)
  --describe-concurrency L  client counts for DescribeCertificate (default 1,8)
  --list-requests N       requests per ListCertificates and SearchCertificates case (default 300)
  --statistics-requests N requests per GetCertificateStatistics case (default 30)
  --quiet-wait S          before each measurement, wait up to S s for 5 s of idle machine (default 0)
  --work-dir DIR          where data directories and fixtures go (kept); default a temporary directory
  --skip-load             measure the stores an earlier run loaded into --work-dir (same --rows)
  --keep-temp             keep the temporary directory
  --results FILE          results file (default bench/RESULTS.md)
  --no-record             do not write the results file

Each option can also be given as FLEETCA_BENCH_SCALE_<NAME>, e.g. FLEETCA_BENCH_SCALE_ROWS=100000.
`;

const FLAGS = new Set(['skip-load', 'keep-temp', 'no-record', 'help']);
const VALUED = new Set([
  'store',
  'rows',
  'pg-url',
  'pg-schema',
  'describe-requests',
  'describe-concurrency',
  'list-requests',
  'statistics-requests',
  'quiet-wait',
  'work-dir',
  'results',
]);

function count(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text.replaceAll('_', ''));
  if (!Number.isSafeInteger(value) || value < 1) throw new UsageError(`--${name}: "${text}" is not valid`);
  return value;
}

/** Undefined when help was asked for. */
export function parseScaleOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  repoRoot: string,
): ScaleOptions | undefined {
  const values = collectOptions(argv, env, { flags: FLAGS, valued: VALUED, envPrefix: 'FLEETCA_BENCH_SCALE_' });
  if (truthy(values.get('help'))) return undefined;
  const store = values.get('store') ?? 'both';
  const stores = store === 'both' ? STORE_KINDS : STORE_KINDS.filter((kind) => kind === store);
  if (stores.length === 0) throw new UsageError(`--store: "${store}" is not sqlite, postgres or both`);
  const workDir = values.get('work-dir');
  const skipLoad = truthy(values.get('skip-load'));
  if (skipLoad && workDir === undefined) throw new UsageError('--skip-load needs --work-dir');
  return {
    stores,
    rows: count('rows', values.get('rows'), 1_000_000),
    pgUrl: values.get('pg-url') ?? 'postgres://postgres@127.0.0.1:5432/test',
    pgSchema: values.get('pg-schema') ?? 'fleetca_bench_scale',
    describeRequests: count('describe-requests', values.get('describe-requests'), 5000),
    describeConcurrency: (values.get('describe-concurrency') ?? '1,8')
      .split(',')
      .map((item) => count('describe-concurrency', item.trim(), 1)),
    listRequests: count('list-requests', values.get('list-requests'), 300),
    statisticsRequests: count('statistics-requests', values.get('statistics-requests'), 30),
    quietWaitSeconds: values.get('quiet-wait') === '0' ? 0 : count('quiet-wait', values.get('quiet-wait'), 0),
    workDir,
    skipLoad,
    keepTemp: truthy(values.get('keep-temp')),
    resultsFile: truthy(values.get('no-record'))
      ? undefined
      : (values.get('results') ?? join(repoRoot, 'bench', 'RESULTS.md')),
  };
}
