/**
 * The scale benchmark's results as Markdown: one section per store in bench/RESULTS.md (`scale-sqlite`,
 * `scale-postgres`), so a run of one store leaves the other's figures and the other benchmarks' sections alone.
 */

import { formatMs, formatRate, recordSection, table } from '../report.js';
import type { MachineInfo, TargetCheck } from '../results.js';
import type { AdapterTiming } from './adapter-timing.js';
import type { LoadTimes } from './load-times.js';
import type { Measurement } from './measure.js';
import { formatBytes, indexBytes, type StoreSize } from './store-size.js';
import { STORE_NAMES, type StoreKind } from './stores.js';

export interface TargetedMeasurement extends Measurement {
  readonly operation: 'DescribeCertificate' | 'ListCertificates' | 'SearchCertificates' | 'GetCertificateStatistics';
  /** p99 at or below this passes. */
  readonly targetP99Ms: number;
}

export interface ScaleRecord {
  readonly store: StoreKind;
  readonly rows: number;
  readonly startedAt: Date;
  readonly command: string;
  readonly machine: MachineInfo;
  /** Database server version and settings that matter (PostgreSQL). */
  readonly storeVersion?: string;
  /** Undefined when an earlier run loaded the store (--skip-load). */
  readonly load?: LoadTimes;
  readonly size: StoreSize;
  readonly measurements: readonly TargetedMeasurement[];
  /** The same reads through the adapter in-process, with no server. */
  readonly adapter: readonly AdapterTiming[];
  /** 1-minute load average before and after the measurements. */
  readonly loadAverage: readonly [number, number];
  readonly notes: readonly string[];
}

const count = (n: number) => n.toLocaleString('en-US');

export function targetChecks(record: ScaleRecord): TargetCheck[] {
  return record.measurements.map((m) => ({
    description: `${m.label}: p99 ≤ ${m.targetP99Ms} ms`,
    measured: `${formatMs(m.latency.p99)} ms`,
    pass: m.failed > 0 || !Number.isFinite(m.latency.p99) ? undefined : m.latency.p99 <= m.targetP99Ms,
  }));
}

function loadLine(record: ScaleRecord): string {
  const load = record.load;
  if (!load) return '- Load: by an earlier run (--skip-load); not timed here';
  const settle = record.store === 'sqlite' ? 'wal_checkpoint(TRUNCATE)' : 'VACUUM (ANALYZE) + CHECKPOINT';
  return (
    `- Load: ${count(record.rows)} certificates in ${load.insertSeconds.toFixed(1)} s ` +
    `(${count(Math.round(record.rows / load.insertSeconds))} rows/s, row generation included), ` +
    `then ${settle} ${load.settleSeconds.toFixed(1)} s`
  );
}

function sizeTable(record: ScaleRecord): string {
  const perMillion = (bytes: number) => formatBytes((bytes * 1_000_000) / record.rows);
  const rows: string[][] = [];
  for (const t of record.size.tables) {
    if (t.dataBytes + indexBytes(t) < 64 * 1024 && record.size.tables.length > 3) continue;
    rows.push([t.table, 'table', formatBytes(t.dataBytes), perMillion(t.dataBytes)]);
    for (const index of t.indexes)
      rows.push([index.name, `index of ${t.table}`, formatBytes(index.bytes), perMillion(index.bytes)]);
  }
  rows.push(['**total**', '', formatBytes(record.size.totalBytes), perMillion(record.size.totalBytes)]);
  return table(['table / index', 'kind', 'size', 'per 1,000,000 certificates'], rows);
}

function latencyTable(record: ScaleRecord): string {
  const rows = record.measurements.map((m) => {
    const ok = m.latency.count - m.failed;
    const cpuMs = (seconds: number) => (ok > 0 ? formatMs((seconds * 1000) / ok) : '—');
    return [
      m.label,
      String(m.concurrency),
      count(m.latency.count),
      formatMs(m.latency.p50),
      formatMs(m.latency.p99),
      formatMs(m.latency.max),
      m.serverLatency ? `${formatMs(m.serverLatency.p50)} / ${formatMs(m.serverLatency.p99)}` : '—',
      formatRate(m.latency.count / m.elapsedS),
      cpuMs(m.serverCpuS),
      ...(record.store === 'postgres' ? [cpuMs(m.storeCpuS)] : []),
      (m.machineCpuS / m.elapsedS).toFixed(2),
      // Whatever else the shared machine was doing meanwhile.
      (Math.max(0, m.machineCpuS - m.serverCpuS - m.storeCpuS - m.clientCpuS) / m.elapsedS).toFixed(2),
      String(m.failed),
    ];
  });
  const header = [
    'measurement',
    'clients',
    'requests',
    'p50 ms',
    'p99 ms',
    'max ms',
    'server p50 / p99 ms',
    'req/s',
    'fleetca CPU ms/req',
    ...(record.store === 'postgres' ? ['postgres CPU ms/req'] : []),
    'machine cores busy',
    'other processes cores',
    'failed',
  ];
  return table(header, rows);
}

function adapterTable(record: ScaleRecord): string {
  const rows = record.adapter.map((a) => [
    a.label,
    count(a.latency.count),
    formatMs(a.latency.p50),
    formatMs(a.latency.p99),
    formatMs(a.latency.max),
    String(a.failed),
  ]);
  return table(['store adapter alone (in-process, 1 caller)', 'calls', 'p50 ms', 'p99 ms', 'max ms', 'failed'], rows);
}

/** Failed REST responses and wrong adapter results together. */
export function failureCount(record: ScaleRecord): number {
  const rest = record.measurements.reduce((sum, m) => sum + m.failed, 0);
  return rest + record.adapter.reduce((sum, a) => sum + a.failed, 0);
}

export function renderScale(record: ScaleRecord): string {
  const m = record.machine;
  const targets = targetChecks(record).map((t) => [
    t.description,
    t.measured,
    t.pass === undefined ? 'NOT MEASURED' : t.pass ? 'met' : '**not met**',
  ]);
  const problems = record.measurements.flatMap((x) => x.problems);
  return [
    `## Scale: ${count(record.rows)} certificates, ${STORE_NAMES[record.store]} — ${record.startedAt.toISOString()}`,
    '',
    `- Command: \`${record.command}\``,
    `- Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB.toFixed(1)} GiB RAM, Linux ${m.kernel}; Node ${m.node}` +
      (record.storeVersion ? `; ${record.storeVersion}` : ''),
    `- 1-minute load average before / after the measurements: ${record.loadAverage[0].toFixed(2)} / ${record.loadAverage[1].toFixed(2)}`,
    loadLine(record),
    `- Store size: ${formatBytes(record.size.totalBytes)} (${record.size.detail}), ` +
      `${formatBytes((record.size.totalBytes * 1_000_000) / record.rows)} per 1,000,000 certificates`,
    ...record.notes.map((note) => `- ${note}`),
    `- Validation failures: ${failureCount(record)}`,
    '',
    sizeTable(record),
    '',
    latencyTable(record),
    '',
    adapterTable(record),
    '',
    table(['target', 'measured', 'result'], targets),
    '',
    ...(problems.length > 0 ? ['### Failures', '', ...problems.map((p) => `- ${p}`), ''] : []),
  ].join('\n');
}

export async function recordScale(file: string, record: ScaleRecord): Promise<void> {
  await recordSection(file, `scale-${record.store}`, renderScale(record));
}
