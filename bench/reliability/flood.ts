/**
 * Reliability part "flood": idle-connection floods against both doors of a real `fleetca serve` (default
 * connection-guard settings), while an ACTIVE device keeps connecting (TLS + CONNECT, then a publish it receives
 * back) and an API caller keeps calling DescribeCertificate, each on a fresh connection so that every probe has to
 * get through the pending pool the flood fills. Then the flood is released and the server's RSS read once it
 * is idle again; five cycles (quick form: one) show whether memory returns.
 *
 * The flood (flood-worker.ts children, spread over 127.0.0.2..127.0.0.41): REST idle TCP (no request), device
 * door idle TCP (no TLS), TLS without a client certificate, and TLS with a client certificate but no CONNECT.
 */

import { type ChildProcess, execFile, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type MqttClient, connect as mqttConnect } from 'mqtt';
import { FLOOD_QUIET_MS, SECOND_COLLECTION_MS } from '../../src/server/guard/after-flood.js';
import { parsePrometheusText, sampleValue } from '../prometheus.js';
import { table } from '../report.js';
import type { TargetCheck } from '../results.js';
import { type BenchServer, createFleetcaAccount, fleetcaEnv, freePort, REPO_ROOT, startFleetca } from '../servers.js';
import { SigV4Client } from '../sigv4-client.js';
import { type LatencySummary, summarizeLatencies } from '../stats.js';
import { allowEverything } from './device-policy.js';
import type { FloodCount, FloodOrder } from './flood-worker.js';
import type { PartOptions, PartReport, ReliabilityPart } from './part.js';

const execFileAsync = promisify(execFile);
const WORKER = join(dirname(fileURLToPath(import.meta.url)), 'flood-worker.js');
const FLEETCA_BIN = join(REPO_ROOT, 'bin', 'fleetca.js');

/**
 * Closed slots each flooding child reopens per second, after the first wave. The flood is one of idle
 * connections, not of handshakes: a client that reconnects faster than the server can do TLS handshakes
 * (about a thousand a second per core for RSA-2048) is a CPU flood no connection limit answers (README).
 */
const REOPEN_PER_SECOND = 100;

/** Latency the issue allows a probe during the flood. */
const PROBE_TARGET_MS = 1000;
/** RSS after the cycles may exceed the warmed-up server's by this fraction. */
const RSS_GROWTH_ALLOWED = 0.25;

interface FloodShape {
  readonly total: number;
  readonly cycles: number;
  /** How long the flood is held, probes running, after it is fully opened. */
  readonly holdMs: number;
  /** Idle time after a release before RSS is read. */
  readonly settleMs: number;
  readonly addresses: number;
}

/** Settling outlasts the guard's quiet period and its two collections of the flood's garbage (after-flood.ts). */
const SETTLE_MS = FLOOD_QUIET_MS + SECOND_COLLECTION_MS + 3_000;
const FULL: FloodShape = { total: 20_000, cycles: 5, holdMs: 12_000, settleMs: SETTLE_MS, addresses: 40 };
const QUICK: FloodShape = { total: 400, cycles: 1, holdMs: 2_000, settleMs: SETTLE_MS, addresses: 8 };

/**
 * The quick form's few hundred connections would never reach the default limits (a quarter of the open-file
 * limit pending) or outlast the 10 s deadlines: its server gets limits and deadlines scaled down with the flood.
 */
const QUICK_GUARD = [
  '--max-pending-connections',
  '100',
  '--handshake-timeout-ms',
  '1000',
  '--first-request-timeout-ms',
  '1000',
];

/** How the flood is split between the doors and kinds (fractions of the total). */
const MIX = [
  { label: 'REST idle TCP (no request)', door: 'rest', kind: 'tcp', share: 0.3, cert: false },
  { label: 'device door idle TCP (no TLS)', door: 'mqtt', kind: 'tcp', share: 0.3, cert: false },
  { label: 'device door TLS without client certificate', door: 'mqtt', kind: 'tls', share: 0.1, cert: false },
  { label: 'device door TLS, certificate, no CONNECT', door: 'mqtt', kind: 'tls', share: 0.3, cert: true },
] as const;

interface Device {
  readonly id: string;
  readonly cert: string;
  readonly key: string;
  readonly chain: string;
}

interface CycleResult {
  readonly cycle: number;
  readonly attempted: number;
  readonly peakUp: number;
  readonly closedByServer: number;
  readonly peakServerOpen: number;
  readonly rest: LatencySummary;
  readonly restFailures: number;
  readonly device: LatencySummary;
  readonly deviceFailures: number;
  /** While the flood was being opened (its handshakes compete for the same CPU): reported, not a target. */
  readonly rampRest: LatencySummary;
  readonly rampDevice: LatencySummary;
  readonly rampFailures: number;
  readonly rssAfterMb: number;
  readonly heapUsedAfterMb: number;
  /** CPU the server used from the flood's start to its release (both cores count). */
  readonly serverCpuSeconds: number;
}

export const floodPart: ReliabilityPart = {
  name: 'flood',
  title: 'Hostile clients: idle-connection floods on both doors',
  run: runFlood,
};

async function runFlood(options: PartOptions): Promise<PartReport> {
  const shape = options.quick ? QUICK : FULL;
  const mqttPort = await freePort();
  const server = await startFleetca({
    workDir: options.workDir,
    name: 'fleetca-flood',
    extraArgs: ['--mqtt-port', String(mqttPort), '--key-pool-size', '2', ...(options.quick ? QUICK_GUARD : [])],
    extraEnv: allocatorSettings(),
    credentials: () => createFleetcaAccount(options.workDir),
  });
  try {
    const restPort = Number(new URL(server.url).port);
    const device = await makeDevice(server, options.workDir);
    const probes = new Probes(server, device, mqttPort);

    // Warm-up: a small flood and the probes, so that "before" is a server that has served both doors.
    options.log(`flood: warming up (${Math.round(shape.total / 10)} connections)`);
    await floodCycle(
      { ...shape, total: Math.max(50, Math.round(shape.total / 10)) },
      0,
      server,
      probes,
      restPort,
      mqttPort,
      device,
      options,
    );
    const before = await serverMemory(server);
    options.log(`flood: warmed up, RSS ${mb(before.rss)} MB, JS heap used ${mb(before.heapUsed)} MB`);

    const cycles: CycleResult[] = [];
    for (let cycle = 1; cycle <= shape.cycles; cycle++) {
      cycles.push(await floodCycle(shape, cycle, server, probes, restPort, mqttPort, device, options));
    }
    const after = cycles[cycles.length - 1] as CycleResult;
    const guard = await guardClosings(server);
    return report(shape, before, cycles, after, guard);
  } finally {
    await server.stop();
  }
}

function report(
  shape: FloodShape,
  before: { rss: number; heapUsed: number },
  cycles: readonly CycleResult[],
  after: CycleResult,
  guard: ReadonlyArray<readonly [string, number]>,
): PartReport {
  const restP99 = Math.max(...cycles.map((c) => c.rest.p99));
  const deviceP99 = Math.max(...cycles.map((c) => c.device.p99));
  const restFailures = cycles.reduce((n, c) => n + c.restFailures, 0);
  const deviceFailures = cycles.reduce((n, c) => n + c.deviceFailures, 0);
  const growth = after.rssAfterMb / mb(before.rss) - 1;
  const checks: TargetCheck[] = [
    {
      description: `REST DescribeCertificate p99 while a flood of ${shape.total.toLocaleString('en-US')} idle connections is held ≤ ${PROBE_TARGET_MS} ms, none failed`,
      measured: `${fmt(restP99)} ms (worst cycle), ${restFailures} failed`,
      pass: restP99 <= PROBE_TARGET_MS && restFailures === 0,
    },
    {
      description: `ACTIVE device connect (TLS + CONNACK) p99 during the flood ≤ ${PROBE_TARGET_MS} ms, publish received back, none failed`,
      measured: `${fmt(deviceP99)} ms (worst cycle), ${deviceFailures} failed`,
      pass: deviceP99 <= PROBE_TARGET_MS && deviceFailures === 0,
    },
    {
      description: `RSS after ${shape.cycles} flood cycles within ${RSS_GROWTH_ALLOWED * 100} % of the warmed-up server's`,
      measured: `${mb(before.rss)} → ${after.rssAfterMb} MB (${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)} %)`,
      pass: growth <= RSS_GROWTH_ALLOWED,
    },
  ];
  const rows = cycles.map((c) => [
    String(c.cycle),
    c.attempted.toLocaleString('en-US'),
    c.peakUp.toLocaleString('en-US'),
    c.peakServerOpen.toLocaleString('en-US'),
    c.closedByServer.toLocaleString('en-US'),
    c.serverCpuSeconds.toFixed(1),
    `${fmt(c.rest.p50)} / ${fmt(c.rest.p99)} (${c.rest.count})`,
    `${fmt(c.device.p50)} / ${fmt(c.device.p99)} (${c.device.count})`,
    `${fmt(c.rampRest.p99)} / ${fmt(c.rampDevice.p99)} (${c.rampFailures} failed)`,
    String(c.rssAfterMb),
    String(c.heapUsedAfterMb),
  ]);
  return {
    checks,
    notes: [
      `fleetca serve with ${shape === QUICK ? `connection-guard settings ${QUICK_GUARD.join(' ')}` : 'the default connection-guard settings'} (open-file limit ${readOpenFileLimit()}; allocator settings: ${JSON.stringify(allocatorSettings())}); flood from ${shape.addresses} source addresses (127.0.0.2 on), per cycle ${shape.total.toLocaleString('en-US')} connections: ${MIX.map((m) => `${Math.round(m.share * 100)} % ${m.label}`).join(', ')}. A slot the server closes is reopened after 1 s, at most ${REOPEN_PER_SECOND} reopens a second per kind (${REOPEN_PER_SECOND * MIX.length}/s in all).`,
      `Probes run from the start of each flood to its release (targets: once the flood is fully opened and held; while it is being opened, shown apart), each on a fresh connection from 127.0.0.1: DescribeCertificate (SigV4, a new client and connection per call) and an ACTIVE device's TLS + CONNECT (then subscribe, publish QoS 1, receive).`,
      `"Warmed up": RSS after a flood of a tenth of the size, ${shape.settleMs / 1000} s idle — ${mb(before.rss)} MB, JS heap used ${mb(before.heapUsed)} MB. Each cycle holds the flood ${shape.holdMs / 1000} s after it is fully opened.`,
      `Guard closings over the run: ${guard.map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(', ') || 'none'}.`,
    ],
    tables: [
      table(
        [
          'cycle',
          'attempted',
          'peak up (flood side)',
          'peak open (server)',
          'closed by server',
          'server CPU s',
          'REST p50 / p99 ms (n)',
          'device connect p50 / p99 ms (n)',
          'while opening: REST / device p99 ms',
          'RSS after MB',
          'JS heap used after MB',
        ],
        rows,
      ),
    ],
  };
}

async function floodCycle(
  shape: FloodShape,
  cycle: number,
  server: BenchServer,
  probes: Probes,
  restPort: number,
  mqttPort: number,
  device: Device,
  options: PartOptions,
): Promise<CycleResult> {
  const addresses = Array.from(
    { length: shape.addresses },
    (_, i) => `127.0.${Math.floor((i + 2) / 256)}.${(i + 2) % 256}`,
  );
  const workers = MIX.map((mix, index) =>
    startWorker({
      kind: mix.kind,
      port: mix.door === 'rest' ? restPort : mqttPort,
      count: Math.round(shape.total * mix.share),
      // Each kind from its own slice of the addresses, so that all of them meet the per-address limit.
      localAddresses: addresses.filter((_, i) => i % MIX.length === index),
      ...(mix.cert ? { cert: device.cert, key: device.key } : {}),
      reopenAfterMs: 1000,
      reopenPerSecond: REOPEN_PER_SECOND,
    }),
  );
  const cpuBefore = cpuSecondsOf(server.pid);
  const probing = probes.start();
  let peakServerOpen = 0;
  let peakUp = 0;
  const watch = setInterval(() => {
    peakUp = Math.max(
      peakUp,
      workers.reduce((n, w) => n + w.count.up, 0),
    );
    void serverOpen(server).then((open) => {
      peakServerOpen = Math.max(peakServerOpen, open);
    });
  }, 250);
  try {
    // Fully opened: every slot attempted at least once.
    const deadline = Date.now() + 120_000;
    while (workers.reduce((n, w) => n + w.count.attempted, 0) < shape.total && Date.now() < deadline) {
      await delay(100);
    }
    probing.holding();
    await delay(shape.holdMs);
  } finally {
    clearInterval(watch);
  }
  const measured = await probing.stop();
  const serverCpuSeconds = cpuSecondsOf(server.pid) - cpuBefore;
  const counts = await Promise.all(workers.map((w) => w.release()));
  const attempted = counts.reduce((n, c) => n + c.attempted, 0);
  const closedByServer = counts.reduce((n, c) => n + c.closedByServer, 0);
  // Released: wait until the server has let go of them all (bounded), then idle before reading memory.
  const deadline = Date.now() + 30_000;
  while ((await serverOpen(server)) > 2 && Date.now() < deadline) await delay(200);
  await delay(shape.settleMs);
  const memory = await serverMemory(server);
  const result: CycleResult = {
    cycle,
    attempted,
    peakUp,
    closedByServer,
    peakServerOpen,
    rest: summarizeLatencies(measured.hold.rest),
    restFailures: measured.hold.restFailures,
    device: summarizeLatencies(measured.hold.device),
    deviceFailures: measured.hold.deviceFailures,
    rampRest: summarizeLatencies(measured.ramp.rest),
    rampDevice: summarizeLatencies(measured.ramp.device),
    rampFailures: measured.ramp.restFailures + measured.ramp.deviceFailures,
    rssAfterMb: mb(memory.rss),
    heapUsedAfterMb: mb(memory.heapUsed),
    serverCpuSeconds,
  };
  options.log(
    `flood: cycle ${cycle}: ${attempted} attempted, peak ${peakUp} up, ${closedByServer} closed by the server; REST p99 ${fmt(result.rest.p99)} ms (${result.restFailures} failed), device p99 ${fmt(result.device.p99)} ms (${result.deviceFailures} failed); opening: REST p99 ${fmt(result.rampRest.p99)} ms, device p99 ${fmt(result.rampDevice.p99)} ms, ${result.rampFailures} failed; RSS ${result.rssAfterMb} MB, heap ${result.heapUsedAfterMb} MB`,
  );
  return result;
}

interface Worker {
  count: FloodCount;
  release(): Promise<FloodCount>;
}

function startWorker(order: FloodOrder): Worker {
  const child: ChildProcess = fork(WORKER, [JSON.stringify(order)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const worker: Worker = {
    count: { attempted: 0, up: 0, closedByServer: 0 },
    release: () =>
      new Promise((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve(worker.count);
        });
        if (child.connected) child.send({ release: true });
        else child.kill('SIGKILL');
      }),
  };
  child.on('message', (count: FloodCount) => {
    worker.count = count;
  });
  return worker;
}

interface PhaseProbes {
  readonly rest: number[];
  restFailures: number;
  readonly device: number[];
  deviceFailures: number;
}

/** Probes while the flood was being opened, and while it was held. */
interface ProbeResults {
  readonly ramp: PhaseProbes;
  readonly hold: PhaseProbes;
}

/** The probes: sequential loops, each call on a fresh connection, until stopped. */
class Probes {
  constructor(
    private readonly server: BenchServer,
    private readonly device: Device,
    private readonly mqttPort: number,
  ) {}

  /** Starts the loops; the returned function stops them and returns what they saw, in `phase` order. */
  start(): { holding(): void; stop(): Promise<ProbeResults> } {
    let running = true;
    let phase: 'ramp' | 'hold' = 'ramp';
    const results: ProbeResults = {
      ramp: { rest: [], restFailures: 0, device: [], deviceFailures: 0 },
      hold: { rest: [], restFailures: 0, device: [], deviceFailures: 0 },
    };
    const restLoop = (async () => {
      while (running) {
        const client = new SigV4Client(this.server.url, this.server.credentials, 1);
        try {
          const reply = await client.send({ method: 'GET', path: `/certificates/${this.device.id}` });
          if (reply.status === 200 && reply.body.includes('"ACTIVE"')) results[phase].rest.push(reply.latencyMs);
          else results[phase].restFailures++;
        } catch {
          results[phase].restFailures++;
        } finally {
          client.close();
        }
        await delay(100);
      }
    })();
    const deviceLoop = (async () => {
      while (running) {
        const outcome = await deviceRoundTrip(this.mqttPort, this.device);
        if (outcome === undefined) results[phase].deviceFailures++;
        else results[phase].device.push(outcome);
        await delay(200);
      }
    })();
    return {
      holding: () => {
        phase = 'hold';
      },
      stop: async () => {
        running = false;
        await Promise.all([restLoop, deviceLoop]);
        return results;
      },
    };
  }
}

/** TLS + CONNECT until CONNACK (the time returned), then subscribe, publish QoS 1 and receive it; undefined on any failure. */
async function deviceRoundTrip(port: number, device: Device): Promise<number | undefined> {
  const started = performance.now();
  let client: MqttClient | undefined;
  try {
    client = mqttConnect({
      host: '127.0.0.1',
      port,
      protocol: 'mqtts',
      servername: 'localhost',
      ca: device.chain,
      cert: device.cert,
      key: device.key,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      clientId: `flood-probe-${Math.random().toString(16).slice(2)}`,
    });
    const connected = client;
    await new Promise<void>((resolve, reject) => {
      connected.once('connect', () => resolve());
      connected.once('error', reject);
      connected.once('close', () => reject(new Error('closed before CONNACK')));
    });
    const connectMs = performance.now() - started;
    await connected.subscribeAsync('flood/probe', { qos: 1 });
    const payload = String(Math.random());
    const received = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 10_000);
      connected.on('message', (_topic, message) => {
        if (message.toString() === payload) {
          clearTimeout(timer);
          resolve(true);
        }
      });
    });
    await connected.publishAsync('flood/probe', payload, { qos: 1 });
    return (await received) ? connectMs : undefined;
  } catch {
    return undefined;
  } finally {
    client?.end(true);
  }
}

async function makeDevice(server: BenchServer, workDir: string): Promise<Device> {
  const client = new SigV4Client(server.url, server.credentials, 1);
  try {
    const reply = await client.send({ method: 'POST', path: '/keys-and-certificate', query: { setAsActive: 'true' } });
    if (reply.status !== 200) throw new Error(`CreateKeysAndCertificate answered ${reply.status}: ${reply.body}`);
    const created = JSON.parse(reply.body) as {
      certificateArn: string;
      certificateId: string;
      certificatePem: string;
      keyPair: { PrivateKey: string };
    };
    await allowEverything(client, created.certificateArn);
    const { stdout } = await execFileAsync(process.execPath, [FLEETCA_BIN, 'ca', 'export'], {
      cwd: REPO_ROOT,
      env: fleetcaEnv(workDir),
    });
    return { id: created.certificateId, cert: created.certificatePem, key: created.keyPair.PrivateKey, chain: stdout };
  } finally {
    client.close();
  }
}

async function scrape(server: BenchServer): Promise<ReturnType<typeof parsePrometheusText>> {
  const response = await fetch(`${server.url}/_fleetca/metrics`, { signal: AbortSignal.timeout(10_000) });
  return parsePrometheusText(await response.text());
}

async function serverOpen(server: BenchServer): Promise<number> {
  try {
    const samples = await scrape(server);
    return (
      (sampleValue(samples, 'fleetca_connections_open', { door: 'rest' }) ?? 0) +
      (sampleValue(samples, 'fleetca_connections_open', { door: 'mqtt' }) ?? 0)
    );
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

async function serverMemory(server: BenchServer): Promise<{ rss: number; heapUsed: number }> {
  const samples = await scrape(server);
  return {
    rss: rssOf(server.pid),
    heapUsed: sampleValue(samples, 'fleetca_process_memory_bytes', { kind: 'heap_used' }) ?? Number.NaN,
  };
}

async function guardClosings(server: BenchServer): Promise<Array<[string, number]>> {
  const samples = await scrape(server);
  return samples
    .filter((s) => s.name === 'fleetca_connection_guard_closed_total')
    .map((s) => [`${s.labels.door}:${s.labels.reason}`, s.value] as [string, number]);
}

/** User + system CPU of a process so far, from /proc (seconds; clock ticks of 1/100 s). */
function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Resident set of a process, from /proc (bytes). */
function rssOf(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

/** glibc allocator settings given to the bench (MALLOC_*, GLIBC_TUNABLES) are passed on to the server. */
function allocatorSettings(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        (entry[0].startsWith('MALLOC_') || entry[0] === 'GLIBC_TUNABLES') && entry[1] !== undefined,
    ),
  );
}

function readOpenFileLimit(): string {
  try {
    return /^Max open files\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(ms < 10 ? 1 : 0) : '—');
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
