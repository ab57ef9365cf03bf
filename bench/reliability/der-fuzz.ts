/**
 * DER fuzzing of every operation that parses a CSR or a certificate (issue 13): seeded mutants of real,
 * well-formed documents sent to a real `fleetca serve` over SigV4 — CreateCertificateFromCsr, RegisterCertificate,
 * RegisterCertificateWithoutCA, RegisterCACertificate — and each judged by the `openssl` command line. Targets:
 * no 5xx, no hang, nothing accepted that OpenSSL refuses, every certificate fleetca signs loads in `openssl x509`,
 * no request over 50 ms inside the server (its own request log).
 */

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyIdentifier } from '../../src/ca/certificate-builder.js';
import { encodeName } from '../../src/ca/distinguished-name.js';
import { toPem } from '../../src/ca/pem.js';
import { table } from '../report.js';
import { createFleetcaAccount, startFleetca } from '../servers.js';
import { type Reply, SigV4Client } from '../sigv4-client.js';
import { mutate } from './der-fuzz/mutator.js';
import { inParallel, opensslAccepts, type Question } from './der-fuzz/openssl-judge.js';
import {
  ecKey,
  makeSeed,
  rsaKey,
  type SeedKeys,
  type SeedKind,
  signDocument,
  tbsCertificate,
} from './der-fuzz/seeds.js';
import type { PartOptions, PartReport, ReliabilityPart } from './part.js';
import { Prng } from './prng.js';

const FULL_MUTANTS = 20_000;
const QUICK_MUTANTS = 300;
const SEED = 13;
const SERVER_BUDGET_MS = 50;
const HANG_MS = 10_000;
/** Requests in flight: enough to keep the server busy, few enough that queueing does not dominate its timings. */
const IN_FLIGHT = 4;
/** Largest DER that fits each operation's PEM limit (4,096 characters for a CSR, 65,536 for a certificate). */
const MAX_CSR_BYTES = 2_900;
const MAX_CERTIFICATE_BYTES = 48_000;

type Operation =
  | 'CreateCertificateFromCsr'
  | 'RegisterCertificate'
  | 'RegisterCertificateWithoutCA'
  | 'RegisterCACertificate';
const OPERATIONS: readonly Operation[] = [
  'CreateCertificateFromCsr',
  'RegisterCertificate',
  'RegisterCertificateWithoutCA',
  'RegisterCACertificate',
];

/** 40 % CSRs, 20 % each kind of certificate. */
const PLAN: readonly [SeedKind, Operation][] = [
  ['csr', 'CreateCertificateFromCsr'],
  ['csr', 'CreateCertificateFromCsr'],
  ['device', 'RegisterCertificate'],
  ['self-signed', 'RegisterCertificateWithoutCA'],
  ['ca', 'RegisterCACertificate'],
];

interface Outcome {
  readonly operation: Operation;
  readonly pem: string;
  readonly mutations: readonly string[];
  readonly resigned: boolean;
  readonly reply: Reply | 'hang';
  /** The certificate fleetca signed, for CreateCertificateFromCsr answers that succeeded. */
  readonly issuedPem?: string;
}

export const derFuzzPart: ReliabilityPart = {
  name: 'der-fuzz',
  title: 'DER fuzzing of CSR and certificate parsing',
  async run(options: PartOptions): Promise<PartReport> {
    const count = options.quick ? QUICK_MUTANTS : FULL_MUTANTS;
    const server = await startFleetca({
      workDir: options.workDir,
      name: 'der-fuzz',
      extraArgs: ['--no-mqtt', '--key-pool-size', '0'],
      credentials: () => createFleetcaAccount(options.workDir),
    });
    const client = new SigV4Client(server.url, server.credentials, IN_FLIGHT);
    let outcomes: Outcome[];
    let keys: SeedKeys;
    try {
      keys = await registerFuzzCa(client, options.workDir);
      options.log(`der-fuzz: sending ${count} mutants (seed ${SEED})`);
      outcomes = await sendMutants(client, keys, count, options.log);
    } finally {
      client.close();
      await server.stop();
    }
    const serverMs = serverDurations(server.logFile);
    options.log('der-fuzz: asking openssl about every mutant');
    const verdicts = await judge(outcomes, options.workDir);
    writeOutcomes(join(options.workDir, 'der-fuzz-outcomes.jsonl'), outcomes, verdicts);
    return report(outcomes, verdicts, serverMs, count);
  },
};

/** Registers (ACTIVE, DEFAULT mode, with a verification certificate) the CA the device seeds are signed by. */
async function registerFuzzCa(client: SigV4Client, workDir: string): Promise<SeedKeys> {
  const ca = ecKey();
  const caSubject = encodeName('CN=fleetca der-fuzz CA,O=Fuzz Ltd,C=DE');
  const caPem = toPem(
    'CERTIFICATE',
    signDocument(tbsCertificate({ issuer: caSubject, subject: caSubject, subjectKey: ca, signer: ca, ca: true }), ca),
  );
  const codeReply = await client.send({ method: 'GET', path: '/registrationcode' });
  const registrationCode = (JSON.parse(codeReply.body) as { registrationCode?: string }).registrationCode;
  if (codeReply.status !== 200 || !registrationCode)
    throw new Error(`GetRegistrationCode failed: ${codeReply.status} ${codeReply.body}`);
  const verifier = ecKey();
  const verificationPem = toPem(
    'CERTIFICATE',
    signDocument(
      tbsCertificate({
        issuer: caSubject,
        subject: encodeName(`CN=${registrationCode}`),
        subjectKey: verifier,
        signer: ca,
        ca: false,
        issuerKeyId: keyIdentifier(ca.spki),
      }),
      ca,
    ),
  );
  const reply = await client.send({
    method: 'POST',
    path: '/cacertificate',
    query: { setAsActive: 'true' },
    body: JSON.stringify({ caCertificate: caPem, verificationCertificate: verificationPem }),
  });
  if (reply.status !== 200)
    throw new Error(`RegisterCACertificate of the fuzz CA failed: ${reply.status} ${reply.body}`);
  writeFileSync(join(workDir, 'fuzz-ca.pem'), caPem);
  return { ec: [ecKey(), ecKey(), ecKey()], rsa: rsaKey(), ca, caSubject, caPem };
}

async function sendMutants(
  client: SigV4Client,
  keys: SeedKeys,
  count: number,
  log: (line: string) => void,
): Promise<Outcome[]> {
  // Every mutant and request is made before the first is sent: the order replies arrive in cannot change them.
  const random = new Prng(SEED);
  const pick = (n: number) => random.below(n);
  const planned = Array.from({ length: count }, (_, index) => {
    const [kind, operation] = PLAN[index % PLAN.length] as [SeedKind, Operation];
    const mutant = mutate(
      makeSeed(kind, index, keys, pick),
      random,
      kind === 'csr' ? MAX_CSR_BYTES : MAX_CERTIFICATE_BYTES,
    );
    const pem = toPem(kind === 'csr' ? 'CERTIFICATE REQUEST' : 'CERTIFICATE', mutant.der);
    return { operation, pem, mutant, request: request(operation, pem, keys, random) };
  });
  let done = 0;
  return inParallel(planned, IN_FLIGHT, async ({ operation, pem, mutant, request: req }) => {
    const reply = await withDeadline(client.send(req));
    if (++done % 1000 === 0) log(`der-fuzz: ${done}/${count} sent`);
    const issuedPem =
      reply !== 'hang' && reply.status === 200
        ? (JSON.parse(reply.body) as { certificatePem?: string }).certificatePem
        : undefined;
    return {
      operation,
      pem,
      mutations: mutant.mutations,
      resigned: mutant.resigned,
      reply,
      ...(issuedPem && { issuedPem }),
    };
  });
}

function request(operation: Operation, pem: string, keys: SeedKeys, random: Prng) {
  switch (operation) {
    case 'CreateCertificateFromCsr':
      return {
        method: 'POST',
        path: '/certificates',
        body: JSON.stringify({ certificateSigningRequest: pem }),
      } as const;
    case 'RegisterCertificate':
      return {
        method: 'POST',
        path: '/certificate/register',
        body: JSON.stringify(
          random.below(3) === 0 ? { certificatePem: pem, caCertificatePem: keys.caPem } : { certificatePem: pem },
        ),
      } as const;
    case 'RegisterCertificateWithoutCA':
      return {
        method: 'POST',
        path: '/certificate/register-no-ca',
        body: JSON.stringify({ certificatePem: pem }),
      } as const;
    case 'RegisterCACertificate':
      // SNI_ONLY needs no verification certificate, so a mutant CA can be accepted at all.
      return {
        method: 'POST',
        path: '/cacertificate',
        body: JSON.stringify({ caCertificate: pem, certificateMode: 'SNI_ONLY' }),
      } as const;
  }
}

async function withDeadline(reply: Promise<Reply>): Promise<Reply | 'hang'> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'hang'>((resolve) => {
    timer = setTimeout(() => resolve('hang'), HANG_MS);
  });
  try {
    return await Promise.race([reply, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** durationMs of every fuzzed operation in the server's own request log. */
function serverDurations(logFile: string): number[] {
  const wanted = new Set<string>(OPERATIONS);
  const durations: number[] = [];
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { operation?: string; durationMs?: number };
    if (entry.operation && wanted.has(entry.operation) && typeof entry.durationMs === 'number')
      durations.push(entry.durationMs);
  }
  return durations;
}

interface Verdict {
  readonly opensslAccepts: boolean;
  /** For a signed certificate: whether `openssl x509` loads it. */
  readonly issuedLoads?: boolean;
}

async function judge(outcomes: readonly Outcome[], workDir: string): Promise<Verdict[]> {
  const scratch = join(workDir, 'judge');
  mkdirSync(scratch, { recursive: true });
  const caFile = join(workDir, 'fuzz-ca.pem');
  const verdicts = await inParallel(outcomes, 3, async (outcome, index) => {
    const file = join(scratch, `${index}.pem`);
    const accepts = await opensslAccepts(outcome.pem, question(outcome.operation, caFile), file);
    const issuedLoads =
      outcome.issuedPem === undefined ? undefined : await opensslAccepts(outcome.issuedPem, { kind: 'loads' }, file);
    rmSync(file, { force: true });
    return { opensslAccepts: accepts, ...(issuedLoads !== undefined && { issuedLoads }) };
  });
  rmSync(scratch, { recursive: true, force: true });
  return verdicts;
}

/** One line per mutant (what was sent, what fleetca and OpenSSL said), for looking into any disagreement. */
function writeOutcomes(file: string, outcomes: readonly Outcome[], verdicts: readonly Verdict[]): void {
  const lines = outcomes.map((o, i) =>
    JSON.stringify({
      operation: o.operation,
      mutations: o.mutations,
      resigned: o.resigned,
      status: o.reply === 'hang' ? 'hang' : o.reply.status,
      answer: o.reply === 'hang' ? undefined : o.reply.body.slice(0, 300),
      ...verdicts[i],
      pem: o.pem,
    }),
  );
  writeFileSync(file, `${lines.join('\n')}\n`);
}

function question(operation: Operation, caFile: string): Question {
  switch (operation) {
    case 'CreateCertificateFromCsr':
      return { kind: 'csr' };
    case 'RegisterCertificate':
      return { kind: 'issued-by', caFile };
    case 'RegisterCertificateWithoutCA':
      return { kind: 'loads' };
    case 'RegisterCACertificate':
      return { kind: 'anchor' };
  }
}

function report(
  outcomes: readonly Outcome[],
  verdicts: readonly Verdict[],
  serverMs: readonly number[],
  count: number,
): PartReport {
  const rows = OPERATIONS.map((operation) => {
    const mine = outcomes
      .map((o, i) => ({ o, v: verdicts[i] as Verdict }))
      .filter(({ o }) => o.operation === operation);
    const accepted = mine.filter(({ o }) => o.reply !== 'hang' && o.reply.status === 200);
    return {
      operation,
      sent: mine.length,
      accepted: accepted.length,
      fiveXx: mine.filter(({ o }) => o.reply !== 'hang' && o.reply.status >= 500).length,
      hangs: mine.filter(({ o }) => o.reply === 'hang').length,
      acceptedOpensslRefuses: accepted.filter(({ v }) => !v.opensslAccepts).length,
      rejectedOpensslAccepts: mine.filter(
        ({ o, v }) => v.opensslAccepts && (o.reply === 'hang' || o.reply.status !== 200),
      ).length,
      issuedUnloadable: mine.filter(({ v }) => v.issuedLoads === false).length,
      clientMaxMs: Math.max(0, ...mine.map(({ o }) => (o.reply === 'hang' ? HANG_MS : o.reply.latencyMs))),
    };
  });
  const sum = (key: 'fiveXx' | 'hangs' | 'acceptedOpensslRefuses' | 'issuedUnloadable') =>
    rows.reduce((n, r) => n + r[key], 0);
  const slowest = Math.max(0, ...serverMs);
  const over = serverMs.filter((ms) => ms > SERVER_BUDGET_MS).length;
  const failures = outcomes
    .map((o, i) => ({ o, v: verdicts[i] as Verdict }))
    .filter(
      ({ o, v }) => (o.reply !== 'hang' && o.reply.status === 200 && !v.opensslAccepts) || v.issuedLoads === false,
    )
    .slice(0, 5)
    .map(
      ({ o }) =>
        `accepted but refused by OpenSSL: ${o.operation} after ${o.mutations.join(' + ') || 'no mutation'}: ${o.pem.replace(/\n/g, '\\n')}`,
    );
  return {
    checks: [
      {
        description: `at least ${count} mutants sent`,
        measured: String(outcomes.length),
        pass: outcomes.length >= count,
      },
      { description: 'no 5xx answer', measured: String(sum('fiveXx')), pass: sum('fiveXx') === 0 },
      {
        description: `no request without an answer within ${HANG_MS / 1000} s`,
        measured: String(sum('hangs')),
        pass: sum('hangs') === 0,
      },
      {
        description: 'nothing accepted that OpenSSL refuses',
        measured: String(sum('acceptedOpensslRefuses')),
        pass: sum('acceptedOpensslRefuses') === 0,
      },
      {
        description: 'every certificate fleetca signed loads in `openssl x509`',
        measured: `${sum('issuedUnloadable')} that do not`,
        pass: sum('issuedUnloadable') === 0,
      },
      {
        description: `no request over ${SERVER_BUDGET_MS} ms in the server (request log durationMs)`,
        measured: `${over} over, slowest ${slowest.toFixed(1)} ms of ${serverMs.length}`,
        pass: over === 0 && serverMs.length >= outcomes.length,
      },
    ],
    notes: [
      `Seed ${SEED}, ${outcomes.length} mutants, ${IN_FLIGHT} requests in flight, one \`fleetca serve\` (SQLite, --no-mqtt). ` +
        "Each mutant is a fresh well-formed seed with 1–3 mutations; 70 % are signed again with the seed's real key after mutation.",
      'Oracle: `openssl req -verify` (CSRs), `openssl x509` (RegisterCertificateWithoutCA and every certificate fleetca signed), ' +
        '`openssl verify -partial_chain -no_check_time -ignore_critical` against the fuzz CA (RegisterCertificate) and, with ' +
        '`-check_ss_sig`, against itself (RegisterCACertificate).',
      'Reproduce: `npm run build && node dist/bench/reliability/run.js --only der-fuzz` (quick form: `--quick`).',
      ...failures,
    ],
    tables: [
      table(
        [
          'operation',
          'mutants',
          'accepted',
          '5xx',
          'hangs',
          'accepted, OpenSSL refuses',
          'refused, OpenSSL accepts',
          'signed, unloadable',
          'slowest (client) ms',
        ],
        rows.map((r) => [
          r.operation,
          String(r.sent),
          String(r.accepted),
          String(r.fiveXx),
          String(r.hangs),
          String(r.acceptedOpensslRefuses),
          String(r.rejectedOpensslAccepts),
          String(r.issuedUnloadable),
          r.clientMaxMs.toFixed(1),
        ]),
      ),
    ],
  };
}
