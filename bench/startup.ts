/**
 * `npm run bench:startup`: how fast the CLI starts, against the AWS CLI (v1, the one pip installs). Two commands:
 * `--version`, and a describe — `fleetca iot describe-certificate` in local mode on a fresh data directory holding
 * one certificate vs `aws iot describe-certificate` against a stub on 127.0.0.1 that answers with the same
 * certificate's description. Runs alternate between the tools (the order flips every round, so a shared machine's
 * drift hits both alike); wall and CPU time per run are the kernel's (startup-run.ts). On a Node with a module
 * compile cache (≥ 22.1), fleetca is measured with its cache warm and with it disabled.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectOptions, type UsageError } from './command-line.js';
import { describeMachine } from './machine.js';
import { formatRatio, recordSection, table } from './report.js';
import { type TimedRun, timeCommand } from './startup-run.js';
import { percentile, ratio } from './stats.js';

const USAGE = 'usage: npm run bench:startup -- [--runs N] [--node PATH] [--results FILE] [--no-record]';
const VERSION_TARGET = 0.25;
const DESCRIBE_TARGET = 0.3;

let args: Map<string, string>;
try {
  args = collectOptions(process.argv.slice(2), process.env, {
    flags: new Set(['no-record']),
    valued: new Set(['runs', 'node', 'results']),
    envPrefix: 'FLEETCA_BENCH_STARTUP_',
  });
} catch (error) {
  process.stderr.write(`${(error as UsageError).message}\n${USAGE}\n`);
  process.exit(2);
}
const runs = Number(args.get('runs') ?? '20');
if (!Number.isSafeInteger(runs) || runs < 3) {
  process.stderr.write(`--runs: "${args.get('runs')}" is not a whole number ≥ 3\n${USAGE}\n`);
  process.exit(2);
}
const node = args.get('node') ?? process.execPath;
const resultsFile = args.get('results') ?? 'bench/RESULTS.md';
// dist/bench/startup.js → the repository root.
const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const fleetca = join(root, 'bin', 'fleetca.js');

const work = mkdtempSync(join(tmpdir(), 'fleetca-bench-startup-'));
const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
const nodeVersions = JSON.parse(
  execFileSync(node, ['-p', 'JSON.stringify([process.version, process.versions.openssl])'], { encoding: 'utf8' }),
) as [string, string];
const hasCompileCache =
  execFileSync(node, ['-p', "typeof require('node:module').enableCompileCache"], { encoding: 'utf8' }).trim() ===
  'function';

// The same settings for both tools: explicit credentials and region, no config files, no instance metadata.
const env: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: work,
  LANG: 'C.UTF-8',
  FLEETCA_HOME: join(work, 'fleetca-home'),
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_CONFIG_FILE: join(work, 'no-aws-config'),
  AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-aws-credentials'),
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_PAGER: '',
  NODE_COMPILE_CACHE: join(work, 'node-compile-cache'),
};
const noCacheEnv = { ...env, NODE_DISABLE_COMPILE_CACHE: '1' };

const fleetcaRun = (...words: string[]) => execFileSync(node, [fleetca, ...words], { env, encoding: 'utf8' }).trim();
const awsVersion = execFileSync(python, ['-m', 'awscli', '--version'], { env, encoding: 'utf8' }).trim();
if (!awsVersion.startsWith('aws-cli/1.')) throw new Error(`python -m awscli is not the AWS CLI v1: ${awsVersion}`);

// The data directory with one certificate; its description is what the stub answers, in the wire's shape.
const certificateId = fleetcaRun('iot', 'create-keys-and-certificate', '--query', 'certificateId', '--output', 'text');
const description = JSON.parse(fleetcaRun('iot', 'describe-certificate', '--certificate-id', certificateId)) as {
  certificateDescription: Record<string, unknown> & { validity: Record<string, unknown> };
};
const epochSeconds = (iso: unknown) => Date.parse(String(iso)) / 1000;
const wire = description.certificateDescription;
for (const key of ['creationDate', 'lastModifiedDate']) wire[key] = epochSeconds(wire[key]);
for (const key of ['notBefore', 'notAfter']) wire.validity[key] = epochSeconds(wire.validity[key]);
const stubBody = JSON.stringify(description);
let stubRequests = 0;
const stub = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    stubRequests++;
    const found = request.url === `/certificates/${certificateId}`;
    response.writeHead(found ? 200 : 404, { 'content-type': 'application/json', 'x-amzn-RequestId': 'bench' });
    response.end(found ? stubBody : '{"message":"not found"}');
  });
});
await new Promise<void>((listening) => stub.listen(0, '127.0.0.1', listening));
const { port } = stub.address() as { port: number };

interface Contender {
  readonly label: string;
  readonly command: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** What a correct run prints on stdout. */
  readonly expect: string;
}
interface Case {
  readonly name: string;
  readonly target: number;
  readonly fleetca: Contender[];
  readonly aws: Contender;
}

const fleetcaVariants = (words: string[], expect: string): Contender[] => [
  { label: hasCompileCache ? 'fleetca (compile cache)' : 'fleetca', command: [node, fleetca, ...words], env, expect },
  ...(hasCompileCache
    ? [{ label: 'fleetca (no compile cache)', command: [node, fleetca, ...words], env: noCacheEnv, expect }]
    : []),
];
const describeWords = ['iot', 'describe-certificate', '--certificate-id', certificateId];
const cases: Case[] = [
  {
    name: '--version',
    target: VERSION_TARGET,
    fleetca: fleetcaVariants(['--version'], 'fleetca/'),
    aws: { label: 'aws (v1)', command: [python, '-m', 'awscli', '--version'], env, expect: 'aws-cli/1.' },
  },
  {
    name: 'describe-certificate',
    target: DESCRIBE_TARGET,
    fleetca: fleetcaVariants(describeWords, certificateId),
    aws: {
      label: 'aws (v1), stub endpoint',
      command: [python, '-m', 'awscli', ...describeWords, '--endpoint-url', `http://127.0.0.1:${port}`],
      env,
      expect: certificateId,
    },
  },
];

const samples = new Map<string, TimedRun[]>();
const failures: string[] = [];
const stdoutFile = join(work, 'stdout');
async function measure(testCase: Case, contender: Contender): Promise<void> {
  const run = await timeCommand(python, contender.command, contender.env, stdoutFile);
  const printed = readFileSync(stdoutFile, 'utf8');
  if (run.exitCode !== 0 || !printed.includes(contender.expect)) {
    failures.push(`${testCase.name}, ${contender.label}: exit ${run.exitCode}, stdout ${JSON.stringify(printed)}`);
    return;
  }
  const key = `${testCase.name}\0${contender.label}`;
  samples.set(key, [...(samples.get(key) ?? []), run]);
}

const loadBefore = loadavg();
// One unrecorded round first: it warms the page cache, and fleetca's compile cache where there is one.
for (let round = 0; round <= runs; round++) {
  if (round > 0) process.stderr.write(`round ${round}/${runs}\n`);
  for (const testCase of cases) {
    const contenders = [...testCase.fleetca, testCase.aws];
    if (round % 2 === 1) contenders.reverse();
    for (const contender of contenders) {
      if (round === 0) await timeCommand(python, contender.command, contender.env, stdoutFile);
      else await measure(testCase, contender);
    }
  }
}
const loadAfter = loadavg();
stub.close();
rmSync(work, { recursive: true, force: true });

const summary = (key: string) => {
  const taken = samples.get(key) ?? [];
  const sorted = (pick: (run: TimedRun) => number) => taken.map(pick).sort((a, b) => a - b);
  const wall = sorted((run) => run.wallMs);
  const cpu = sorted((run) => run.cpuMs);
  return {
    count: taken.length,
    wall50: percentile(wall, 50),
    wall90: percentile(wall, 90),
    cpu50: percentile(cpu, 50),
    cpu90: percentile(cpu, 90),
  };
};
const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : 'n/a');
const rows: string[][] = [];
const verdicts: string[] = [];
for (const testCase of cases) {
  const aws = summary(`${testCase.name}\0${testCase.aws.label}`);
  for (const contender of [...testCase.fleetca, testCase.aws]) {
    const s = summary(`${testCase.name}\0${contender.label}`);
    const isAws = contender === testCase.aws;
    rows.push([
      testCase.name,
      contender.label,
      String(s.count),
      ms(s.wall50),
      ms(s.wall90),
      ms(s.cpu50),
      ms(s.cpu90),
      isAws ? '' : formatRatio(ratio(s.wall50, aws.wall50)),
      isAws ? '' : formatRatio(ratio(s.cpu50, aws.cpu50)),
    ]);
  }
  const first = summary(`${testCase.name}\0${(testCase.fleetca[0] as Contender).label}`);
  const wallRatio = ratio(first.wall50, aws.wall50);
  const verdict = Number.isNaN(wallRatio) ? 'not measured' : wallRatio <= testCase.target ? 'met' : 'NOT met';
  // On a busy machine both tools wait for a core, which flatters the wall ratio; the CPU ratio is its quiet value.
  const cpuRatio = formatRatio(ratio(first.cpu50, aws.cpu50));
  verdicts.push(
    `- Target \`${testCase.name}\` wall ≤ ${testCase.target}× aws: ${formatRatio(wallRatio)} — ${verdict} (CPU ${cpuRatio}).`,
  );
}
const rendered = table(
  ['command', 'tool', 'runs', 'wall p50 ms', 'wall p90 ms', 'CPU p50 ms', 'CPU p90 ms', 'wall ÷ aws', 'CPU ÷ aws'],
  rows,
);
console.log(rendered);
console.log(verdicts.join('\n'));
if (failures.length > 0) console.log(`\n${failures.length} failed runs, first: ${failures[0]}`);
if (stubRequests === 0) console.log('\nthe stub answered no request: the aws describe did not reach it');

if (!args.has('no-record')) {
  const machine = await describeMachine();
  const load = (avg: number[]) => avg.map((value) => value.toFixed(2)).join(' ');
  const section = [
    `## CLI start-up vs the AWS CLI — Node ${nodeVersions[0]} — ${new Date().toISOString()}`,
    '',
    `- Command: \`${['node dist/bench/startup.js', ...process.argv.slice(2)].join(' ')}\`; ${runs} runs per tool and command after one warm-up round, alternating (order flipped every round); wall = spawn to exit, CPU = user + system of the process (wait4).`,
    `- fleetca on Node ${nodeVersions[0]} (OpenSSL ${nodeVersions[1]})${hasCompileCache ? ', with its module compile cache warm and disabled (NODE_DISABLE_COMPILE_CACHE=1)' : ' (no module compile cache on this Node)'}; local mode, a fresh data directory with one certificate. ${awsVersion}, run as \`python -m awscli\` (no pyenv shim), against a stub HTTP server in the bench process answering that certificate's description.`,
    `- Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB.toFixed(1)} GiB RAM, Linux ${machine.kernel}; bench on Node ${machine.node}. Load average ${load(loadBefore)} before, ${load(loadAfter)} after (other work on the machine shows here; CPU time is the steadier figure).`,
    '',
    rendered,
    '',
    ...verdicts,
    ...(failures.length > 0 ? [`- ${failures.length} failed runs (not counted), first: ${failures[0]}`] : []),
  ].join('\n');
  await recordSection(resultsFile, `startup-node${nodeVersions[0].slice(1).split('.')[0]}`, section);
}
