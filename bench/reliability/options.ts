/** `npm run bench:reliability` settings: defaults, `--quick`, environment variables, then command-line arguments. */

import { join } from 'node:path';
import { collectOptions, truthy, UsageError } from '../command-line.js';
import type { PartSettings } from './part.js';

export interface ReliabilityOptions {
  readonly quick: boolean;
  /** Part names to run, in the suite's order; all when --only is not given. */
  readonly only?: readonly string[];
  /** Keep each part's work directory (data directories, server logs). */
  readonly keep: boolean;
  /** Where results are recorded; undefined: not recorded. */
  readonly resultsFile?: string;
  readonly settings: PartSettings;
}

export const USAGE = `usage: npm run bench:reliability -- [options]

  --quick                 the short forms (the ones npm test runs), seconds per part
  --only L                comma-separated parts to run (default all, in order)
  --keep                  keep each part's work directory (data directories, server logs)
  --seed N                the fuzzers' seed (default: a fresh one, printed)
  --soak-minutes M        length of the soak (default 30; quick: about 20 s)
  --kill-rounds N         SIGKILL rounds per registry engine (default 20; quick 2)
  --fuzz-requests N       HTTP fuzzing requests (default 100000; quick 2000)
  --results FILE          results file (default bench/RESULTS.md)
  --no-record             do not write the results file

Each option can also be given as an environment variable: FLEETCA_RELIABILITY_QUICK=1,
FLEETCA_RELIABILITY_SOAK_MINUTES=5, ...
`;

const FLAGS = new Set(['quick', 'keep', 'no-record', 'help']);
const VALUED = new Set(['only', 'seed', 'soak-minutes', 'kill-rounds', 'fuzz-requests', 'results']);

function number(name: string, text: string | undefined, check: (value: number) => boolean): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !check(value)) throw new UsageError(`--${name}: "${text}" is not valid`);
  return value;
}

const positiveInteger = (value: number) => Number.isInteger(value) && value > 0;

/** Undefined when help was asked for. `partNames` are the suite's parts, to check --only against. */
export function parseReliabilityOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  repoRoot: string,
  partNames: readonly string[],
): ReliabilityOptions | undefined {
  const values = collectOptions(argv, env, { flags: FLAGS, valued: VALUED, envPrefix: 'FLEETCA_RELIABILITY_' });
  if (truthy(values.get('help'))) return undefined;
  const onlyText = values.get('only');
  const only = onlyText?.split(',').map((name) => name.trim());
  const unknown = only?.filter((name) => !partNames.includes(name)) ?? [];
  if (unknown.length > 0) {
    throw new UsageError(`--only: unknown part ${unknown.join(', ')} (parts: ${partNames.join(', ')})`);
  }
  const seed = number('seed', values.get('seed'), (v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32);
  const soakMinutes = number('soak-minutes', values.get('soak-minutes'), (v) => v > 0);
  const killRounds = number('kill-rounds', values.get('kill-rounds'), positiveInteger);
  const fuzzRequests = number('fuzz-requests', values.get('fuzz-requests'), positiveInteger);
  return {
    quick: truthy(values.get('quick')),
    ...(only ? { only: partNames.filter((name) => only.includes(name)) } : {}),
    keep: truthy(values.get('keep')),
    resultsFile: truthy(values.get('no-record'))
      ? undefined
      : (values.get('results') ?? join(repoRoot, 'bench', 'RESULTS.md')),
    settings: {
      ...(seed === undefined ? {} : { seed }),
      ...(soakMinutes === undefined ? {} : { soakMinutes }),
      ...(killRounds === undefined ? {} : { killRounds }),
      ...(fuzzRequests === undefined ? {} : { fuzzRequests }),
    },
  };
}
