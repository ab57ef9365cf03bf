/**
 * SIGKILL under issuance load: several SigV4 clients call CreateKeysAndCertificate and CreateCertificateFromCsr
 * while `fleetca serve` is killed with SIGKILL, N rounds, restarted on the same data directory each round. Every
 * certificate a client received (HTTP 200) must afterwards be in the registry with the same PEM, and the registry
 * must open cleanly after every kill — on SQLite (the data directory's registry.db) and on PostgreSQL (a fresh
 * schema of the machine's test database).
 */

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { freshSchema, type PgTestSchema } from '../../test/registry/postgres/postgres-fixtures.js';
import { makeCsrs, type PreparedCsr } from '../csr.js';
import { alternatingIssuance } from '../iot-requests.js';
import { sleep } from '../load.js';
import { table } from '../report.js';
import type { TargetCheck } from '../results.js';
import { type Reply, SigV4Client } from '../sigv4-client.js';
import { FLEETCA_RULES, isThrottled } from '../validate.js';
import { createAccount, type FleetcaHome, type FleetcaServer, startFleetca } from './fleetca-process.js';
import type { PartOptions, PartReport, ReliabilityPart } from './part.js';
import { freshSeed, Prng } from './prng.js';

const CLIENTS = 6;
/** Certificates a round must have handed out before the kill, so that every kill hits a loaded server. */
const RECEIVED_BEFORE_KILL = 6;
/** A guard against a load that never gets going, not a speed target. */
const ROUND_LOAD_TIMEOUT_MS = 120_000;
const SERVE_ARGS = ['--no-mqtt', '--key-pool-size', '4', '--log-level', 'warn'];

type Engine = 'sqlite' | 'postgresql';

interface EngineOutcome {
  readonly engine: Engine;
  readonly rounds: number;
  readonly reopened: number;
  readonly received: number;
  readonly lost: string[];
  readonly inFlightAtKill: number;
  /** Answers that were neither a certificate nor throttling (5xx, 4xx other than throttling, bad bodies). */
  readonly badAnswers: string[];
  readonly throttled: number;
  readonly integrity: string;
}

interface RoundLoad {
  readonly received: Map<string, string>;
  badAnswers: string[];
  throttled: number;
  transportErrors: number;
}

/** One client's loop: alternate the two creating operations until the server dies or `stop` is set. */
async function issueUntilStopped(
  client: SigV4Client,
  csrs: readonly PreparedCsr[],
  offset: number,
  stop: { done: boolean },
  load: RoundLoad,
): Promise<void> {
  for (let i = offset; !stop.done; i++) {
    const call = alternatingIssuance(i, csrs, FLEETCA_RULES);
    let reply: Reply;
    try {
      reply = await client.send(call.request);
    } catch {
      // The kill cut this request: the client got no certificate, so nothing can have been lost from it.
      load.transportErrors++;
      return;
    }
    if (isThrottled(reply)) {
      load.throttled++;
      await sleep(10);
      continue;
    }
    const problem = call.check(reply);
    if (problem) {
      load.badAnswers.push(problem);
      continue;
    }
    const issued = JSON.parse(reply.body) as { certificateId: string; certificatePem: string };
    load.received.set(issued.certificateId, issued.certificatePem);
  }
}

/** Which received certificates the registry does not describe with the PEM the client got. */
async function findLost(client: SigV4Client, received: ReadonlyMap<string, string>): Promise<string[]> {
  const lost: string[] = [];
  const ids = [...received.keys()];
  // A few at a time: thousands of describes in one burst would only measure the agent's queue.
  for (let start = 0; start < ids.length; start += 16) {
    const batch = ids.slice(start, start + 16);
    const replies = await Promise.all(
      batch.map((id) => client.send({ method: 'GET', path: `/certificates/${id}` }).catch((err: Error) => err)),
    );
    replies.forEach((reply, index) => {
      const id = batch[index] as string;
      if (reply instanceof Error) lost.push(`${id}: ${reply.message}`);
      else if (reply.status !== 200) lost.push(`${id}: HTTP ${reply.status} ${reply.body.slice(0, 120)}`);
      else {
        const pem = (JSON.parse(reply.body) as { certificateDescription?: { certificatePem?: string } })
          .certificateDescription?.certificatePem;
        if (pem !== received.get(id)) lost.push(`${id}: described with another PEM`);
      }
    });
  }
  return lost;
}

/** SQLite's own consistency check of the registry file, after the last kill and a clean stop. */
function sqliteIntegrity(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    return rows.map((row) => row.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

async function runEngine(engine: Engine, rounds: number, options: PartOptions, prng: Prng): Promise<EngineOutcome> {
  let schema: PgTestSchema | undefined;
  const dir = join(options.workDir, engine);
  await mkdir(dir, { recursive: true });
  try {
    if (engine === 'postgresql') schema = await freshSchema();
    const home: FleetcaHome = { dir, ...(schema ? { store: schema.url } : {}) };
    const credentials = await createAccount(home);
    const csrs = makeCsrs(64, `kill-${engine}`);
    const received = new Map<string, string>();
    const badAnswers: string[] = [];
    let reopened = 0;
    let inFlightAtKill = 0;
    let throttled = 0;
    for (let round = 1; round <= rounds; round++) {
      const server = await startFleetca(home, SERVE_ARGS, 'serve.log');
      reopened++;
      const client = new SigV4Client(server.url, credentials, CLIENTS);
      const load: RoundLoad = { received: new Map(), badAnswers: [], throttled: 0, transportErrors: 0 };
      const stop = { done: false };
      const workers = Array.from({ length: CLIENTS }, (_, worker) =>
        issueUntilStopped(client, csrs, worker + round * CLIENTS, stop, load),
      );
      // Kill once this round has handed out a few certificates, at a random moment a little after that.
      const deadline = performance.now() + ROUND_LOAD_TIMEOUT_MS;
      while (load.received.size < RECEIVED_BEFORE_KILL && server.alive() && performance.now() < deadline) {
        await sleep(5);
      }
      if (load.received.size < RECEIVED_BEFORE_KILL) {
        stop.done = true;
        server.kill('SIGKILL');
        await Promise.all(workers);
        client.close();
        throw new Error(
          `round ${round}: only ${load.received.size} certificates before the load timed out (log: ${server.logFile})`,
        );
      }
      await sleep(prng.int(0, 400));
      server.kill('SIGKILL');
      await server.exited;
      stop.done = true;
      await Promise.all(workers);
      client.close();
      for (const [id, pem] of load.received) received.set(id, pem);
      badAnswers.push(...load.badAnswers);
      inFlightAtKill += load.transportErrors;
      throttled += load.throttled;
      options.log(
        `${engine} round ${round}/${rounds}: ${load.received.size} received, ${load.transportErrors} cut by SIGKILL`,
      );
    }
    // The last restart: the registry opens once more, and holds everything a client was given.
    const server: FleetcaServer = await startFleetca(home, SERVE_ARGS, 'serve.log');
    reopened++;
    const client = new SigV4Client(server.url, credentials, 16);
    let lost: string[];
    try {
      lost = await findLost(client, received);
    } finally {
      client.close();
      await server.stop();
    }
    const integrity = engine === 'sqlite' ? sqliteIntegrity(join(dir, 'fleetca', 'registry.db')) : 'n/a';
    options.log(`${engine}: ${received.size} certificates received over ${rounds} kills, ${lost.length} lost`);
    return {
      engine,
      rounds,
      reopened,
      received: received.size,
      lost,
      inFlightAtKill,
      badAnswers,
      throttled,
      integrity,
    };
  } finally {
    await schema?.cleanup();
  }
}

function checksOf(outcome: EngineOutcome): TargetCheck[] {
  const { engine } = outcome;
  const checks: TargetCheck[] = [
    {
      description: `${engine}: received certificates lost after ${outcome.rounds} SIGKILLs`,
      measured: `${outcome.lost.length} of ${outcome.received}${outcome.lost.length ? ` (${outcome.lost.slice(0, 3).join('; ')})` : ''}`,
      pass: outcome.lost.length === 0 && outcome.received > 0,
    },
    {
      description: `${engine}: the registry reopened after every kill`,
      measured: `${outcome.reopened} of ${outcome.rounds + 1} starts`,
      pass: outcome.reopened === outcome.rounds + 1,
    },
    {
      description: `${engine}: answers under load other than certificates or throttling`,
      measured: `${outcome.badAnswers.length}${outcome.badAnswers.length ? ` (${outcome.badAnswers.slice(0, 3).join('; ')})` : ''}`,
      pass: outcome.badAnswers.length === 0,
    },
  ];
  if (engine === 'sqlite') {
    checks.push({
      description: 'sqlite: PRAGMA integrity_check after the last kill',
      measured: outcome.integrity,
      pass: outcome.integrity === 'ok',
    });
  }
  return checks;
}

export const killPart: ReliabilityPart = {
  name: 'kill',
  title: 'SIGKILL under issuance load',
  async run(options) {
    const rounds = options.settings?.killRounds ?? (options.quick ? 2 : 20);
    const seed = options.settings?.seed ?? freshSeed();
    options.log(`${rounds} rounds per engine, seed ${seed}`);
    const prng = new Prng(seed);
    const outcomes: EngineOutcome[] = [];
    const checks: TargetCheck[] = [];
    for (const engine of ['sqlite', 'postgresql'] as const) {
      try {
        const outcome = await runEngine(engine, rounds, options, prng);
        outcomes.push(outcome);
        checks.push(...checksOf(outcome));
      } catch (err) {
        checks.push({ description: `${engine}: the rounds ran`, measured: (err as Error).message, pass: false });
      }
    }
    const report: PartReport = {
      checks,
      notes: [
        `${rounds} rounds per engine; each round starts \`fleetca serve ${SERVE_ARGS.join(' ')}\` on the same data ` +
          `directory, runs ${CLIENTS} SigV4 clients (CreateKeysAndCertificate and CreateCertificateFromCsr, ` +
          `alternating, setAsActive) until the round has handed out ${RECEIVED_BEFORE_KILL} certificates, waits ` +
          '0–400 ms more (seeded) and sends SIGKILL. After the last round a fresh start describes every certificate ' +
          'a client received (HTTP 200, validated) and compares the PEM.',
        `Seed ${seed}. PostgreSQL: a fresh schema of the test database (FLEETCA_TEST_POSTGRES, else ` +
          'postgres://postgres@127.0.0.1:5432/test), dropped afterwards.',
      ],
      tables: [
        table(
          ['engine', 'rounds', 'received', 'lost', 'cut by SIGKILL', 'throttled', 'other answers'],
          outcomes.map((o) => [
            o.engine,
            String(o.rounds),
            String(o.received),
            String(o.lost.length),
            String(o.inFlightAtKill),
            String(o.throttled),
            String(o.badAnswers.length),
          ]),
        ),
      ],
    };
    return report;
  },
};
