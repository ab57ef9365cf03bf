import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { SignatureV4 } from '@smithy/signature-v4';
import { createFormatter } from '../../src/cli/output/formatters.js';
import { compileQuery } from '../../src/cli/query/compile-query.js';
import { regionPolicy } from '../../src/regions/region-policy.js';
import { openSqliteRegistry } from '../../src/registry/sqlite/sqlite-registry.js';
import { SigV4Authenticator } from '../../src/server/auth/sigv4-authenticator.js';
import { NodeSha256 } from '../../src/sigv4/node-sha256.js';
import { type CliResult, cliEnv, initialisedHome, runCli, tempHome } from '../helpers/run-cli.js';

const USAGE =
  'usage: fleetca [options] <command> <subcommand> [<subcommand> ...] [parameters]\n' +
  'To see help text, you can run:\n\n  fleetca help\n  fleetca <command> help\n  fleetca <command> <subcommand> help\n';

interface Created {
  readonly accountId: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** A successful run whose stdout is the JSON the AWS CLI would print (4-space indent, newline). */
function json(run: CliResult): unknown {
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, '');
  const value = JSON.parse(run.stdout);
  assert.equal(run.stdout, `${JSON.stringify(value, null, 4)}\n`);
  return value;
}

function assertCreated(value: unknown, accountId?: string): Created {
  const created = value as Created;
  assert.deepEqual(Object.keys(created), ['accountId', 'accessKeyId', 'secretAccessKey']);
  assert.match(created.accountId, /^\d{12}$/);
  if (accountId !== undefined) assert.equal(created.accountId, accountId);
  assert.match(created.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
  assert.match(created.secretAccessKey, /^[A-Za-z0-9+/]{40}$/);
  return created;
}

/** Bad input: a clear one-line message in the CLI's layout, the exit code, no stack trace, no output. */
function assertCleanFailure(run: CliResult, code: number, stderr: string): void {
  assert.equal(run.code, code, `exit code; stderr: ${run.stderr}`);
  assert.equal(run.stdout, '');
  assert.equal(run.stderr, stderr);
  assert.doesNotMatch(run.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
}

const failure = (message: string) => `\nfleetca: [ERROR]: ${message}\n`;
const paramFailure = (message: string) => failure(`An error occurred (ParamValidation): ${message}`);

describe('fleetca admin', () => {
  let env: NodeJS.ProcessEnv;
  const admin = (...args: string[]) => runCli(['admin', ...args], env);

  before(async () => {
    env = cliEnv(await initialisedHome('fleetca-admin-'));
  });

  test('accounts and keys: create, list (never a secret), delete', async () => {
    const first = assertCreated(json(await admin('create-account', '--account-id', '123456789012')), '123456789012');
    const second = assertCreated(
      json(await admin('create-access-key', '--account-id', '123456789012')),
      '123456789012',
    );
    assert.notEqual(first.accessKeyId, second.accessKeyId);
    const random = assertCreated(json(await admin('create-account')));
    assert.notEqual(random.accountId, '123456789012');

    const accountsRun = await admin('list-accounts');
    const accounts = json(accountsRun) as { accounts: { accountId: string; createdAt: string }[] };
    assert.deepEqual(
      accounts.accounts.map((a) => a.accountId),
      ['123456789012', random.accountId].sort(),
    );
    for (const account of accounts.accounts) {
      assert.deepEqual(Object.keys(account), ['accountId', 'createdAt']);
      assert.match(account.createdAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?\+00:00$/);
    }

    const keysRun = await admin('list-access-keys', '--account-id', '123456789012');
    const keys = json(keysRun) as { accessKeys: { accessKeyId: string; createdAt: string }[] };
    assert.deepEqual(
      keys.accessKeys.map((k) => k.accessKeyId),
      [first.accessKeyId, second.accessKeyId],
    );
    for (const key of keys.accessKeys) assert.deepEqual(Object.keys(key), ['accessKeyId', 'createdAt']);
    for (const output of [accountsRun.stdout, keysRun.stdout]) {
      for (const secret of [first, second, random].map((c) => c.secretAccessKey)) {
        assert.ok(!output.includes(secret), 'a listing shows a secret');
        assert.ok(!output.includes(secret.slice(0, 12)), 'a listing shows part of a secret');
      }
      assert.doesNotMatch(output, /secret/i);
    }

    assertCleanFailure(
      await admin('delete-account', '--account-id', '123456789012'),
      255,
      failure('account 123456789012 still has 2 access key(s); delete them first (fleetca admin delete-access-key)'),
    );
    const deleted = await admin('delete-access-key', '--access-key-id', first.accessKeyId);
    assert.deepEqual([deleted.code, deleted.stdout, deleted.stderr], [0, '', '']);
    assertCleanFailure(
      await admin('delete-access-key', '--access-key-id', first.accessKeyId),
      255,
      failure(`access key ${first.accessKeyId} does not exist`),
    );
    assert.equal(
      (await admin('delete-access-key', '--access-key-id', second.accessKeyId)).code,
      0,
      'the last key goes too',
    );
    assert.deepEqual(json(await admin('list-access-keys', '--account-id', '123456789012')), { accessKeys: [] });
    const gone = await admin('delete-account', '--account-id', '123456789012');
    assert.deepEqual([gone.code, gone.stdout, gone.stderr], [0, '', '']);
    assert.deepEqual(
      (json(await admin('list-accounts')) as { accounts: { accountId: string }[] }).accounts.map((a) => a.accountId),
      [random.accountId],
    );
  });

  test('a key created here signs requests the server accepts, as its account', async () => {
    const created = assertCreated(json(await admin('create-account', '--account-id', '555555555555')));
    const registry = await openSqliteRegistry(join(env.FLEETCA_HOME as string, 'registry.db'));
    try {
      const signer = new SignatureV4({
        credentials: created,
        region: 'eu-west-1',
        service: 'iot',
        sha256: NodeSha256,
        applyChecksum: false,
      });
      const request = await signer.sign({
        method: 'GET',
        protocol: 'http:',
        hostname: 'localhost',
        path: '/certificates',
        query: {},
        headers: { host: 'localhost:8080' },
      });
      const principal = await new SigV4Authenticator({
        accounts: registry.accounts,
        regions: regionPolicy(),
      }).authenticate({
        method: 'GET',
        rawPath: '/certificates',
        rawQuery: '',
        rawHeaders: Object.entries(request.headers).flat(),
        body: Buffer.alloc(0),
      });
      assert.deepEqual(principal, { accountId: '555555555555', region: 'eu-west-1', accessKeyId: created.accessKeyId });
    } finally {
      await registry.close();
    }
  });

  test('bad input: clear messages, exit 252 for malformed input and 255 for the registry’s refusals', async () => {
    await admin('create-account', '--account-id', '111111111111');
    assertCleanFailure(
      await admin('create-account', '--account-id', '111111111111'),
      255,
      failure('account 111111111111 already exists'),
    );
    for (const bad of ['12345', '1234567890123', 'abcdefghijkl', '-12345678901']) {
      const run = await admin('create-account', `--account-id=${bad}`);
      assertCleanFailure(run, 252, paramFailure(`Invalid value for --account-id: "${bad}" is not 12 digits`));
    }
    for (const args of [
      ['create-access-key', '--account-id', '999999999999'],
      ['list-access-keys', '--account-id', '999999999999'],
      ['delete-account', '--account-id', '999999999999'],
    ]) {
      assertCleanFailure(await admin(...args), 255, failure('account 999999999999 does not exist'));
    }
    assertCleanFailure(
      await admin('delete-access-key', '--access-key-id', 'AKIAAAAAAAAAAAAAAAAA'),
      255,
      failure('access key AKIAAAAAAAAAAAAAAAAA does not exist'),
    );
    assertCleanFailure(
      await admin('delete-access-key', '--access-key-id', 'AKIA/../x'),
      252,
      paramFailure(
        'Invalid value for --access-key-id: "AKIA/../x" is not an access key id (16 to 128 letters, digits or underscores)',
      ),
    );
    assertCleanFailure(
      await admin('list-accounts', '--account-id', '111111111111'),
      252,
      `\n${USAGE}\n\nfleetca: [ERROR]: Unknown options: --account-id, 111111111111\n`,
    );
    assertCleanFailure(
      await admin('create-access-key'),
      252,
      paramFailure(`the following arguments are required: --account-id\n\n${USAGE.trimEnd()}`),
    );
    assertCleanFailure(
      await admin(),
      252,
      paramFailure(`the following arguments are required: subcommand\n\n${USAGE.trimEnd()}`),
    );
    const typo = await admin('list-acounts');
    assert.equal(typo.code, 252);
    assert.match(typo.stderr, /argument subcommand: Found invalid choice 'list-acounts'/);
  });

  test('--output and --query, after or before the subcommand, as every fleetca iot command takes them', async () => {
    await admin('create-account', '--account-id', '222222222222');
    const listed = json(await admin('list-accounts')) as Record<string, unknown>;
    /** What fleetca's formatter prints for the listing, with the query applied. */
    const formatted = async (format: string, query?: string) => {
      let text = '';
      const options = { query: query === undefined ? undefined : compileQuery(query), color: 'off' };
      (await createFormatter(format, options)).format(
        'ListAccounts',
        { paginated: false, response: listed },
        { write: (chunk: string) => (text += chunk) },
      );
      return text;
    };
    const cases: { args: string[]; format: string; query?: string }[] = [
      { args: ['list-accounts', '--output', 'text'], format: 'text' },
      { args: ['list-accounts', '--output', 'table'], format: 'table' },
      { args: ['--output', 'yaml', 'list-accounts'], format: 'yaml' },
      { args: ['list-accounts', '--output', 'yaml-stream'], format: 'yaml-stream' },
      { args: ['list-accounts', '--query', 'accounts[].accountId'], format: 'json', query: 'accounts[].accountId' },
      {
        args: ['list-accounts', '--query', 'accounts[0].accountId', '--output', 'text'],
        format: 'text',
        query: 'accounts[0].accountId',
      },
    ];
    for (const { args, format, query } of cases) {
      const run = await admin(...args);
      assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
      assert.equal(run.stdout, await formatted(format, query), args.join(' '));
    }
    assert.match((await admin('list-accounts', '--output', 'table')).stdout, /\|\s+ListAccounts\s+\|/);
    // Global options before `admin` count too.
    const before = await runCli(['--output', 'text', '--query', 'accounts[].accountId', 'admin', 'list-accounts'], env);
    assert.equal(before.stdout, await formatted('text', 'accounts[].accountId'));
    // --output off: the command runs and prints nothing.
    const off = await admin('create-access-key', '--account-id', '222222222222', '--output', 'off');
    assert.deepEqual([off.code, off.stdout], [0, '']);
    const keys = json(await admin('list-access-keys', '--account-id', '222222222222')) as { accessKeys: unknown[] };
    assert.equal(keys.accessKeys.length, 2);
  });

  test('malformed input is refused before a data directory is created', async () => {
    const fresh = cliEnv(await tempHome('fleetca-admin-'));
    const run = await runCli(['admin', 'create-account', '--account-id', '42'], fresh);
    assert.equal(run.code, 252);
    await assert.rejects(access(fresh.FLEETCA_HOME as string), { code: 'ENOENT' });
  });

  test('help: `admin help`, `admin --help`, and `--help` after a subcommand', async () => {
    for (const args of [['help'], ['--help'], ['create-account', '--help']]) {
      const run = await admin(...args);
      assert.equal(run.code, 0);
      assert.match(run.stdout, /^NAME\n {7}admin - accounts and access keys/);
      assert.match(run.stdout, /delete-access-key --access-key-id AKID/);
      assert.match(run.stdout, /--output \(string\) json \(default\)/);
      assert.match(run.stdout, /--query \(string\)/);
    }
    const top = await runCli(['help'], env);
    assert.match(top.stdout, /o admin/);
  });
});
