/**
 * The measurements. Each runs as rounds alternating fleetca, moto, fleetca, moto, ... so that the drift of a noisy
 * machine falls on both servers alike; per server the rounds' totals make one row. Responses are checked after
 * each round, outside the timed part.
 */

import { type CpuReading, cpuSince, readCpu } from './cpu.js';
import type { PreparedCsr } from './csr.js';
import {
  type Call,
  certificateFromCsrCalls,
  describeCall,
  HEALTH_CALL,
  keysAndCertificateCalls,
} from './iot-requests.js';
import { drainPool, type PoolWait, readPoolState, waitForFullPool } from './key-pool.js';
import {
  type Exchange,
  type ReplyListener,
  type RoundSamples,
  runAllAtOnce,
  runBackToBack,
  runClosedLoop,
  runOpenLoop,
  startProber,
  tally,
} from './load.js';
import type { BenchOptions } from './options.js';
import type { Progress } from './progress.js';
import { formatMs, formatRate } from './report.js';
import { type ResultRow, rateOf, type ScenarioResult, type ServerFigures, type TargetCheck } from './results.js';
import type { BenchServer, ServerKind } from './servers.js';
import type { SigV4Client } from './sigv4-client.js';
import { summarizeLatencies } from './stats.js';

/** A server ready to be measured: its load client, a separate client for probes, a certificate to describe. */
export interface Target {
  readonly server: BenchServer;
  readonly load: SigV4Client;
  readonly probe: SigV4Client;
  readonly describeId: string;
}

/**
 * How the sustained (pool-less) rate is measured:
 * - 'pool-size-zero': a fleetca started with `--key-pool-size 0`; a second one with the default pool for the
 *   warm-pool scenario;
 * - 'drain': one fleetca; its pool is drained before each sustained round and left to refill before moto's;
 * - 'no-pool': this fleetca build has no pool (no metrics endpoint): nothing to drain.
 */
export type PoolMode = 'pool-size-zero' | 'drain' | 'no-pool';

export interface BenchState {
  readonly options: BenchOptions;
  readonly progress: Progress;
  readonly csrs: readonly PreparedCsr[];
  readonly moto: Target;
  readonly poolMode: PoolMode;
  /** fleetca for the sustained measurements, or with its default pool for the warm-pool ones. */
  fleetca(kind: 'sustained' | 'pooled'): Promise<Target>;
  /** fleetca's sustained CreateKeysAndCertificate rate with 8 clients, once measured. */
  sustained8Rate?: number;
  /** Validation failures with where they happened (first few per measurement) and their totals. */
  readonly failures: string[];
  /** fleetca's failures: any makes the run fail. */
  failureCount: number;
  /** moto's own failures (it answers 500 to some concurrent requests): reported, not fatal. */
  motoFailureCount: number;
}

export interface Scenario {
  readonly id: 'keys' | 'csr' | 'warm';
  /** Progress steps this scenario will take with these options. */
  steps(options: BenchOptions): number;
  run(state: BenchState): Promise<ScenarioResult>;
}

interface Measured {
  readonly samples: RoundSamples;
  readonly cpu: CpuReading;
  readonly probes?: Map<string, Exchange[]>;
}

const SERVER_ORDER: readonly ServerKind[] = ['fleetca', 'moto'];

async function measure(target: Target, run: () => Promise<RoundSamples>): Promise<Measured> {
  const before = readCpu(target.server.pid);
  const samples = await run();
  return { samples, cpu: cpuSince(before, target.server.pid) };
}

function replyListener(progress: Progress): ReplyListener {
  return (exchange) => progress.reply(exchange.reply?.status !== 200);
}

/**
 * Runs `round` for fleetca then moto, `rounds` times. `prepare` runs before a round's step begins (waiting for a
 * pool is not part of the round); `settle` after it ends.
 */
async function alternate<T>(
  state: BenchState,
  fleetcaKind: 'sustained' | 'pooled',
  label: string,
  expectedMs: number | undefined,
  round: (target: Target) => Promise<T>,
  hooks: { prepare?: (target: Target) => Promise<void>; settle?: (target: Target) => Promise<void> } = {},
): Promise<Record<ServerKind, T[]>> {
  const results: Record<ServerKind, T[]> = { fleetca: [], moto: [] };
  for (let index = 1; index <= state.options.rounds; index++) {
    for (const kind of SERVER_ORDER) {
      const target = kind === 'fleetca' ? await state.fleetca(fleetcaKind) : state.moto;
      await hooks.prepare?.(target);
      state.progress.beginStep(`${label} · ${kind} round ${index}/${state.options.rounds}`, expectedMs);
      try {
        results[kind].push(await round(target));
      } finally {
        state.progress.endStep();
      }
      await hooks.settle?.(target);
    }
  }
  return results;
}

/** One server's totals over its rounds; validation failures are recorded in the state with `context`. */
function figuresOf(
  state: BenchState,
  server: ServerKind,
  context: string,
  rounds: readonly Measured[],
  pick: (m: Measured) => readonly Exchange[] = (m) => m.samples.exchanges,
): ServerFigures {
  const counted = tally(rounds.flatMap((m) => [...pick(m)]));
  if (server === 'fleetca') state.failureCount += counted.failed;
  else state.motoFailureCount += counted.failed;
  const firstLine = (text: string) => (text.split('\n')[0] ?? '').slice(0, 160);
  state.failures.push(...counted.failures.slice(0, 3).map((failure) => `${context}: ${firstLine(failure)}`));
  const sum = (get: (m: Measured) => number) => rounds.reduce((total, m) => total + get(m), 0);
  return {
    ok: counted.ok,
    throttled: counted.throttled,
    failed: counted.failed,
    elapsedS: sum((m) => m.samples.elapsedMs) / 1000,
    latency: summarizeLatencies(counted.latenciesMs),
    serverCpuS: sum((m) => m.cpu.server),
    machineCpuS: sum((m) => m.cpu.machine),
    clientCpuS: sum((m) => m.cpu.client),
  };
}

function rowOf(
  state: BenchState,
  label: string,
  kind: ResultRow['kind'],
  measured: Record<ServerKind, Measured[]>,
  pick?: (m: Measured) => readonly Exchange[] | undefined,
): ResultRow {
  const figures = (server: ServerKind) => {
    const rounds = measured[server];
    if (rounds.length === 0) return undefined;
    if (pick && rounds.some((m) => pick(m) === undefined)) return undefined;
    const picker = pick ? (m: Measured) => pick(m) ?? [] : undefined;
    return figuresOf(state, server, `${label} (${server})`, rounds, picker);
  };
  return { label, kind, fleetca: figures('fleetca'), moto: figures('moto') };
}

function atLeast(description: string, value: number | undefined, floor: number, format: (v: number) => string) {
  return target(description, value, (v) => v >= floor, format);
}

function atMost(description: string, value: number | undefined, ceiling: number, format: (v: number) => string) {
  return target(description, value, (v) => v <= ceiling, format);
}

function target(
  description: string,
  value: number | undefined,
  passes: (v: number) => boolean,
  format: (v: number) => string,
): TargetCheck {
  if (value === undefined || !Number.isFinite(value)) return { description, measured: 'not measured', pass: undefined };
  return { description, measured: format(value), pass: passes(value) };
}

const ms = (v: number) => `${formatMs(v)} ms`;
const perSecond = (v: number) => `${formatRate(v)} certs/s`;
const clients = (n: number) => `${n} client${n === 1 ? '' : 's'}`;

/** Describe (and, for fleetca, health) every probe interval, on the probe client. */
function probesFor(target: Target): Map<string, Call> {
  const probes = new Map<string, Call>([['describe', describeCall(target.describeId)]]);
  if (target.server.kind === 'fleetca') probes.set('health', HEALTH_CALL);
  return probes;
}

/** With 'drain', the pool is emptied before a sustained fleetca round... */
async function emptyPoolFirst(state: BenchState, target: Target): Promise<void> {
  if (state.poolMode !== 'drain' || target.server.kind !== 'fleetca') return;
  await drainPool(target.server, target.load);
}

/** ...and allowed to refill afterwards, so that the refill does not take CPU from moto's round. */
async function letPoolRefill(state: BenchState, target: Target): Promise<void> {
  if (state.poolMode !== 'drain' || target.server.kind !== 'fleetca') return;
  const wait = await waitForPool(state, target);
  if (!wait.full) state.progress.note(`note: fleetca's pool did not refill (${describeWait(wait)})`);
}

/** Waits for fleetca's pool to be full, showing its filling in the progress line. */
async function waitForPool(state: BenchState, target: Target): Promise<PoolWait> {
  try {
    return await waitForFullPool(target.server, state.options.poolWaitSeconds * 1000, (pool) =>
      state.progress.status(`waiting for fleetca's key pool: ${pool.keys}/${pool.capacity} keys`),
    );
  } finally {
    state.progress.status(undefined);
  }
}

function describeWait(wait: PoolWait): string {
  const seconds = (wait.waitedMs / 1000).toFixed(1);
  if (wait.state === 'no-metrics') return 'no pool metrics';
  return `${wait.state.keys}/${wait.state.capacity} keys after ${seconds} s`;
}

function poolNote(mode: PoolMode): string {
  switch (mode) {
    case 'pool-size-zero':
      return 'fleetca runs with `--key-pool-size 0` here: every key is generated for its request (sustained rate).';
    case 'drain':
      return "fleetca's key pool is drained before each fleetca round and refilled before each moto round (sustained rate).";
    case 'no-pool':
      return 'This fleetca build has no key pool (`/_fleetca/metrics` answered 404): nothing to drain.';
  }
}

export const keysAndCertificateScenario: Scenario = {
  id: 'keys',
  steps: (options) => options.keysConcurrency.length * options.rounds * 2,
  async run(state) {
    const { options } = state;
    const rows: ResultRow[] = [];
    const targets: TargetCheck[] = [];
    for (const concurrency of options.keysConcurrency) {
      const probing = concurrency >= 8;
      const label = `CreateKeysAndCertificate, ${clients(concurrency)}`;
      const measured = await alternate(
        state,
        'sustained',
        label,
        options.roundSeconds * 1000,
        async (t) => {
          const prober = probing ? startProber(t.probe, probesFor(t), options.probeIntervalMs) : undefined;
          const round = await measure(t, () =>
            runClosedLoop(t.load, keysAndCertificateCalls(t.server.rules), {
              concurrency,
              durationMs: options.roundSeconds * 1000,
              onReply: replyListener(state.progress),
            }),
          );
          return { ...round, probes: await prober?.stop() };
        },
        { prepare: (t) => emptyPoolFirst(state, t), settle: (t) => letPoolRefill(state, t) },
      );
      const row = rowOf(state, clients(concurrency), 'certificates', measured);
      rows.push(row);
      if (concurrency === 8 && row.fleetca) {
        state.sustained8Rate = rateOf(row.fleetca);
        const ratio = row.moto ? rateOf(row.fleetca) / rateOf(row.moto) : undefined;
        targets.push(
          target(
            'fleetca ≥ 1.5× moto certs/s with 8 clients (aim 2×)',
            ratio,
            (v) => v >= 1.5,
            (v) => `${v.toFixed(2)}×`,
          ),
        );
      }
      if (probing) {
        const describe = rowOf(
          state,
          `probe DescribeCertificate (${concurrency}-client load)`,
          'latency',
          measured,
          (m) => m.probes?.get('describe'),
        );
        const health = rowOf(state, `probe /_fleetca/health (${concurrency}-client load)`, 'latency', measured, (m) =>
          m.probes?.get('health'),
        );
        rows.push(describe, health);
        targets.push(
          atMost(
            `fleetca DescribeCertificate p99 ≤ 10 ms during ${concurrency}-client load`,
            describe.fleetca?.latency.p99,
            10,
            ms,
          ),
          atMost(`fleetca health p99 ≤ 10 ms during ${concurrency}-client load`, health.fleetca?.latency.p99, 10, ms),
        );
      }
    }
    return {
      title: 'CreateKeysAndCertificate, closed loop (sustained)',
      notes: [
        poolNote(state.poolMode),
        `${options.rounds} round(s) of ${options.roundSeconds} s per server, alternating; moto generates RSA-2048 keys too.`,
        `Side probes every ${options.probeIntervalMs} ms during the 8+ client loads, on their own connections (moto: describe only).`,
      ],
      rows,
      targets,
    };
  },
};

export const certificateFromCsrScenario: Scenario = {
  id: 'csr',
  steps: (options) => options.csrConcurrency.length * options.rounds * 2,
  async run(state) {
    const { options } = state;
    const rows: ResultRow[] = [];
    const targets: TargetCheck[] = [];
    for (const concurrency of options.csrConcurrency) {
      const measured = await alternate(
        state,
        'sustained',
        `CreateCertificateFromCsr, ${clients(concurrency)}`,
        options.roundSeconds * 1000,
        (t) =>
          measure(t, () =>
            runClosedLoop(t.load, certificateFromCsrCalls(t.server.rules, state.csrs), {
              concurrency,
              durationMs: options.roundSeconds * 1000,
              onReply: replyListener(state.progress),
            }),
          ),
      );
      const row = rowOf(state, clients(concurrency), 'certificates', measured);
      rows.push(row);
      targets.push(
        atLeast(
          `fleetca ≥ 2,000 certs/s with ${clients(concurrency)}`,
          row.fleetca && rateOf(row.fleetca),
          2000,
          perSecond,
        ),
      );
    }
    return {
      title: 'CreateCertificateFromCsr, closed loop',
      notes: [
        `${state.csrs.length} distinct EC P-256 CSRs made before timing, sent in turn (each request still gets its own certificate).`,
        "moto does not certify the CSR's key: it makes a fresh RSA-2048 key per request and copies only the subject, " +
          'so its responses are checked for the subject instead and its cost includes RSA key generation.',
      ],
      rows,
      targets,
    };
  },
};

export const warmPoolScenario: Scenario = {
  id: 'warm',
  steps: (options) => options.rounds * 2 * 2,
  async run(state) {
    const { options } = state;
    const notes: string[] = [];
    const waits: string[] = [];
    const fillPool = async (t: Target) => {
      if (t.server.kind !== 'fleetca') return;
      const wait = await waitForPool(state, t);
      if (!wait.full) waits.push(describeWait(wait));
    };

    let rate = options.openLoopRate;
    if (rate !== undefined) notes.push(`Open-loop rate ${formatRate(rate)}/s given on the command line.`);
    else if (state.sustained8Rate !== undefined && state.sustained8Rate > 0) {
      rate = state.sustained8Rate / 2;
      notes.push(`Open-loop rate ${formatRate(rate)}/s: half of fleetca's sustained 8-client rate measured above.`);
    } else {
      rate = 10;
      notes.push("Open-loop rate 10/s: fleetca's 8-client rate was not measured in this run (fallback).");
    }
    const roundMs = (options.openLoopSeconds * 1000) / options.rounds;
    const openLoop = await alternate(
      state,
      'pooled',
      `open loop ${formatRate(rate)}/s`,
      roundMs,
      (t) =>
        measure(t, () =>
          runOpenLoop(t.load, keysAndCertificateCalls(t.server.rules), {
            ratePerSecond: rate,
            durationMs: roundMs,
            drainTimeoutMs: Math.max(30_000, 3 * roundMs),
            onReply: replyListener(state.progress),
          }),
        ),
      { prepare: fillPool },
    );

    const { burstSize } = options;
    const bursts = await alternate(
      state,
      'pooled',
      `bursts of ${burstSize}`,
      undefined,
      async (t) => {
        const backToBack = await measure(t, () =>
          runBackToBack(t.load, keysAndCertificateCalls(t.server.rules), burstSize),
        );
        await fillPool(t);
        const allAtOnce = await measure(t, () =>
          runAllAtOnce(t.load, keysAndCertificateCalls(t.server.rules), burstSize),
        );
        return { backToBack, allAtOnce };
      },
      { prepare: fillPool },
    );

    const fleetca = await state.fleetca('pooled');
    const pool = await readPoolState(fleetca.server);
    if (pool === 'no-metrics') {
      notes.push('`/_fleetca/metrics` is not available in this build: rounds started without waiting for a full pool.');
    } else {
      notes.push(
        `fleetca runs with its default key pool (capacity ${pool.capacity}); each fleetca round starts with the pool full.`,
      );
      if (pool.capacity < burstSize)
        notes.push(`The pool holds fewer keys (${pool.capacity}) than a burst (${burstSize}).`);
    }
    if (waits.length > 0) notes.push(`The pool was not full before some rounds: ${waits.join('; ')}.`);
    notes.push(
      `Open loop: ${options.openLoopSeconds} s per server in ${options.rounds} round(s); latency counted from when each request was due. moto is sent the same rate.`,
      'Bursts: back-to-back = one client, each request sent when the previous is answered; all at once = all sent together, each on its own connection.',
    );

    const pickBurst = (which: 'backToBack' | 'allAtOnce') => ({
      fleetca: bursts.fleetca.map((b) => b[which]),
      moto: bursts.moto.map((b) => b[which]),
    });
    const openRow = rowOf(state, `open loop, ${formatRate(rate)}/s`, 'certificates', openLoop);
    const backToBackRow = rowOf(state, `burst ${burstSize} back-to-back`, 'certificates', pickBurst('backToBack'));
    const allAtOnceRow = rowOf(state, `burst ${burstSize} all at once`, 'certificates', pickBurst('allAtOnce'));
    return {
      title: 'CreateKeysAndCertificate from a warm pool',
      notes,
      rows: [openRow, backToBackRow, allAtOnceRow],
      targets: [
        atMost('fleetca open-loop p99 ≤ 20 ms', openRow.fleetca?.latency.p99, 20, ms),
        atMost(`fleetca burst of ${burstSize} back-to-back p50 ≤ 3 ms`, backToBackRow.fleetca?.latency.p50, 3, ms),
      ],
    };
  },
};

export const SCENARIOS: readonly Scenario[] = [
  keysAndCertificateScenario,
  certificateFromCsrScenario,
  warmPoolScenario,
];
