import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmod, chown, cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import {
  type CliResult,
  cliEnv,
  FLEETCA_BIN,
  makeEcCsr,
  REPO_ROOT,
  run,
  runCli,
  tempHome,
} from '../helpers/run-cli.js';

/**
 * An initialised data directory (it has config.json) never silently becomes a new one: whatever is lost, empty,
 * unreadable or foreign is reported (exit 255) by every command that opens it, and nothing in it is changed.
 */

/** Every file and directory under `dir`: size, mode and a content hash, to prove nothing was touched. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const entries: Record<string, string> = {};
  for (const name of (await readdir(dir, { recursive: true })).sort()) {
    const path = join(dir, name);
    const info = await stat(path);
    const content = info.isFile()
      ? createHash('sha256')
          .update(await readFile(path))
          .digest('hex')
      : 'dir';
    entries[name] = `${info.size} ${(info.mode & 0o7777).toString(8)} ${content}`;
  }
  return entries;
}

/** The user permission cases run as: `nobody` when the tests run as root (root reads anything), else ourselves. */
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

/** Makes `file` unreadable to the user the CLI will run as, the way a wrong owner does. */
async function makeUnreadable(home: string, file: string): Promise<void> {
  if (!asRoot) {
    await chmod(file, 0);
    return;
  }
  for (const name of ['', ...(await readdir(home, { recursive: true }))]) {
    await chown(join(home, name), NOBODY, NOBODY);
  }
  await chown(file, 0, 0); // root's, mode 0600: nobody may not read it
}

function runAs(unprivileged: boolean, args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  if (!(unprivileged && asRoot)) return runCli(args, env);
  // setpriv is util-linux's, in every Debian; a missing one fails the run with its spawn error.
  const drop = ['--reuid', String(NOBODY), '--regid', String(NOBODY), '--clear-groups'];
  return run('setpriv', [...drop, process.execPath, FLEETCA_BIN, ...args], { env, cwd: REPO_ROOT });
}

/** The commands that open the data directory: the CLI's operations, admin, and the server (which must not start). */
const COMMANDS: readonly (readonly string[])[] = [
  ['iot', 'list-certificates'],
  ['admin', 'list-accounts'],
  ['serve', '--port', '0', '--key-pool-size', '0', '--no-mqtt'],
];

let template: string;

before(async () => {
  const { home, env, dir } = await newHome();
  const issued = await runCli(
    ['iot', 'create-certificate-from-csr', '--certificate-signing-request', `file://${await makeEcCsr(home, 'd')}`],
    env,
  );
  assert.equal(issued.code, 0, issued.stderr);
  const created = await runCli(['admin', 'create-account'], env);
  assert.equal(created.code, 0, created.stderr);
  template = dir;
});

/** A new test home; its data directory (not made yet) is `dir`. */
async function newHome(): Promise<{ home: string; env: NodeJS.ProcessEnv; dir: string }> {
  const home = await tempHome();
  const env = cliEnv(home);
  return { home, env, dir: String(env.FLEETCA_HOME) };
}

interface Breakage {
  readonly name: string;
  /** Breaks the copy of an initialised directory at `dir` (the data directory), inside the test's `home`. */
  readonly breakIt: (dir: string, home: string) => Promise<void>;
  readonly expected: readonly RegExp[];
  readonly unprivileged?: boolean;
}

const RESTORE = /restore (it|\S+|fleetca's registry) from a backup/i;

const BREAKAGES: readonly Breakage[] = [
  {
    name: 'registry.db missing',
    breakIt: (dir) => rm(join(dir, 'registry.db')),
    expected: [/registry \S+\/registry\.db is missing/, RESTORE, /FLEETCA_HOME/],
  },
  {
    name: 'registry.db emptied (0 bytes)',
    breakIt: (dir) => writeFile(join(dir, 'registry.db'), ''),
    expected: [/registry \S+\/registry\.db is empty \(0 bytes\)/, RESTORE],
  },
  {
    name: 'registry.db emptied, its -wal still there',
    breakIt: async (dir) => {
      await writeFile(join(dir, 'registry.db'), '');
      await writeFile(join(dir, 'registry.db-wal'), Buffer.alloc(8232, 7));
    },
    expected: [/registry\.db is empty \(0 bytes\)/, RESTORE],
  },
  {
    name: 'registry.db missing, its -wal still there',
    breakIt: async (dir) => {
      await rm(join(dir, 'registry.db'));
      await writeFile(join(dir, 'registry.db-wal'), Buffer.alloc(8232, 7));
    },
    expected: [/registry\.db is missing but its write-ahead log \S+registry\.db-wal is there/, RESTORE],
  },
  {
    name: 'registry.db unreadable (owned by another user)',
    breakIt: (dir, home) => makeUnreadable(home, join(dir, 'registry.db')),
    expected: [/registry \S+\/registry\.db cannot be read or written: permission denied/, /give the user running/],
    unprivileged: true,
  },
  {
    name: 'a text file in place of registry.db',
    breakIt: (dir) => writeFile(join(dir, 'registry.db'), 'notes of another program\n'.repeat(100)),
    expected: [/registry\.db is not a SQLite database/, RESTORE],
  },
  {
    name: "another application's SQLite database in place of registry.db",
    breakIt: async (dir) => {
      await rm(join(dir, 'registry.db'));
      const other = new Database(join(dir, 'registry.db'));
      other.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hello')");
      other.close();
    },
    expected: [/registry\.db is not a fleetca registry: it has tables \(notes\)/, /point --store or FLEETCA_HOME/],
  },
  {
    name: 'the CA directory missing',
    breakIt: (dir) => rm(join(dir, 'ca'), { recursive: true }),
    expected: [/CA directory \S+\/ca is missing/, RESTORE, /would not verify the certificates already issued/],
  },
  {
    name: 'a CA file missing',
    breakIt: (dir) => rm(join(dir, 'ca', 'issuing-ca.key')),
    expected: [/CA directory \S+ is incomplete \(missing issuing-ca\.key\)/, /restore the files from a backup/],
  },
  {
    name: 'a foreign CA file',
    breakIt: (dir) => writeFile(join(dir, 'ca', 'root-ca.crt'), 'not a certificate\n'),
    expected: [/CA directory \S+ is corrupted or foreign: root-ca\.crt is not a PEM certificate/],
  },
  {
    name: 'a CA key unreadable (owned by another user)',
    breakIt: (dir, home) => makeUnreadable(home, join(dir, 'ca', 'issuing-ca.key')),
    expected: [/issuing-ca\.key cannot be read: permission denied/, /give the user running fleetca access/],
    unprivileged: true,
  },
];

describe('an initialised data directory is never silently replaced', () => {
  for (const breakage of BREAKAGES) {
    test(`${breakage.name}: reported by every command, nothing changed`, { timeout: 120_000 }, async () => {
      const { home, env, dir } = await newHome();
      await cp(template, dir, { recursive: true });
      await breakage.breakIt(dir, home);
      const before = await snapshot(dir);
      for (const args of COMMANDS) {
        const result = await runAs(breakage.unprivileged === true, args, env);
        assert.equal(result.code, 255, `${args.join(' ')}: ${result.stderr}`);
        assert.equal(result.stdout, '', args.join(' '));
        for (const pattern of breakage.expected) assert.match(result.stderr, pattern, args.join(' '));
        assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
        assert.deepEqual(await snapshot(dir), before, `${args.join(' ')} left the directory as it was`);
      }
    });
  }
});

describe('directories that are still opened', () => {
  test('a directory of an older fleetca (no "registry" in config.json) opens as it is', async () => {
    const { env, dir } = await newHome();
    await cp(template, dir, { recursive: true });
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
    delete config.registry;
    await writeFile(join(dir, 'config.json'), JSON.stringify(config));
    const listed = await runCli(['iot', 'list-certificates'], env);
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal(JSON.parse(listed.stdout).certificates.length, 1);
    assert.equal(listed.stderr, '');
  });

  test('an older directory without registry.db (its registry was elsewhere) gets one, and says so', async () => {
    const { env, dir } = await newHome();
    // 0700, as every fleetca made its data directory: an initialised one others can enter is refused.
    await mkdir(dir, { mode: 0o700 });
    await cp(join(template, 'ca'), join(dir, 'ca'), { recursive: true });
    await writeFile(
      join(dir, 'config.json'),
      (await readFile(join(template, 'config.json'), 'utf8')).replace(/,\s*"registry": "registry.db"/, ''),
    );
    const listed = await runCli(['iot', 'list-certificates'], env);
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal(listed.stdout, '{\n    "certificates": []\n}\n');
    assert.equal(listed.stderr, `fleetca: created a new, empty registry ${join(dir, 'registry.db')}\n`);
    assert.equal((await stat(join(dir, 'registry.db'))).mode & 0o777, 0o600);
  });

  test('a first use cut short (its config draft left behind) is finished by the next command', async () => {
    const { env, dir } = await newHome();
    await mkdir(dir);
    await cp(join(template, 'ca'), join(dir, 'ca'), { recursive: true });
    await writeFile(join(dir, '.config.json.123.456'), '');
    const exported = await runCli(['ca', 'export'], env);
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal(exported.stdout, (await runCli(['ca', 'export'], { ...env, FLEETCA_HOME: template })).stdout);
    assert.match(exported.stderr, /^fleetca: created a new CA and registry in \S+ \(first use\)/);
    // The interrupted process's draft stays: a live one could still be linking it, and it is a few empty bytes.
    assert.deepEqual((await readdir(dir)).sort(), ['.config.json.123.456', 'ca', 'config.json', 'registry.db']);
  });

  test('a directory that lost its config.json is refused, not taken over', async () => {
    const { env, dir } = await newHome();
    await cp(template, dir, { recursive: true });
    await rm(join(dir, 'config.json'));
    const before = await snapshot(dir);
    const listed = await runCli(['iot', 'list-certificates'], env);
    assert.equal(listed.code, 255);
    assert.match(
      listed.stderr,
      /is not a fleetca data directory \(it has no config\.json but holds ca, registry\.db\)/,
    );
    assert.match(listed.stderr, /restore config\.json from a backup/);
    assert.deepEqual(await snapshot(dir), before);
  });
});
