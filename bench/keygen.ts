/**
 * `npm run bench:keygen`: RSA-2048 keys per CPU-second, one core, for every engine on the running Node —
 * fleetca's FIPS 186-5 A.1.6 generator (`fips186-5`, at several sieve bounds; the default bound marked; with
 * the exponentiation engine it uses here, or with `--modexp` the others too) and Node's stock generator (`openssl`, labelled with the OpenSSL this Node bundles) — and for Python's
 * cryptography (the stack moto uses). Rounds alternate between the generators so that the drift of a shared machine hits
 * all of them alike; CPU time, not wall time, is what is compared.
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { RSA_PUBLIC_KEY_ENGINE } from '../src/ca/keygen/fips186/native-modexp.js';
import { defaultPowerEngine, type PowerEngine } from '../src/ca/keygen/fips186/power-engine.js';
import { createFips186KeyPairGenerator, DEFAULT_SIEVE_BOUND } from '../src/ca/keygen/fips186/rsa-key-pair.js';
import { collectOptions, type UsageError } from './command-line.js';
import { describeMachine } from './machine.js';
import { recordSection, table } from './report.js';

interface Tally {
  keys: number;
  cpuSeconds: number;
}

const USAGE =
  'usage: npm run bench:keygen -- [--rounds N] [--keys N] [--bounds L] [--modexp default,rsa-public] [--results FILE]';

function usageError(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

let args: Map<string, string>;
try {
  args = collectOptions(process.argv.slice(2), process.env, {
    flags: new Set(),
    valued: new Set(['rounds', 'keys', 'bounds', 'modexp', 'results']),
    envPrefix: 'FLEETCA_BENCH_KEYGEN_',
  });
} catch (error) {
  usageError((error as UsageError).message);
}
const wholeNumber = (name: string, fallback: string): number => {
  const value = Number(args.get(name) ?? fallback);
  if (!Number.isSafeInteger(value) || value < 1) usageError(`--${name}: "${args.get(name)}" is not valid`);
  return value;
};
const rounds = wholeNumber('rounds', '12');
const keysPerRound = wholeNumber('keys', '15');
const bounds = (args.get('bounds') ?? `16384,${DEFAULT_SIEVE_BOUND},262144`).split(',').map(Number);
const resultsFile = args.get('results') ?? 'bench/RESULTS.md';

function timeInProcess(make: () => unknown, count: number): Tally {
  const before = process.cpuUsage();
  for (let i = 0; i < count; i++) make();
  const used = process.cpuUsage(before);
  return { keys: count, cpuSeconds: (used.user + used.system) / 1e6 };
}

const PYTHON = `
import sys, time
from cryptography.hazmat.primitives.asymmetric import rsa
n = int(sys.argv[1]); t = time.process_time()
for _ in range(n): rsa.generate_private_key(public_exponent=65537, key_size=2048)
print(time.process_time() - t)
`;

function timePython(count: number): Tally | undefined {
  const run = spawnSync('python3', ['-c', PYTHON, String(count)], { encoding: 'utf8' });
  if (run.status !== 0) return undefined;
  return { keys: count, cpuSeconds: Number(run.stdout.trim()) };
}

const tallies = new Map<string, Tally>();
const add = (name: string, tally: Tally | undefined) => {
  if (!tally) return;
  const sum = tallies.get(name) ?? { keys: 0, cpuSeconds: 0 };
  tallies.set(name, { keys: sum.keys + tally.keys, cpuSeconds: sum.cpuSeconds + tally.cpuSeconds });
};
// The exponentiation engines to run: the one the generator picks here (`default`), and the fallback.
const powerEngines: Record<string, PowerEngine> = {
  default: defaultPowerEngine(),
  'rsa-public': RSA_PUBLIC_KEY_ENGINE,
};
const modexps = (args.get('modexp') ?? 'default').split(',').map((name) => {
  const engine = powerEngines[name];
  if (!engine) usageError(`--modexp: "${name}" is not one of ${Object.keys(powerEngines).join(', ')}`);
  return engine;
});
const engineLabel = (engine: PowerEngine) => `${engine.name}${engine.pairs(1024) ? ', paired' : ''}`;
const generators = bounds.flatMap((bound) =>
  modexps.map((powerEngine) => ({
    label: `fleetca fips186-5 (A.1.6), sieve < ${bound}${bound === DEFAULT_SIEVE_BOUND ? ' (default)' : ''}, ${engineLabel(powerEngine)}`,
    make: createFips186KeyPairGenerator({ sieveBound: bound, powerEngine }),
  })),
);
const stockLabel = `openssl: node generateKeyPair (OpenSSL ${process.versions.openssl})`;
const stock = () => generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 });

for (let round = 1; round <= rounds; round++) {
  process.stderr.write(`round ${round}/${rounds}\n`);
  for (const { label, make } of generators) add(label, timeInProcess(make, keysPerRound));
  add(stockLabel, timeInProcess(stock, Math.max(5, Math.round(keysPerRound / 2))));
  add('python cryptography (moto)', timePython(keysPerRound));
}

const python = tallies.get('python cryptography (moto)');
const pythonRate = python ? python.keys / python.cpuSeconds : undefined;
const stockTally = tallies.get(stockLabel);
const stockRate = stockTally ? stockTally.keys / stockTally.cpuSeconds : undefined;
const versus = (rate: number, other: number | undefined) => (other ? `${(rate / other).toFixed(2)}×` : 'n/a');
const rows = [...tallies].map(([name, { keys, cpuSeconds }]) => {
  const rate = keys / cpuSeconds;
  return [name, String(keys), rate.toFixed(1), versus(rate, pythonRate), versus(rate, stockRate)];
});
const rendered = table(['generator', 'keys', 'keys per CPU-second', 'vs python', 'vs node stock'], rows);
console.log(rendered);

if (!args.has('no-record')) {
  const machine = await describeMachine();
  const section = [
    `## RSA-2048 key generation, one core, Node ${process.version} — ${new Date().toISOString()}`,
    '',
    `- Command: \`${['node dist/bench/keygen.js', ...process.argv.slice(2)].join(' ')}\`; ${rounds} rounds of ${keysPerRound} keys per generator, alternating; CPU time (user + system) of the generating process.`,
    `- Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB.toFixed(1)} GiB RAM, Linux ${machine.kernel}; Node ${machine.node}, OpenSSL ${machine.openssl}; ${machine.python}.`,
    '- The prime search is random (geometric), so expect ±5 % between runs of this size; the machine itself drifts more, which the alternation evens out.',
    '',
    rendered,
  ].join('\n');
  // One section per Node line, so runs on the machine's Node and on Node 24 sit side by side.
  await recordSection(resultsFile, `keygen-node${process.versions.node.split('.')[0]}`, section);
}
