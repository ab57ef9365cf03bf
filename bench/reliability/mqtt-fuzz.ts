/**
 * MQTT fuzzing of the device door: seeded, reproducible connections over mTLS to a real `fleetca serve`, with an
 * ACTIVE device certificate so that they get past admission, carrying mutated and random packets (fuzz-cases.ts),
 * CONNECT itself included. Beside them a control device keeps connecting and round-tripping a message, and a `#`
 * subscriber reads every delivered topic from the raw bytes. Checks: the server never crashes nor hangs, logs no
 * unhandled error, never routes an invalid-UTF-8 topic, and its memory and file descriptors stay level.
 */

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { formatMs, table } from '../report.js';
import type { TargetCheck } from '../results.js';
import { createFleetcaAccount, fleetcaEnv, freePort, REPO_ROOT, startFleetca } from '../servers.js';
import { SigV4Client } from '../sigv4-client.js';
import { percentile } from '../stats.js';
import { allowEverything } from './device-policy.js';
import { ControlDevice, HANG_GUARD_MS } from './mqtt-fuzz/control-device.js';
import { type FuzzCase, fuzzCase } from './mqtt-fuzz/fuzz-cases.js';
import type { DeviceTls } from './mqtt-fuzz/raw-tls-connection.js';
import { type CaseEnd, type CaseOutcome, runCase } from './mqtt-fuzz/run-case.js';
import { inspectLog, isAlive } from './mqtt-fuzz/server-watch.js';
import { SentReplacementCharacters, TopicWatcher } from './mqtt-fuzz/topic-watcher.js';
import type { PartOptions, PartReport, ReliabilityPart } from './part.js';
import { freshSeed, Prng } from './prng.js';
import { type ProcessSample, sampleProcess } from './process-sample.js';

const execFileAsync = promisify(execFile);

/** Fuzz connections in the full and the quick form. */
const FULL_CASES = 5000;
const QUICK_CASES = 300;
/** Connections open at once. */
const CONCURRENCY = 4;
/** Share of connections whose CONNECT itself is fuzzed. */
const FUZZ_CONNECT_SHARE = 0.3;
/** The control device's speed target. */
const ROUND_TRIP_TARGET_MS = 1000;
/** Resident memory may grow this much from the warmed-up sample to the end (retained messages, sessions). */
const RSS_GROWTH_LIMIT_BYTES = 64 * 1024 * 1024;
/** Open file descriptors above the starting count tolerated once every fuzz connection is gone. */
const FD_SLACK = 8;

/** The checks' descriptions (the quick form's test looks them up by these). */
export const CHECKS = {
  alive: 'the server never crashed',
  hang: `never hung: every control round trip completed (none failed, none over ${HANG_GUARD_MS / 1000} s)`,
  speed: `control round trip (connect, subscribe, publish QoS 1, message back) within ${ROUND_TRIP_TARGET_MS / 1000} s`,
  log: 'no unhandled error in the server log (no error/fatal line, nothing but JSON lines)',
  utf8: 'no invalid-UTF-8 topic delivered to a # subscriber, nor one turned into U+FFFD (the subscriber stayed connected)',
  tls: 'every fuzz connection completed its TLS handshake',
  memory: `memory stable: resident memory grew at most ${RSS_GROWTH_LIMIT_BYTES / 2 ** 20} MiB after warm-up`,
  files: `file descriptors released: at most ${FD_SLACK} more open than before the fuzzing`,
} as const;

/** The runner's part settings (`--seed`), when it passes them. */
interface FuzzSettings {
  readonly settings?: { readonly seed?: number };
}

export const mqttFuzzPart: ReliabilityPart = {
  name: 'mqtt-fuzz',
  title: 'MQTT fuzzing of the device door',
  run: (options) => runMqttFuzz(options),
};

interface Tally {
  cases: number;
  closed: number;
  answered: number;
  silent: number;
  tlsFailed: number;
}

async function runMqttFuzz(options: PartOptions & FuzzSettings): Promise<PartReport> {
  const seed = options.settings?.seed ?? freshSeed();
  const total = options.quick ? QUICK_CASES : FULL_CASES;
  options.log(`mqtt-fuzz: ${total} connections, seed ${seed}`);
  const mqttPort = await freePort();
  const server = await startFleetca({
    workDir: options.workDir,
    name: 'fleetca-mqtt-fuzz',
    extraArgs: ['--mqtt-port', String(mqttPort), '--key-pool-size', '4'],
    credentials: () => createFleetcaAccount(options.workDir),
  });
  let watcher: TopicWatcher | undefined;
  let control: ControlDevice | undefined;
  try {
    const ca = await exportChain(options.workDir);
    const iot = new SigV4Client(server.url, server.credentials, 4);
    const fuzzer: DeviceTls = { port: mqttPort, ca, ...(await issueActiveCertificate(iot)) };
    const controlTls: DeviceTls = { port: mqttPort, ca, ...(await issueActiveCertificate(iot)) };
    const sent = new SentReplacementCharacters();
    watcher = await TopicWatcher.start(controlTls, sent);
    control = new ControlDevice(controlTls);
    control.start();

    const samples: ProcessSample[] = [await sampleProcess(server.pid, 0)];
    const tallies = new Map<string, Tally>();
    const tlsErrors: string[] = [];
    let next = 0;
    let done = 0;
    let diedBy: number | undefined;
    const timings = options.quick ? { connackMs: 3000, answerMs: 1000 } : { connackMs: 5000, answerMs: 1500 };
    const checkpoint = Math.max(1, Math.floor(total / 10));
    const worker = async () => {
      while (next < total && diedBy === undefined) {
        const index = next++;
        const fuzz = fuzzCase(Prng.forCase(seed, index), index, FUZZ_CONNECT_SHARE);
        const outcome = await runCase(fuzzer, fuzz, timings, sent);
        record(tallies, fuzz, outcome);
        if (outcome.error && tlsErrors.length < 5) tlsErrors.push(`case ${index}: ${outcome.error}`);
        if (!isAlive(server.pid)) diedBy ??= index;
        done++;
        if (done % checkpoint === 0) {
          if (isAlive(server.pid)) samples.push(await sampleProcess(server.pid, done));
          options.log(`mqtt-fuzz: ${done}/${total} connections, ${control?.completed ?? 0} control round trips`);
        }
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const elapsedS = (performance.now() - started) / 1000;
    const controlFigures = await control.stop();
    control = undefined;
    const alive = isAlive(server.pid);
    const watcherConnected = watcher.stillConnected;
    watcher.stop();
    const settledFiles = alive ? await filesSettled(server.pid, samples[0] as ProcessSample) : undefined;
    if (settledFiles) samples.push(settledFiles);
    const log = await inspectLog(server.logFile);

    const checks = buildChecks({
      alive,
      diedBy,
      seed,
      controlFigures,
      log,
      watcher,
      watcherConnected,
      tallies,
      tlsErrors,
      samples,
    });
    return {
      checks,
      notes: [
        `Seed ${seed} (\`--seed ${seed}\` repeats the same connections); ${done.toLocaleString('en-US')} fuzz connections ` +
          `(${CONCURRENCY} at a time, ${Math.round(FUZZ_CONNECT_SHARE * 100)} % with a fuzzed CONNECT, the others admitted ` +
          `first and then sent 1–4 fuzzed packets) in ${elapsedS.toFixed(1)} s, over mTLS to \`fleetca serve\` with an ACTIVE ` +
          'device certificate. Each connection ends with a PINGREQ: the server either closed it, still answered, or ' +
          'stayed silent (waiting for bytes a packet announced and never sent, which is correct).',
        `Control device: ${controlFigures.latenciesMs.length} round trips on fresh connections (MQTT 3.1.1 and 5 in ` +
          `turn), ${controlFigures.failures.length} failed${controlFigures.failures.length > 0 ? `: ${controlFigures.failures.slice(0, 3).join('; ')}` : ''}.`,
        `# subscriber: ${watcher.delivered} messages delivered, ${watcher.invalidCount} with an invalid topic` +
          `${watcher.invalidTopics.length > 0 ? ` (hex: ${watcher.invalidTopics.join(', ')})` : ''}. Server log: ${log.lines} lines, ` +
          `${log.malformedReports} malformed-packet refusals logged${log.problems.length > 0 ? `; problems: ${log.problems.slice(0, 3).join(' | ')}` : ''}.`,
      ],
      tables: [outcomeTable(tallies), memoryTable(samples)],
    };
  } finally {
    await control?.stop();
    watcher?.stop();
    await server.stop();
  }
}

/** `fleetca ca export`: the chain the devices verify the endpoint with. */
async function exportChain(workDir: string): Promise<string> {
  const { stdout } = await execFileAsync(process.execPath, [join(REPO_ROOT, 'bin', 'fleetca.js'), 'ca', 'export'], {
    cwd: REPO_ROOT,
    env: fleetcaEnv(workDir),
  });
  return stdout;
}

/** CreateKeysAndCertificate with setAsActive, through the REST door. */
async function issueActiveCertificate(iot: SigV4Client): Promise<{ cert: string; key: string }> {
  const reply = await iot.send({ method: 'POST', path: '/keys-and-certificate', query: { setAsActive: 'true' } });
  const body = JSON.parse(reply.body) as {
    certificateArn?: string;
    certificatePem?: string;
    keyPair?: { PrivateKey?: string };
  };
  if (reply.status !== 200 || !body.certificateArn || !body.certificatePem || !body.keyPair?.PrivateKey) {
    throw new Error(`CreateKeysAndCertificate answered ${reply.status}`);
  }
  await allowEverything(iot, body.certificateArn);
  return { cert: body.certificatePem, key: body.keyPair.PrivateKey };
}

/** The fuzz connections are closed by now, or lingering (up to a second each): waits for their descriptors to go. */
async function filesSettled(pid: number, before: ProcessSample): Promise<ProcessSample> {
  const deadline = performance.now() + 15_000;
  for (;;) {
    const sample = await sampleProcess(pid, -1);
    if (sample.openFiles <= before.openFiles + FD_SLACK || performance.now() > deadline) return sample;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function kindOf(fuzz: FuzzCase): string {
  if (fuzz.connect.mutation !== 'valid') return `CONNECT: ${fuzz.connect.mutation}`;
  const broken = fuzz.packets.find((p) => p.mutation !== 'valid');
  return `after admission: ${broken?.mutation ?? 'valid only'}`;
}

function record(tallies: Map<string, Tally>, fuzz: FuzzCase, outcome: CaseOutcome): void {
  const kind = kindOf(fuzz);
  const tally = tallies.get(kind) ?? { cases: 0, closed: 0, answered: 0, silent: 0, tlsFailed: 0 };
  tally.cases++;
  const key: Record<CaseEnd, keyof Tally> = {
    closed: 'closed',
    answered: 'answered',
    silent: 'silent',
    'tls-failed': 'tlsFailed',
  };
  tally[key[outcome.end]]++;
  tallies.set(kind, tally);
}

function outcomeTable(tallies: Map<string, Tally>): string {
  const rows = [...tallies.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, t]) => [
      kind,
      String(t.cases),
      String(t.closed),
      String(t.answered),
      String(t.silent),
      String(t.tlsFailed),
    ]);
  return table(['connection kind', 'connections', 'closed by server', 'still answering', 'silent', 'TLS failed'], rows);
}

function memoryTable(samples: readonly ProcessSample[]): string {
  const rows = samples.map((s) => [
    s.at < 0 ? 'end (connections closed)' : String(s.at),
    (s.rssBytes / 2 ** 20).toFixed(1),
    String(s.openFiles),
  ]);
  return table(['after connections', 'server RSS MiB', 'open files'], rows);
}

interface Evidence {
  readonly alive: boolean;
  readonly diedBy: number | undefined;
  readonly seed: number;
  readonly controlFigures: Awaited<ReturnType<ControlDevice['stop']>>;
  readonly log: Awaited<ReturnType<typeof inspectLog>>;
  readonly watcher: TopicWatcher;
  readonly watcherConnected: boolean;
  readonly tallies: Map<string, Tally>;
  readonly tlsErrors: readonly string[];
  readonly samples: readonly ProcessSample[];
}

function buildChecks(e: Evidence): TargetCheck[] {
  const latencies = [...e.controlFigures.latenciesMs].sort((a, b) => a - b);
  const maxLatency = latencies.at(-1) ?? Number.NaN;
  const tlsFailed = [...e.tallies.values()].reduce((sum, t) => sum + t.tlsFailed, 0);
  const warm = e.samples[Math.min(2, e.samples.length - 1)] as ProcessSample;
  const first = e.samples[0] as ProcessSample;
  const last = e.samples.at(-1) as ProcessSample;
  const growth = last.rssBytes - warm.rssBytes;
  return [
    {
      description: CHECKS.alive,
      measured: e.alive ? 'running at the end' : `died by connection ${e.diedBy} (seed ${e.seed})`,
      pass: e.alive && e.diedBy === undefined,
    },
    {
      description: CHECKS.hang,
      measured: `${latencies.length} round trips, ${e.controlFigures.failures.length} failed`,
      pass: latencies.length > 0 && e.controlFigures.failures.length === 0,
    },
    {
      description: CHECKS.speed,
      measured:
        latencies.length > 0
          ? `${latencies.filter((ms) => ms > ROUND_TRIP_TARGET_MS).length} of ${latencies.length} over; max ${formatMs(maxLatency)} ms, p50 ${formatMs(percentile(latencies, 50))} ms, p99 ${formatMs(percentile(latencies, 99))} ms`
          : 'no round trip completed',
      pass: latencies.length > 0 && maxLatency <= ROUND_TRIP_TARGET_MS,
    },
    {
      description: CHECKS.log,
      measured: e.log.problems.length === 0 ? `${e.log.lines} lines, none` : `${e.log.problems.length} problem lines`,
      pass: e.log.lines > 0 && e.log.problems.length === 0,
    },
    {
      description: CHECKS.utf8,
      measured: `${e.watcher.delivered} delivered, ${e.watcher.invalidCount} invalid; ${e.watcherConnected ? 'connected' : 'disconnected'} at the end`,
      pass: e.watcher.delivered > 0 && e.watcher.invalidCount === 0 && e.watcherConnected,
    },
    {
      description: CHECKS.tls,
      measured: tlsFailed === 0 ? 'all' : `${tlsFailed} failed (${e.tlsErrors.join('; ')})`,
      pass: tlsFailed === 0,
    },
    {
      description: CHECKS.memory,
      measured: `${(warm.rssBytes / 2 ** 20).toFixed(1)} → ${(last.rssBytes / 2 ** 20).toFixed(1)} MiB`,
      pass: e.alive && growth <= RSS_GROWTH_LIMIT_BYTES,
    },
    {
      description: CHECKS.files,
      measured: `${first.openFiles} before, ${last.openFiles} after`,
      pass: e.alive && last.openFiles <= first.openFiles + FD_SLACK,
    },
  ];
}
