/**
 * One part of `npm run bench:reliability`: an adversarial scenario run against a real `fleetca serve`.
 * Each part is its own file beside this one; run.ts lists them, runs the ones asked for and records their
 * figures in bench/RESULTS.md. The quick form of every part also runs in `npm test` (test/reliability/).
 */

import type { TargetCheck } from '../results.js';

export interface PartOptions {
  /** Seconds, not minutes: the form `npm test` runs. Full form: the figures (e.g. 100,000 requests). */
  readonly quick: boolean;
  /** A fresh directory the part owns (data directories, logs); removed by the runner unless kept. */
  readonly workDir: string;
  /** Progress for a person watching (stderr); never parsed. */
  readonly log: (line: string) => void;
  /** The runner's part-specific settings (--seed, --soak-minutes, ...); absent ones: the part's defaults. */
  readonly settings?: PartSettings;
}

/** Settings some parts take from the command line; a part ignores those that are not its own. */
export interface PartSettings {
  /** The fuzzers' PRNG seed (printed by each part, so a run can be repeated). */
  readonly seed?: number;
  /** Length of the soak. */
  readonly soakMinutes?: number;
  /** SIGKILL rounds of the kill part, per registry engine. */
  readonly killRounds?: number;
  /** Requests the HTTP fuzzer sends (over both servers). */
  readonly fuzzRequests?: number;
}

export interface PartReport {
  /** Each target with what was measured; a part fails when any check is pass: false. */
  readonly checks: readonly TargetCheck[];
  /** Lines said under the part's heading in RESULTS.md (settings, how to reproduce, what was seen). */
  readonly notes: readonly string[];
  /** Markdown tables (report.ts `table()`), already rendered. */
  readonly tables: readonly string[];
}

export interface ReliabilityPart {
  /** Short id used on the command line: `npm run bench:reliability -- --only flood`. */
  readonly name: string;
  readonly title: string;
  run(options: PartOptions): Promise<PartReport>;
}
