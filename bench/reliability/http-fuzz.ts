/**
 * HTTP fuzzing: seeded, reproducible requests (http-fuzz-cases.ts) against a real `fleetca serve`, plain HTTP
 * then --tls on the same data directory, over raw sockets. Every request must be answered — never with a 5xx,
 * every error in AWS's JSON error shape — or its connection closed, within a deadline; a control
 * DescribeCertificate (another account, which the fuzzer cannot touch) must succeed throughout.
 */

import { makeCsr } from '../csr.js';
import { formatMs, table } from '../report.js';
import type { TargetCheck } from '../results.js';
import type { Credentials } from '../sigv4-client.js';
import { caChain, createAccount, type FleetcaHome, startFleetca } from './fleetca-process.js';
import { FAMILIES, type Family, type FuzzCase, type FuzzContext, makeCase } from './http-fuzz-cases.js';
import type { PartReport, ReliabilityPart } from './part.js';
import { freshSeed, Prng } from './prng.js';
import { RawConnection, type RawOutcome, type RawResponse, type RawTarget } from './raw-http.js';
import { baseDraft, type Draft, serialize, sign } from './signed-request.js';

const WORKERS = 8;
/** Longer than the server's own request deadline (30 s), so a request the server cuts off is not a hang. */
const DEADLINE_MS = 40_000;
const PROBE_INTERVAL_MS = 500;
const KEPT_FAILURES = 20;
const SLOWEST_KEPT = 5;
const SERVE_ARGS = ['--no-mqtt', '--key-pool-size', '8', '--log-level', 'warn'];
/** Share of the requests sent to the plain server; the rest go to the --tls one (handshakes cost more). */
const PLAIN_SHARE = 0.7;

interface FamilyTally {
  requests: number;
  ok2xx: number;
  client4xx: number;
  closedUnanswered: number;
  server5xx: number;
  hung: number;
  notAwsShape: number;
  transport: number;
  maxMs: number;
}

function emptyTally(): FamilyTally {
  return {
    requests: 0,
    ok2xx: 0,
    client4xx: 0,
    closedUnanswered: 0,
    server5xx: 0,
    hung: 0,
    notAwsShape: 0,
    transport: 0,
    maxMs: 0,
  };
}

interface Tallies {
  readonly families: Map<Family, FamilyTally>;
  /** The slowest cases, slowest first: what a server makes clients wait for. */
  readonly slowest: { ms: number; what: string }[];
  readonly statuses: Map<number, number>;
  readonly failures: string[];
}

/** Why an answer is not in AWS's rest-json error shape (x-amzn-ErrorType and a JSON body with a message). */
export function awsShapeProblem(response: RawResponse, head: boolean): string | undefined {
  if (response.status < 400) return undefined;
  if (!response.headers.get('x-amzn-errortype')) return 'no x-amzn-ErrorType';
  if (head) return undefined;
  try {
    const body = JSON.parse(response.body.toString('utf8')) as { message?: unknown };
    return typeof body?.message === 'string' ? undefined : 'no message in the body';
  } catch {
    return `body is not JSON: ${JSON.stringify(response.body.toString('latin1').slice(0, 80))}`;
  }
}

/** One request on a connection of its own. */
async function sendFresh(target: RawTarget, bytes: Buffer, fuzzCase: Pick<FuzzCase, 'head' | 'halfClose'>) {
  const connection = new RawConnection(target);
  try {
    return await connection.send(bytes, {
      head: fuzzCase.head,
      halfClose: fuzzCase.halfClose,
      deadlineMs: DEADLINE_MS,
    });
  } finally {
    connection.destroy();
  }
}

/** Sends cases on a kept connection, or a fresh one when the case asks; retries once if a kept one had closed. */
class FuzzWorker {
  #connection: RawConnection | undefined;
  #used = 0;

  constructor(readonly target: RawTarget) {}

  async send(fuzzCase: FuzzCase): Promise<RawOutcome> {
    if (fuzzCase.fresh) return sendFresh(this.target, fuzzCase.bytes, fuzzCase);
    const options = { head: fuzzCase.head, halfClose: false, deadlineMs: DEADLINE_MS };
    if (!this.#connection || this.#connection.closed) this.#open();
    let outcome = await (this.#connection as RawConnection).send(fuzzCase.bytes, options);
    // A kept connection the server had just closed: the request never reached it (as every keep-alive client does).
    if (outcome.closedUnanswered && this.#used > 0) {
      this.#open();
      outcome = await (this.#connection as RawConnection).send(fuzzCase.bytes, options);
    }
    this.#used++;
    const closing = outcome.response?.headers.get('connection')?.toLowerCase() === 'close';
    if (closing || outcome.hung || outcome.closedUnanswered) this.close();
    return outcome;
  }

  close(): void {
    this.#connection?.destroy();
    this.#connection = undefined;
  }

  #open(): void {
    this.#connection?.destroy();
    this.#connection = new RawConnection(this.target);
    this.#used = 0;
  }
}

function record(tallies: Tallies, fuzzCase: FuzzCase, outcome: RawOutcome | Error, seed: number): void {
  const tally = tallies.families.get(fuzzCase.family) ?? emptyTally();
  tallies.families.set(fuzzCase.family, tally);
  tally.requests++;
  let failure: string | undefined;
  if (outcome instanceof Error) {
    tally.transport++;
    failure = `transport: ${outcome.message}`;
  } else {
    tally.maxMs = Math.max(tally.maxMs, outcome.ms);
    if (outcome.ms > (tallies.slowest.at(-1)?.ms ?? 0) || tallies.slowest.length < SLOWEST_KEPT) {
      const answer = outcome.response ? `HTTP ${outcome.response.status}` : outcome.hung ? 'hung' : 'closed';
      tallies.slowest.push({ ms: outcome.ms, what: `case ${fuzzCase.index} (${fuzzCase.summary}): ${answer}` });
      tallies.slowest.sort((a, b) => b.ms - a.ms).splice(SLOWEST_KEPT);
    }
    if (outcome.hung) {
      tally.hung++;
      failure = `no answer and no close within ${DEADLINE_MS / 1000} s`;
    } else if (outcome.closedUnanswered) {
      tally.closedUnanswered++;
    } else if (outcome.response) {
      const { status } = outcome.response;
      tallies.statuses.set(status, (tallies.statuses.get(status) ?? 0) + 1);
      if (status >= 500) {
        tally.server5xx++;
        failure = `HTTP ${status}: ${outcome.response.body.toString('utf8').slice(0, 160)}`;
      } else if (status >= 400) {
        tally.client4xx++;
        const problem = awsShapeProblem(outcome.response, fuzzCase.head);
        if (problem) {
          tally.notAwsShape++;
          failure = `HTTP ${status} not in the AWS shape: ${problem}`;
        }
      } else if (status >= 200 && status < 300) {
        tally.ok2xx++;
      } else {
        tally.notAwsShape++;
        failure = `unexpected HTTP ${status}`;
      }
    }
  }
  if (failure && tallies.failures.length < KEPT_FAILURES) {
    tallies.failures.push(`case ${fuzzCase.index} (seed ${seed}, ${fuzzCase.family}, ${fuzzCase.summary}): ${failure}`);
  }
}

/** A signed, well-formed request that must succeed; its JSON answer. */
async function call(target: RawTarget, host: string, credentials: Credentials, draft: Draft): Promise<unknown> {
  await sign(draft, host, { credentials });
  const outcome = await sendFresh(target, serialize(draft), { head: false, halfClose: false });
  const response = outcome.response;
  if (response?.status !== 200) {
    throw new Error(
      `${draft.method} ${draft.path} failed: ${response ? `HTTP ${response.status} ${response.body}` : 'no answer'}`,
    );
  }
  return JSON.parse(response.body.toString('utf8'));
}

interface Setup {
  readonly fuzzer: Credentials;
  readonly control: Credentials;
  readonly controlId: string;
  readonly certificateIds: string[];
  readonly thingNames: string[];
  readonly certificatePem: string;
}

/** Records the fuzzer's requests can reach (certificates, things), and the control account's certificate. */
async function prepare(home: FleetcaHome, target: RawTarget, host: string): Promise<Setup> {
  const fuzzer = await createAccount(home);
  const control = await createAccount(home);
  const created = async (credentials: Credentials) =>
    (await call(target, host, credentials, baseDraft('POST', '/keys-and-certificate', host))) as {
      certificateId: string;
      certificatePem: string;
    };
  const controlCertificate = await created(control);
  const certificates = [await created(fuzzer), await created(fuzzer), await created(fuzzer)];
  const thingNames = ['fuzz-thing-1', 'fuzz-thing-2'];
  for (const name of thingNames) await call(target, host, fuzzer, baseDraft('POST', `/things/${name}`, host, {}));
  return {
    fuzzer,
    control,
    controlId: controlCertificate.certificateId,
    certificateIds: certificates.map((c) => c.certificateId),
    thingNames,
    certificatePem: (certificates[0] as { certificatePem: string }).certificatePem,
  };
}

interface ProbeTally {
  sent: number;
  ok: number;
  failures: string[];
  maxMs: number;
}

/** DescribeCertificate of the control certificate every PROBE_INTERVAL_MS, each on its own connection. */
function startControlProbe(target: RawTarget, host: string, setup: Setup, tally: ProbeTally): () => Promise<void> {
  const pending = new Set<Promise<void>>();
  const probe = () => {
    const done = (async () => {
      tally.sent++;
      const draft = baseDraft('GET', `/certificates/${setup.controlId}`, host);
      try {
        await sign(draft, host, { credentials: setup.control });
        const outcome = await sendFresh(target, serialize(draft), { head: false, halfClose: false });
        tally.maxMs = Math.max(tally.maxMs, outcome.ms);
        const body = outcome.response?.body.toString('utf8') ?? '';
        if (outcome.response?.status === 200 && body.includes(setup.controlId)) tally.ok++;
        else tally.failures.push(outcome.response ? `HTTP ${outcome.response.status}` : 'no answer');
      } catch (err) {
        tally.failures.push((err as Error).message);
      }
    })();
    pending.add(done);
    done.finally(() => pending.delete(done));
  };
  const timer = setInterval(probe, PROBE_INTERVAL_MS);
  probe();
  return async () => {
    clearInterval(timer);
    await Promise.all(pending);
  };
}

interface Phase {
  readonly tls: boolean;
  readonly first: number;
  readonly end: number;
}

export const httpFuzzPart: ReliabilityPart = {
  name: 'http-fuzz',
  title: 'HTTP fuzzing',
  async run(options): Promise<PartReport> {
    const total = options.settings?.fuzzRequests ?? (options.quick ? 2000 : 100_000);
    const seed = options.settings?.seed ?? freshSeed();
    options.log(`${total} requests, seed ${seed}`);
    const home: FleetcaHome = { dir: options.workDir };
    const split = Math.round(total * PLAIN_SHARE);
    const phases: Phase[] = [
      { tls: false, first: 0, end: split },
      { tls: true, first: split, end: total },
    ];
    const tallies: Tallies = { families: new Map(), slowest: [], statuses: new Map(), failures: [] };
    const probes: ProbeTally = { sent: 0, ok: 0, failures: [], maxMs: 0 };
    const serverProblems: string[] = [];
    let setup: Setup | undefined;
    let chain: string | undefined;
    const csrPem = makeCsr('fuzz-device').pem;
    const started = performance.now();
    for (const phase of phases) {
      const server = await startFleetca(home, [...SERVE_ARGS, ...(phase.tls ? ['--tls'] : [])], 'serve.log');
      chain ??= await caChain(home);
      const url = new URL(server.url);
      const target: RawTarget = { host: url.hostname, port: Number(url.port), ...(phase.tls ? { tlsCa: chain } : {}) };
      const host = url.host;
      try {
        setup ??= await prepare(home, target, host);
        const ctx: FuzzContext = {
          host,
          credentials: setup.fuzzer,
          certificateIds: setup.certificateIds,
          thingNames: setup.thingNames,
          certificatePem: setup.certificatePem,
          csrPem,
        };
        const stopProbe = startControlProbe(target, host, setup, probes);
        let next = phase.first;
        let done = 0;
        const progress = setInterval(
          () => options.log(`${phase.tls ? 'https' : 'http'}: ${done} of ${phase.end - phase.first} requests`),
          10_000,
        );
        const worker = async () => {
          const fuzzWorker = new FuzzWorker(target);
          try {
            for (let index = next++; index < phase.end; index = next++) {
              const fuzzCase = await makeCase(index, Prng.forCase(seed, index), ctx);
              const outcome = await fuzzWorker.send(fuzzCase).catch((err: Error) => err);
              record(tallies, fuzzCase, outcome, seed);
              done++;
            }
          } finally {
            // One worker failing stops the others at their next case, so the part ends rather than lingers.
            next = phase.end;
            fuzzWorker.close();
          }
        };
        try {
          await Promise.all(Array.from({ length: WORKERS }, worker));
        } finally {
          clearInterval(progress);
          await stopProbe();
        }
        if (!server.alive()) serverProblems.push(`${server.url}: the server died (log: ${server.logFile})`);
        options.log(`${phase.tls ? 'https' : 'http'}: ${done} requests sent`);
      } finally {
        await server.stop();
      }
      const exit = await server.exited;
      if (exit.code !== 0) serverProblems.push(`${server.url} ended with ${exit.signal ?? exit.code} on SIGTERM`);
    }
    const seconds = (performance.now() - started) / 1000;
    const sum = (pick: (tally: FamilyTally) => number) =>
      [...tallies.families.values()].reduce((total, tally) => total + pick(tally), 0);
    const sent = sum((t) => t.requests);
    const checks: TargetCheck[] = [
      {
        description: `requests sent (target ${total.toLocaleString('en-US')})`,
        measured: sent.toLocaleString('en-US'),
        pass: sent >= total,
      },
      {
        description: 'answers with HTTP 5xx',
        measured: String(sum((t) => t.server5xx)),
        pass: sum((t) => t.server5xx) === 0,
      },
      {
        description: `hangs (no answer and no close within ${DEADLINE_MS / 1000} s)`,
        measured: String(sum((t) => t.hung)),
        pass: sum((t) => t.hung) === 0,
      },
      {
        description: "errors not in AWS's JSON error shape",
        measured: String(sum((t) => t.notAwsShape)),
        pass: sum((t) => t.notAwsShape) === 0,
      },
      {
        description: 'requests that could not be sent',
        measured: String(sum((t) => t.transport)),
        pass: sum((t) => t.transport) === 0,
      },
      {
        description: 'control DescribeCertificate answered throughout',
        measured: `${probes.ok} of ${probes.sent} (slowest ${formatMs(probes.maxMs)} ms)${probes.failures.length ? `: ${probes.failures.slice(0, 3).join('; ')}` : ''}`,
        pass: probes.sent > 0 && probes.ok === probes.sent,
      },
      {
        description: 'the servers stayed up and stopped cleanly on SIGTERM',
        measured: serverProblems.length === 0 ? 'yes' : serverProblems.join('; '),
        pass: serverProblems.length === 0,
      },
    ];
    const familyRows = FAMILIES.map((family) => {
      const t = tallies.families.get(family) ?? emptyTally();
      return [
        family,
        String(t.requests),
        String(t.ok2xx),
        String(t.client4xx),
        String(t.closedUnanswered),
        String(t.server5xx),
        String(t.hung),
        String(t.notAwsShape + t.transport),
        formatMs(t.maxMs),
      ];
    });
    const statusRows = [...tallies.statuses.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, count]) => [String(status), String(count)]);
    return {
      checks,
      notes: [
        `Seed ${seed} (\`--seed ${seed}\` repeats the inputs); ${sent.toLocaleString('en-US')} requests in ` +
          `${Math.round(seconds)} s (${Math.round(sent / seconds)}/s) from ${WORKERS} raw-socket workers; ` +
          `${Math.round(PLAIN_SHARE * 100)} % to \`fleetca serve ${SERVE_ARGS.join(' ')}\`, the rest to the same with --tls.`,
        'Each request: a route of the model (or none), labels, query and body from the input shapes, then one family ' +
          'of mutation; most are signed with a real SigV4 signer so that the mutation reaches decoding and the ' +
          'operations. Connections are kept between well-framed requests; header and framing damage goes on a ' +
          'connection of its own. "closed" = the server closed the connection without an answer (allowed).',
        `Control: DescribeCertificate of another account's certificate every ${PROBE_INTERVAL_MS} ms on its own connection.`,
        `Slowest: ${tallies.slowest.map((slow) => `${slow.what} after ${formatMs(slow.ms)} ms`).join('; ')}.`,
        ...tallies.failures.map((failure) => `Failure: ${failure}`),
      ],
      tables: [
        table(['family', 'requests', '2xx', '4xx', 'closed', '5xx', 'hangs', 'bad shape', 'slowest ms'], familyRows),
        table(['status', 'answers'], statusRows),
      ],
    };
  },
};
