/** One part's section of bench/RESULTS.md: when, where, quick or full, its checks, notes and tables. */

import { table } from '../report.js';
import type { MachineInfo, TargetCheck } from '../results.js';
import type { PartReport, ReliabilityPart } from './part.js';

export interface PartRun {
  readonly part: ReliabilityPart;
  readonly quick: boolean;
  readonly startedAt: Date;
  readonly durationS: number;
  readonly command: string;
  readonly machine: MachineInfo;
  readonly report: PartReport;
}

/** The results file's section name: one per part and mode, so a quick run never replaces a full run's figures. */
export function sectionName(part: ReliabilityPart, quick: boolean): string {
  return `reliability-${part.name}-${quick ? 'quick' : 'full'}`;
}

export function failed(checks: readonly TargetCheck[]): TargetCheck[] {
  return checks.filter((check) => check.pass !== true);
}

export function renderPartRun(run: PartRun): string {
  const m = run.machine;
  const mode = run.quick ? 'quick run (short form, as in npm test; not the issue’s figures)' : 'full run';
  const verdict = failed(run.report.checks).length === 0 ? 'PASS' : '**FAIL**';
  const parts = [
    `## Reliability: ${run.part.title} — ${mode} — ${run.startedAt.toISOString()}`,
    '',
    `- Result: ${verdict}`,
    `- Command: \`${run.command}\``,
    `- Duration: ${Math.round(run.durationS)} s`,
    `- Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB.toFixed(1)} GiB RAM, Linux ${m.kernel}`,
    `- Node ${m.node}, OpenSSL ${m.openssl}`,
    ...run.report.notes.map((note) => `- ${note}`),
    '',
    table(
      ['check', 'measured', 'result'],
      run.report.checks.map((check) => [
        check.description,
        check.measured,
        check.pass === undefined ? 'NOT MEASURED' : check.pass ? 'PASS' : '**FAIL**',
      ]),
    ),
    '',
  ];
  for (const rendered of run.report.tables) parts.push(rendered, '');
  return parts.join('\n');
}
