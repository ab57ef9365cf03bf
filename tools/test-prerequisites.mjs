#!/usr/bin/env node
// Run by `npm test` before the suite: the tests drive real tools and services, so make sure they are here.
// What Debian provides is installed when we may (root with apt-get), PostgreSQL is started when it is installed
// but down; anything else missing stops the run with what is missing and the command that brings it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** A tool the tests run, and the Debian package that provides it. */
const DEBIAN_TOOLS = [
  { what: 'openssl', found: () => onPath('openssl'), apt: 'openssl' },
  {
    what: 'the AWS CLI v2 at /usr/bin/aws (parity and v2 compatibility tests)',
    found: () => existsSync('/usr/bin/aws'),
    apt: 'awscli',
  },
  { what: 'tmux (pager and auto-prompt tests)', found: () => onPath('tmux'), apt: 'tmux' },
  {
    what: 'mosquitto_pub / mosquitto_sub (device endpoint tests)',
    found: () => onPath('mosquitto_pub'),
    apt: 'mosquitto-clients',
  },
  {
    what: 'the mosquitto broker (the CRL test runs a private one)',
    found: () => onPath('mosquitto') || existsSync('/usr/sbin/mosquitto'),
    apt: 'mosquitto',
  },
  {
    what: 'nats-server (the cluster tests run private ones)',
    found: () => onPath('nats-server') || existsSync('/usr/sbin/nats-server'),
    apt: 'nats-server',
  },
  {
    what: 'Chromium at /usr/bin/chromium (the web console is tested in it through puppeteer-core)',
    found: () => existsSync('/usr/bin/chromium'),
    apt: 'chromium',
  },
  {
    what: 'PostgreSQL server binaries (registry conformance and fault tests)',
    found: () => postgresBinDir() !== undefined,
    apt: 'postgresql',
  },
];

const problems = [];

const missing = DEBIAN_TOOLS.filter((tool) => !tool.found());
if (missing.length > 0) {
  const packages = missing.map((tool) => tool.apt);
  if (canInstall()) {
    console.error(`test prerequisites: installing ${packages.join(' ')} (apt-get)`);
    aptInstall(packages);
  }
  for (const tool of DEBIAN_TOOLS.filter((t) => !t.found())) {
    problems.push(`${tool.what} is missing: apt-get install ${tool.apt}`);
  }
}

// The pip-installed AWS CLI v1 and boto3 come with the machine's Python; Debian's awscli is a v2 and must not
// shadow it (the v1 suites run `aws`, the v2 suites `/usr/bin/aws`).
const awsVersion = run('aws', ['--version']);
if (!/^aws-cli\/1\./.test(awsVersion.output)) {
  problems.push(
    `the AWS CLI v1 must come first on PATH as \`aws\` (found: ${awsVersion.output.trim() || 'none'}): pip install awscli`,
  );
}
if (run('python3', ['-c', 'import boto3']).status !== 0)
  problems.push('boto3 is missing for python3: pip install boto3');

ensurePostgres();
ensureNats();

if (problems.length > 0) {
  console.error('test prerequisites: the test suite cannot run on this machine yet:');
  for (const problem of problems) console.error(`  - ${problem}`);
  process.exit(1);
}

/** The machine's PostgreSQL on 127.0.0.1:5432 (trust auth, database `test`), started if installed but down. */
function ensurePostgres() {
  const ready = () => run('pg_isready', ['-q', '-h', '127.0.0.1', '-p', '5432']).status === 0;
  if (ready()) return checkTestDatabase();
  const clusters = existsSync('/etc/postgresql') ? readdirSync('/etc/postgresql') : [];
  if (clusters.length > 0 && canInstall()) {
    console.error(`test prerequisites: starting PostgreSQL ${clusters[0]}`);
    run('pg_ctlcluster', ['--skip-systemctl-redirect', clusters[0], 'main', 'start']);
    for (let attempt = 0; attempt < 30 && !ready(); attempt++) spawnSync('sleep', ['1']);
  }
  if (ready()) return checkTestDatabase();
  if (!ready()) {
    problems.push(
      'PostgreSQL does not answer on 127.0.0.1:5432 (trust authentication, database `test`): start it, e.g. ' +
        'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
    );
  }
}

/** NATS with JetStream on 127.0.0.1:4222 (the cluster tests' shared bus), started in the background if down. */
function ensureNats() {
  const ready = () =>
    spawnSync(process.execPath, [
      '-e',
      "const s=require('net').connect(4222,'127.0.0.1');s.on('connect',()=>process.exit(0));s.on('error',()=>process.exit(1))",
    ]).status === 0;
  if (ready()) return;
  const server = onPath('nats-server') ? 'nats-server' : '/usr/sbin/nats-server';
  if (existsSync('/usr/sbin/nats-server') || onPath('nats-server')) {
    console.error('test prerequisites: starting nats-server with JetStream on 127.0.0.1:4222');
    const store = mkdtempSync(join(tmpdir(), 'fleetca-ci-nats-'));
    spawn(server, ['-a', '127.0.0.1', '-p', '4222', '-js', '-sd', store], { detached: true, stdio: 'ignore' }).unref();
    for (let attempt = 0; attempt < 30 && !ready(); attempt++) spawnSync('sleep', ['0.2']);
  }
  if (!ready()) problems.push('NATS does not answer on 127.0.0.1:4222: nats-server -a 127.0.0.1 -p 4222 -js');
}

/** The suites connect without a password (FLEETCA_TEST_POSTGRES overrides where). */
function checkTestDatabase() {
  const url = process.env.FLEETCA_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';
  const login = spawnSync('psql', ['-w', '-X', '-q', '-c', 'select 1', url], {
    encoding: 'utf8',
    env: { ...process.env, PGCONNECT_TIMEOUT: '5' },
  });
  if (login.status !== 0) {
    problems.push(
      `the tests connect to ${url} without a password and cannot (${(login.stderr || String(login.error)).trim()}): ` +
        'create the database and allow trust authentication for 127.0.0.1 in pg_hba.conf, or set FLEETCA_TEST_POSTGRES',
    );
  }
}

function postgresBinDir() {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  return readdirSync(base)
    .map((version) => `${base}/${version}/bin`)
    .find((dir) => existsSync(`${dir}/initdb`) && existsSync(`${dir}/pg_ctl`));
}

function canInstall() {
  return userInfo().uid === 0 && onPath('apt-get');
}

/** Called once per run, so the package lists are refreshed every time it installs. */
function aptInstall(packages) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  spawnSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit', env });
}

function onPath(command) {
  return run('sh', ['-c', `command -v ${command}`]).status === 0;
}

function run(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}
