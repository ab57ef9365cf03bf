/**
 * The soak: a steady mix of issuance (CreateKeysAndCertificate, CreateCertificateFromCsr), reads
 * (DescribeCertificate, ListCertificates) and MQTT devices (connect, subscribe, publish and receive, disconnect,
 * again) against one `fleetca serve` for 30 minutes (quick: about 20 s), sampling the server's RSS and open files
 * from /proc and the heap in use after the last full collection from its metrics. Checks: no error at all; after
 * the warm-up, RSS grows by less than 10 % and so does the heap after full collections (the leak indicator: on Node
 * 22 and later V8 commits heap for minutes under a steady load, which RSS shows and that does not); open files
 * return to where they were once the load has stopped. The quick form's 20 s cannot resolve 10 % of RSS while V8
 * is still sizing its heap (measured on Node 24: +10 to +24 % in 20 s, with the heap after full collections
 * flat), and may see no full collection at all, so there RSS only has to stay under +50 %, a tripwire for a gross
 * leak, and the heap is shown, not checked.
 */

import { connect, type MqttClient } from 'mqtt';
import { makeCsrs } from '../csr.js';
import { alternatingIssuance } from '../iot-requests.js';
import { sleep } from '../load.js';
import { parsePrometheusText, sampleValue } from '../prometheus.js';
import { table } from '../report.js';
import type { TargetCheck } from '../results.js';
import { SigV4Client } from '../sigv4-client.js';
import { checkKeysAndCertificate, FLEETCA_RULES, isThrottled } from '../validate.js';
import { allowEverything } from './device-policy.js';
import { caChain, createAccount, type FleetcaHome, startFleetca } from './fleetca-process.js';
import type { PartReport, ReliabilityPart } from './part.js';
import { median, type ProcessSample, sampleProcess } from './process-sample.js';

const SERVE_ARGS = ['--key-pool-size', '4', '--log-level', 'warn'];
const DEVICES = 4;
const MESSAGES_PER_SESSION = 5;
/** A guard against a message that never comes, not a speed target. */
const MQTT_TIMEOUT_MS = 20_000;
const HEAP_GROWTH_LIMIT = 0.1;

interface Plan {
  readonly durationS: number;
  readonly warmUpS: number;
  /**
   * The baseline is the median over [warmUp, warmUp + window), the end over the last window. In the full form each
   * is a third of the time after the warm-up: on Node 22 and later RSS swings by a third over a few minutes as V8
   * grows and gives back heap (measured on Node 24: 212–336 MiB at a steady load), which a one-minute median
   * catches at random and an eight-minute one averages out.
   */
  readonly windowS: number;
  readonly sampleEveryS: number;
  /** Pause between one client's issuance requests: a steady load, not a saturating one. */
  readonly issuePauseMs: number;
  readonly readPauseMs: number;
  readonly rssGrowthLimit: number;
  /** Whether the run is long enough to see full collections in both windows (20 s may see none). */
  readonly checksHeap: boolean;
}

interface SoakSample extends ProcessSample {
  /** NaN until the server's first full collection. */
  readonly heapAfterFullGcBytes: number;
}

function planFor(quick: boolean, minutes: number | undefined): Plan {
  const durationS = minutes !== undefined ? minutes * 60 : quick ? 20 : 30 * 60;
  const short = durationS < 120;
  const warmUpS = short ? Math.round(durationS * 0.4) : Math.min(300, durationS / 3);
  return {
    durationS,
    warmUpS,
    windowS: short ? Math.max(2, Math.round(durationS * 0.2)) : Math.round((durationS - warmUpS) / 3),
    sampleEveryS: short ? 1 : 5,
    issuePauseMs: 100,
    readPauseMs: 20,
    rssGrowthLimit: short ? 0.5 : 0.1,
    checksHeap: !short,
  };
}

interface Counters {
  issued: number;
  throttled: number;
  reads: number;
  sessions: number;
  messages: number;
  errors: string[];
}

function fail(counters: Counters, what: string): void {
  if (counters.errors.length < 1000) counters.errors.push(what);
}

interface Device {
  readonly certificatePem: string;
  readonly privateKey: string;
}

/** One device session: connect, subscribe to its own topic, publish and receive its messages, disconnect. */
async function deviceSession(port: number, chain: string, device: Device, index: number, round: number) {
  const client: MqttClient = connect({
    host: '127.0.0.1',
    port,
    protocol: 'mqtts',
    servername: 'localhost',
    ca: chain,
    cert: device.certificatePem,
    key: device.privateKey,
    protocolVersion: round % 2 === 0 ? 4 : 5,
    clientId: `soak-device-${index}`,
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: MQTT_TIMEOUT_MS,
  });
  const topic = `soak/${index}/${round}`;
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
      client.once('close', () => reject(new Error('closed before CONNACK')));
    });
    await client.subscribeAsync(topic, { qos: 1 });
    const received = new Promise<number>((resolve, reject) => {
      let count = 0;
      const timer = setTimeout(
        () => reject(new Error(`${count} of ${MESSAGES_PER_SESSION} messages came back`)),
        MQTT_TIMEOUT_MS,
      );
      client.on('message', (on) => {
        if (on !== topic || ++count < MESSAGES_PER_SESSION) return;
        clearTimeout(timer);
        resolve(count);
      });
    });
    for (let i = 0; i < MESSAGES_PER_SESSION; i++) await client.publishAsync(topic, `message ${i}`, { qos: 1 });
    return await received;
  } finally {
    await client.endAsync().catch(() => client.end(true));
  }
}

export const soakPart: ReliabilityPart = {
  name: 'soak',
  title: 'Soak: mixed issuance, reads and devices',
  async run(options): Promise<PartReport> {
    const plan = planFor(options.quick, options.settings?.soakMinutes);
    options.log(
      `${Math.round(plan.durationS)} s, warm-up ${Math.round(plan.warmUpS)} s, samples every ${plan.sampleEveryS} s`,
    );
    const home: FleetcaHome = { dir: options.workDir };
    const server = await startFleetca(home, SERVE_ARGS, 'serve.log');
    const counters: Counters = { issued: 0, throttled: 0, reads: 0, sessions: 0, messages: 0, errors: [] };
    const samples: SoakSample[] = [];
    let openFilesIdleBefore = Number.NaN;
    let openFilesIdleAfter = Number.NaN;
    try {
      const credentials = await createAccount(home);
      const chain = await caChain(home);
      const setupClient = new SigV4Client(server.url, credentials, 4);
      const devices: Device[] = [];
      const ids: string[] = [];
      for (let i = 0; i < DEVICES; i++) {
        const reply = await setupClient.send({
          method: 'POST',
          path: '/keys-and-certificate',
          query: { setAsActive: 'true' },
        });
        const problem = checkKeysAndCertificate(reply, FLEETCA_RULES);
        if (problem) throw new Error(`a device certificate could not be made: ${problem}`);
        const made = JSON.parse(reply.body) as {
          certificateArn: string;
          certificateId: string;
          certificatePem: string;
          keyPair: { PrivateKey: string };
        };
        await allowEverything(setupClient, made.certificateArn);
        devices.push({ certificatePem: made.certificatePem, privateKey: made.keyPair.PrivateKey });
        ids.push(made.certificateId);
      }
      setupClient.close();
      const csrs = makeCsrs(64, 'soak-device');
      openFilesIdleBefore = await settledOpenFiles(server.pid);

      const started = performance.now();
      const elapsedS = () => (performance.now() - started) / 1000;
      const running = () => elapsedS() < plan.durationS;
      const client = new SigV4Client(server.url, credentials, 8);

      const issuer = async (offset: number) => {
        for (let i = offset; running(); i++) {
          const call = alternatingIssuance(i, csrs, FLEETCA_RULES);
          try {
            const reply = await client.send(call.request);
            if (isThrottled(reply)) counters.throttled++;
            else {
              const problem = call.check(reply);
              if (problem) fail(counters, `issuance: ${problem}`);
              else {
                counters.issued++;
                ids.push((JSON.parse(reply.body) as { certificateId: string }).certificateId);
              }
            }
          } catch (err) {
            fail(counters, `issuance: ${(err as Error).message}`);
          }
          await sleep(plan.issuePauseMs);
        }
      };
      const reader = async () => {
        for (let i = 0; running(); i++) {
          const id = ids[(i * 7919) % ids.length] as string;
          const list = i % 4 === 3;
          try {
            const reply = await client.send(
              list
                ? { method: 'GET', path: '/certificates', query: { pageSize: '10' } }
                : { method: 'GET', path: `/certificates/${id}` },
            );
            const ok = reply.status === 200 && (list ? reply.body.includes('"certificates"') : reply.body.includes(id));
            if (ok) counters.reads++;
            else
              fail(
                counters,
                `${list ? 'ListCertificates' : 'DescribeCertificate'}: HTTP ${reply.status} ${reply.body.slice(0, 120)}`,
              );
          } catch (err) {
            fail(counters, `read: ${(err as Error).message}`);
          }
          await sleep(plan.readPauseMs);
        }
      };
      const device = async (index: number) => {
        for (let round = 0; running(); round++) {
          try {
            const messages = await deviceSession(
              server.mqttPort as number,
              chain,
              devices[index] as Device,
              index,
              round,
            );
            counters.messages += messages;
            counters.sessions++;
          } catch (err) {
            fail(counters, `device ${index}: ${(err as Error).message}`);
            await sleep(500);
          }
        }
      };
      const sampler = async () => {
        for (let next = 0; running(); next += plan.sampleEveryS) {
          await sleep(Math.max(0, next * 1000 - (performance.now() - started)));
          try {
            const [processSample, heapAfterFullGcBytes] = await Promise.all([
              sampleProcess(server.pid, elapsedS()),
              heapAfterFullGc(server.url),
            ]);
            samples.push({ ...processSample, heapAfterFullGcBytes });
          } catch (err) {
            fail(counters, `sampling: ${(err as Error).message}`);
            return;
          }
          if (samples.length % Math.max(1, Math.round(60 / plan.sampleEveryS)) === 0) {
            const last = samples.at(-1) as SoakSample;
            options.log(
              `${Math.round(last.at)} s: RSS ${mib(last.rssBytes)} MiB, heap after full GC ${mib(last.heapAfterFullGcBytes)} MiB, ${last.openFiles} open files, ${counters.issued} issued, ${counters.sessions} device sessions, ${counters.errors.length} errors`,
            );
          }
        }
      };
      await Promise.all([issuer(0), issuer(1), reader(), sampler(), ...devices.map((_, index) => device(index))]);
      client.close();
      openFilesIdleAfter = await settledOpenFiles(server.pid, openFilesIdleBefore);
      if (!server.alive()) fail(counters, `the server died (log: ${server.logFile})`);
    } finally {
      await server.stop();
    }
    const exit = await server.exited;
    if (exit.code !== 0) fail(counters, `the server ended with ${exit.signal ?? exit.code} on SIGTERM`);
    return report(plan, counters, samples, openFilesIdleBefore, openFilesIdleAfter);
  },
};

/** The server's heap in use after its last full collection, from its metrics; NaN before the first. */
async function heapAfterFullGc(serverUrl: string): Promise<number> {
  const reply = await fetch(`${serverUrl}/_fleetca/metrics`);
  if (reply.status !== 200) throw new Error(`metrics: HTTP ${reply.status}`);
  const samples = parsePrometheusText(await reply.text());
  return sampleValue(samples, 'fleetca_process_memory_bytes', { kind: 'heap_after_full_gc' }) ?? Number.NaN;
}

/**
 * The server's open files once its connections have gone: sampled until two readings a second apart agree (and,
 * after the load, until back at `target` or 30 s have passed — the server closes idle keep-alive sockets after 5 s).
 */
async function settledOpenFiles(pid: number, target?: number): Promise<number> {
  const deadline = performance.now() + 30_000;
  let last = (await sampleProcess(pid, 0)).openFiles;
  for (;;) {
    await sleep(1000);
    const now = (await sampleProcess(pid, 0)).openFiles;
    const settled = now === last && (target === undefined || now <= target);
    if (settled || performance.now() > deadline) return now;
    last = now;
  }
}

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}

function report(
  plan: Plan,
  counters: Counters,
  samples: readonly SoakSample[],
  filesBefore: number,
  filesAfter: number,
): PartReport {
  const growthCheck = (what: string, read: (sample: SoakSample) => number, limit: number): TargetCheck => {
    const over = (from: number, to: number) =>
      median(samples.filter((s) => s.at >= from && s.at < to && Number.isFinite(read(s))).map(read));
    const baseline = over(plan.warmUpS, plan.warmUpS + plan.windowS);
    const final = over(plan.durationS - plan.windowS, Number.POSITIVE_INFINITY);
    const growth = final / baseline - 1;
    return {
      description: `${what} growth after the warm-up (< ${limit * 100} %)`,
      measured: Number.isFinite(growth)
        ? `${(growth * 100).toFixed(1)} % (${mib(baseline)} → ${mib(final)} MiB)`
        : 'too few samples',
      pass: Number.isFinite(growth) ? growth < limit : undefined,
    };
  };
  const checks: TargetCheck[] = [
    {
      description: 'errors (issuance, reads, device sessions, server exit)',
      measured: `${counters.errors.length}${counters.errors.length ? ` (${counters.errors.slice(0, 3).join('; ')})` : ''}`,
      pass: counters.errors.length === 0,
    },
    growthCheck('RSS', (s) => s.rssBytes, plan.rssGrowthLimit),
    ...(plan.checksHeap
      ? [growthCheck('heap after full collections', (s) => s.heapAfterFullGcBytes, HEAP_GROWTH_LIMIT)]
      : []),
    {
      description: 'open files back to their idle count after the load',
      measured: `${filesBefore} before, ${filesAfter} after`,
      pass: Number.isFinite(filesAfter) ? filesAfter <= filesBefore : undefined,
    },
    {
      description: 'every kind of work was done',
      measured: `${counters.issued} certificates, ${counters.reads} reads, ${counters.sessions} device sessions (${counters.messages} messages)`,
      pass: counters.issued > 0 && counters.reads > 0 && counters.sessions > 0,
    },
  ];
  // About 16 rows whatever the length: the first, then evenly spaced, then the last.
  const step = Math.max(1, Math.ceil(samples.length / 15));
  const shown = samples.filter((_, index) => index % step === 0 || index === samples.length - 1);
  return {
    checks,
    notes: [
      `${Math.round(plan.durationS)} s of load: 2 issuing clients (CreateKeysAndCertificate / CreateCertificateFromCsr ` +
        `alternating, ${plan.issuePauseMs} ms apart), 1 reader (DescribeCertificate, every 4th a ListCertificates page, ` +
        `${plan.readPauseMs} ms apart), ${DEVICES} MQTT devices (3.1.1 and 5 alternately: connect, subscribe, ` +
        `${MESSAGES_PER_SESSION} QoS 1 messages to themselves, disconnect, again) on \`fleetca serve ${SERVE_ARGS.join(' ')}\`.`,
      `Warm-up: the first ${Math.round(plan.warmUpS)} s. RSS growth = median RSS over the last ${plan.windowS} s ÷ median ` +
        `over the ${plan.windowS} s after the warm-up − 1. RSS and open files from /proc/<pid>/status and /proc/<pid>/fd ` +
        `every ${plan.sampleEveryS} s (${samples.length} samples); the heap after full collections likewise, from ` +
        `\`/_fleetca/metrics\` (\`fleetca_process_memory_bytes{kind="heap_after_full_gc"}\`).`,
      `Throttled (not errors): ${counters.throttled}.`,
    ],
    tables: [
      table(
        ['time s', 'RSS MiB', 'heap after full GC MiB', 'open files'],
        shown.map((s) => [String(Math.round(s.at)), mib(s.rssBytes), mib(s.heapAfterFullGcBytes), String(s.openFiles)]),
      ),
    ],
  };
}
