/**
 * `npm run bench:reliability [-- --quick] [--only a,b] [--keep]`: runs the reliability parts in order against
 * real `fleetca serve` processes, prints progress (stderr) and each part's section (stdout), records the sections
 * in bench/RESULTS.md and ends with a summary. Exits 1 when a check failed, 2 when the options are wrong.
 */

import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { optionsOrExitCode } from '../command-line.js';
import { describeMachine } from '../machine.js';
import { recordSection, table } from '../report.js';
import { REPO_ROOT } from '../servers.js';
import { killAllFleetcaNow } from './fleetca-process.js';
import { parseReliabilityOptions, type ReliabilityOptions, USAGE } from './options.js';
import type { PartReport, ReliabilityPart } from './part.js';
import { PARTS } from './parts.js';
import { failed, type PartRun, renderPartRun, sectionName } from './report.js';

function commandLine(argv: readonly string[]): string {
  const env = Object.entries(process.env)
    .filter(([name]) => name.startsWith('FLEETCA_RELIABILITY_'))
    .map(([name, value]) => `${name}=${value} `)
    .join('');
  const viaNpm = process.env.npm_lifecycle_event === 'bench:reliability';
  const args = argv.length === 0 ? '' : `${viaNpm ? ' --' : ''} ${argv.join(' ')}`;
  return `${env}${viaNpm ? 'npm run bench:reliability' : 'node dist/bench/reliability/run.js'}${args}`;
}

function minutesSeconds(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** A part that threw has one failing check saying so; its other figures are lost, its work directory kept. */
function crashed(err: unknown): PartReport {
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return {
    checks: [{ description: 'the part ran to its end', measured: message.split('\n')[0] ?? '', pass: false }],
    notes: [`The part stopped with an error: ${message.split('\n').slice(0, 3).join(' / ')}`],
    tables: [],
  };
}

async function runPart(part: ReliabilityPart, options: ReliabilityOptions, workDir: string): Promise<PartReport> {
  const started = performance.now();
  const log = (line: string) =>
    process.stderr.write(`[${part.name} ${minutesSeconds(performance.now() - started)}] ${line}\n`);
  log(`${part.title}: ${options.quick ? 'quick' : 'full'} form, work directory ${workDir}`);
  try {
    return await part.run({ quick: options.quick, workDir, log, settings: options.settings });
  } catch (err) {
    log(`failed: ${err instanceof Error ? err.message : String(err)}`);
    return crashed(err);
  }
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const names = PARTS.map((part) => part.name);
  const options = optionsOrExitCode(() => parseReliabilityOptions(argv, process.env, REPO_ROOT, names), USAGE);
  if (typeof options === 'number') return options;
  const parts = PARTS.filter((part) => options.only?.includes(part.name) ?? true);
  const machine = await describeMachine();
  const command = commandLine(argv);

  const workDirs = new Set<string>();
  const interrupted = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: stopping the servers\n`);
    killAllFleetcaNow();
    if (!options.keep) for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  process.once('exit', killAllFleetcaNow);

  const summary: string[][] = [];
  let failures = 0;
  for (const part of parts) {
    const workDir = await mkdtemp(join(tmpdir(), `fleetca-reliability-${part.name}-`));
    workDirs.add(workDir);
    const startedAt = new Date();
    const startedMs = performance.now();
    const report = await runPart(part, options, workDir);
    // Whatever the part left running goes now, before the next part measures anything.
    killAllFleetcaNow();
    const run: PartRun = {
      part,
      quick: options.quick,
      startedAt,
      durationS: (performance.now() - startedMs) / 1000,
      command,
      machine,
      report,
    };
    const section = renderPartRun(run);
    process.stdout.write(`${section}\n`);
    if (options.resultsFile) await recordSection(options.resultsFile, sectionName(part, options.quick), section);
    const failing = failed(report.checks);
    if (failing.length > 0) failures++;
    const kept = options.keep || failing.length > 0;
    if (!kept) {
      await rm(workDir, { recursive: true, force: true });
      workDirs.delete(workDir);
    }
    summary.push([
      part.name,
      failing.length === 0 ? 'PASS' : 'FAIL',
      `${Math.round(run.durationS)} s`,
      failing.map((check) => `${check.description}: ${check.measured}`).join('; ') || '—',
      kept ? workDir : '—',
    ]);
  }
  process.stdout.write(`## Summary\n\n${table(['part', 'result', 'time', 'failed checks', 'kept'], summary)}\n`);
  if (options.resultsFile) process.stderr.write(`recorded in ${options.resultsFile}\n`);
  return failures > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`reliability suite could not run: ${err instanceof Error ? err.stack : String(err)}\n`);
    killAllFleetcaNow();
    process.exitCode = 2;
  },
);
