import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { freePort } from '../helpers/free-port.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';
import { freshSchema, type PgTestSchema } from '../registry/postgres/postgres-fixtures.js';

describe('fleetca iot and admin on a PostgreSQL registry', () => {
  let schema: PgTestSchema;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    schema = await freshSchema();
    env = cliEnv(await tempHome('fleetca-pg-cli-'));
  });

  after(async () => {
    await schema?.cleanup();
  });

  test('--store and FLEETCA_STORE reach the same registry; the data directory keeps no registry file', async () => {
    const created = await runCli(
      ['iot', 'create-keys-and-certificate', '--set-as-active', '--store', schema.url, '--query', 'certificateId'],
      env,
    );
    assert.equal(created.code, 0, created.stderr);
    const certificateId = JSON.parse(created.stdout) as string;
    const viaEnv = { ...env, FLEETCA_STORE: schema.url };
    const described = await runCli(
      ['iot', 'describe-certificate', '--certificate-id', certificateId, '--query', 'certificateDescription.status'],
      viaEnv,
    );
    assert.equal(described.code, 0, described.stderr);
    assert.equal(JSON.parse(described.stdout), 'ACTIVE');
    // --store wins over FLEETCA_STORE: the data directory's SQLite file does not know the certificate.
    const local = await runCli(
      [
        'iot',
        'describe-certificate',
        '--certificate-id',
        certificateId,
        '--store',
        `sqlite:${join(env.HOME ?? '', 'r.db')}`,
      ],
      viaEnv,
    );
    assert.equal(local.code, 254);
    assert.match(local.stderr, /ResourceNotFoundException/);
    assert.equal(existsSync(join(env.FLEETCA_HOME ?? '', 'registry.db')), false);
    const account = await runCli(['admin', 'create-account', '--account-id', '999988887777'], viaEnv);
    assert.equal(account.code, 0, account.stderr);
    const listed = await runCli(['admin', 'list-accounts', '--store', schema.url], env);
    assert.match(listed.stdout, /999988887777/);
  });

  test('a store fleetca cannot use is refused in one line, without echoing a password', async () => {
    const cases: { args: string[]; env?: Record<string, string>; code: number; message: RegExp }[] = [
      {
        args: ['iot', 'list-certificates', '--store', 'mysql://root:hunter2@db/x'],
        code: 255,
        message:
          /^\nfleetca: \[ERROR\]: --store must be a PostgreSQL URL \(postgres:\/\/user@host:5432\/database\) or sqlite:FILE\n$/,
      },
      {
        args: ['admin', 'list-accounts'],
        env: { FLEETCA_STORE: 'redis://:hunter2@127.0.0.1' },
        code: 255,
        message: /FLEETCA_STORE must be a PostgreSQL URL/,
      },
      {
        args: ['iot', 'list-certificates', '--store', 'postgres://postgres@127.0.0.1:5432/fleetca_no_such_db'],
        code: 255,
        message:
          /cannot open registry postgres:\/\/postgres@127\.0\.0\.1:5432\/fleetca_no_such_db: database "fleetca_no_such_db" does not exist/,
      },
      {
        args: ['iot', 'list-certificates', '--store', schema.url, '--endpoint-url', 'http://127.0.0.1:9'],
        code: 253,
        message: /--store names a local registry; it cannot be used together with an endpoint/,
      },
    ];
    const port = await freePort();
    cases.push({
      args: ['admin', 'list-accounts', '--store', `postgres://postgres:hunter2@127.0.0.1:${port}/test`],
      code: 255,
      message: new RegExp(
        `PostgreSQL registry postgres://postgres:\\*\\*\\*@127\\.0\\.0\\.1:${port}/test is unavailable`,
      ),
    });
    for (const { args, env: extra, code, message } of cases) {
      const run = await runCli(args, { ...env, ...extra });
      assert.equal(run.code, code, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message);
      assert.equal(run.stdout, '');
      assert.ok(!run.stderr.includes('hunter2') && !run.stderr.includes('    at '), run.stderr);
    }
  });
});
