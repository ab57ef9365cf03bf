/**
 * Rendering results as Markdown (the same text goes to stdout and to bench/RESULTS.md) and keeping one section
 * per run mode in the results file, so a quick smoke run never overwrites the figures of a full run.
 */

import { readFile, writeFile } from 'node:fs/promises';
import {
  cores,
  cpuMsPerOk,
  type ResultRow,
  type RunRecord,
  rateOf,
  type ScenarioResult,
  type ServerFigures,
} from './results.js';
import { ratio } from './stats.js';

const DASH = '—';

/** Rates: thousands separated, one decimal below 100. */
export function formatRate(value: number): string {
  if (!Number.isFinite(value)) return DASH;
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1);
}

/** Milliseconds with precision where it matters: 0.42, 7.31, 42.5, 512. */
export function formatMs(value: number): string {
  if (!Number.isFinite(value)) return DASH;
  if (value < 10) return value.toFixed(2);
  if (value < 100) return value.toFixed(1);
  return Math.round(value).toLocaleString('en-US');
}

export function formatRatio(value: number): string {
  return Number.isFinite(value) ? `${value >= 10 ? value.toFixed(1) : value.toFixed(2)}×` : DASH;
}

/** A Markdown table with padded columns, laid out as biome's Markdown formatter would (so lint stays clean). */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(3, title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${widths.map((width, column) => (cells[column] ?? '').padEnd(width)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

const HEADER = [
  'measurement',
  'server',
  'certs/s',
  'p50 ms',
  'p99 ms',
  'CPU ms/cert',
  'server cores',
  'machine cores',
  'client cores',
  'ok',
  'throttled',
  'failed',
];

function serverCells(row: ResultRow, name: string, figures: ServerFigures): string[] {
  const certificates = row.kind === 'certificates';
  return [
    row.label,
    name,
    certificates ? formatRate(rateOf(figures)) : DASH,
    formatMs(figures.latency.p50),
    formatMs(figures.latency.p99),
    certificates ? formatMs(cpuMsPerOk(figures)) : DASH,
    // A probe shares its rounds with the load: the CPU belongs to the load's row.
    certificates ? cores(figures.serverCpuS, figures).toFixed(2) : DASH,
    certificates ? cores(figures.machineCpuS, figures).toFixed(2) : DASH,
    certificates ? cores(figures.clientCpuS, figures).toFixed(2) : DASH,
    String(figures.ok),
    String(figures.throttled),
    String(figures.failed),
  ];
}

/** fleetca ÷ moto for rate, latencies and CPU per certificate (above 1: fleetca higher). */
function ratioCells(row: ResultRow, fleetca: ServerFigures, moto: ServerFigures): string[] {
  const certificates = row.kind === 'certificates';
  return [
    row.label,
    '**fleetca/moto**',
    certificates ? formatRatio(ratio(rateOf(fleetca), rateOf(moto))) : DASH,
    formatRatio(ratio(fleetca.latency.p50, moto.latency.p50)),
    formatRatio(ratio(fleetca.latency.p99, moto.latency.p99)),
    certificates ? formatRatio(ratio(cpuMsPerOk(fleetca), cpuMsPerOk(moto))) : DASH,
    ...Array.from({ length: HEADER.length - 6 }, () => ''),
  ];
}

export function renderScenario(scenario: ScenarioResult): string {
  const rows: string[][] = [];
  for (const row of scenario.rows) {
    if (row.fleetca) rows.push(serverCells(row, 'fleetca', row.fleetca));
    if (row.moto) rows.push(serverCells(row, 'moto', row.moto));
    if (row.fleetca && row.moto) rows.push(ratioCells(row, row.fleetca, row.moto));
  }
  const parts = [`### ${scenario.title}`, ''];
  for (const note of scenario.notes) parts.push(`- ${note}`);
  if (scenario.notes.length > 0) parts.push('');
  parts.push(table(HEADER, rows), '');
  if (scenario.targets.length > 0) {
    const targetRows = scenario.targets.map((t) => [
      t.description,
      t.measured,
      t.pass === undefined ? 'NOT MEASURED' : t.pass ? 'PASS' : '**FAIL**',
    ]);
    parts.push(table(['target', 'measured', 'result'], targetRows), '');
  }
  return parts.join('\n');
}

/** The whole run: when, where, how, then one table per scenario and any failures. */
export function renderRun(record: RunRecord): string {
  const m = record.machine;
  const parts = [
    `## ${record.mode === 'quick' ? 'Quick run (smoke test, not representative)' : 'Full run'} — ${record.startedAt.toISOString()}`,
    '',
    `- Command: \`${record.command}\``,
    `- Settings: ${record.settings}`,
    `- Duration: ${Math.round(record.durationS)} s`,
    `- Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB.toFixed(1)} GiB RAM, Linux ${m.kernel}`,
    `- Node ${m.node}, OpenSSL ${m.openssl}; moto ${m.moto}; ${m.python}`,
    ...record.notes.map((note) => `- ${note}`),
    `- Validation failures: fleetca ${record.failureCount}; moto ${record.motoFailureCount} (moto's own errors, such as HTTP 500 to concurrent requests, are listed but do not fail the run)`,
    '',
    ...record.scenarios.map(renderScenario),
  ];
  if (record.failures.length > 0) {
    parts.push('### Failures', '', ...record.failures.map((failure) => `- ${failure}`), '');
  }
  return parts.join('\n');
}

const FILE_HEADER = `# fleetca benchmark results

Written by \`npm run bench\` (see \`bench/run.ts\`). Each run mode keeps one section, replaced by the next run of that
mode. fleetca and moto are driven with the same SigV4-signed requests from the same client, in alternating rounds.
Ratios are fleetca ÷ moto: above 1 means fleetca is higher (better for certs/s, worse for latency and CPU).
`;

function markers(mode: string): { begin: string; end: string } {
  return { begin: `<!-- fleetca-bench:begin ${mode} -->`, end: `<!-- fleetca-bench:end ${mode} -->` };
}

/** The results file with the section of `mode` replaced by `section` (appended when there was none). */
export function upsertSection(existing: string, mode: string, section: string): string {
  const { begin, end } = markers(mode);
  const block = `${begin}\n${section.trimEnd()}\n${end}`;
  const text = existing.trim() === '' ? FILE_HEADER : existing;
  const start = text.indexOf(begin);
  const stop = text.indexOf(end, start);
  if (start >= 0 && stop >= 0) return `${text.slice(0, start)}${block}${text.slice(stop + end.length)}`;
  return `${text.trimEnd()}\n\n${block}\n`;
}

/** Replaces (or appends) one named section of the results file, leaving the others as they are. */
export async function recordSection(file: string, name: string, text: string): Promise<void> {
  let existing = '';
  try {
    existing = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await writeFile(file, upsertSection(existing, name, text));
}

export async function recordResults(file: string, record: RunRecord): Promise<void> {
  await recordSection(file, record.mode, renderRun(record));
}
