/** What a run measured, as plain data: built by the scenarios, rendered by report.ts. */

import type { LatencySummary } from './stats.js';

/** One server's totals over all rounds of one measurement. */
export interface ServerFigures {
  /** Answered 200 and passed validation. */
  readonly ok: number;
  readonly throttled: number;
  readonly failed: number;
  /** Sum of the rounds' lengths. */
  readonly elapsedS: number;
  readonly latency: LatencySummary;
  /** CPU seconds during the rounds: the server's process tree, the whole machine, this client. */
  readonly serverCpuS: number;
  readonly machineCpuS: number;
  readonly clientCpuS: number;
}

export interface ResultRow {
  readonly label: string;
  /** 'certificates': rate and CPU per certificate mean something; 'latency': only the latencies do (probes). */
  readonly kind: 'certificates' | 'latency';
  readonly fleetca?: ServerFigures;
  readonly moto?: ServerFigures;
}

export interface TargetCheck {
  readonly description: string;
  /** The measured value, formatted, or why it could not be measured. */
  readonly measured: string;
  /** undefined: not measured. */
  readonly pass: boolean | undefined;
}

export interface ScenarioResult {
  readonly title: string;
  readonly notes: readonly string[];
  readonly rows: readonly ResultRow[];
  readonly targets: readonly TargetCheck[];
}

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly kernel: string;
  readonly node: string;
  readonly openssl: string;
  readonly moto: string;
  readonly python: string;
}

export interface RunRecord {
  readonly mode: 'full' | 'quick';
  readonly startedAt: Date;
  readonly durationS: number;
  readonly command: string;
  readonly settings: string;
  readonly machine: MachineInfo;
  readonly notes: readonly string[];
  readonly scenarios: readonly ScenarioResult[];
  /** Validation failures, with where they happened (at most a few per measurement). */
  readonly failures: readonly string[];
  readonly failureCount: number;
  readonly motoFailureCount: number;
}

/** Certificates (or probes) per second. */
export function rateOf(figures: ServerFigures): number {
  return figures.elapsedS > 0 ? figures.ok / figures.elapsedS : Number.NaN;
}

/** The server's CPU milliseconds per successful request. */
export function cpuMsPerOk(figures: ServerFigures): number {
  return figures.ok > 0 ? (figures.serverCpuS * 1000) / figures.ok : Number.NaN;
}

/** Average cores in use over the rounds. */
export function cores(cpuSeconds: number, figures: ServerFigures): number {
  return figures.elapsedS > 0 ? cpuSeconds / figures.elapsedS : Number.NaN;
}
