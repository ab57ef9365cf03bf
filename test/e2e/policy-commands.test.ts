// biome-ignore-all lint/suspicious/noTemplateCurlyInString: policy variables are written ${iot:Name}, not JavaScript templates
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { type CliResult, cliEnv, initialisedHome, makeEcCsr, runCli } from '../helpers/run-cli.js';

function json(run: CliResult): Record<string, unknown> {
  assert.equal(run.code, 0, run.stderr);
  return run.stdout === '' ? {} : JSON.parse(run.stdout);
}

/**
 * The policy commands as a user runs them on the local registry: `fleetca iot` (the same operations the server
 * serves), their help pages, and `fleetca admin explain-authorization`, the explanation the AWS surface has no room for.
 */
describe('fleetca iot policy commands and fleetca admin explain-authorization', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let certificateArn: string;
  let accountId: string;
  const iot = async (...args: string[]) => json(await runCli(['iot', ...args], env));
  const arn = (resource: string) => `arn:aws:iot:us-east-1:${accountId}:${resource}`;

  before(async () => {
    home = await initialisedHome('fleetca-policy-commands-');
    env = cliEnv(home, { AWS_DEFAULT_REGION: 'us-east-1' });
    const csr = await makeEcCsr(home, 'lamp-1', '/O=Acme/CN=lamp-1');
    const created = await iot('create-certificate-from-csr', '--certificate-signing-request', `file://${csr}`);
    certificateArn = String(created.certificateArn);
    accountId = certificateArn.split(':')[4] as string;
    const document = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'ConnectAsSelf', Effect: 'Allow', Action: 'iot:Connect', Resource: arn('client/${iot:ClientId}') },
        {
          Sid: 'OwnTopics',
          Effect: 'Allow',
          Action: 'iot:Publish',
          Resource: arn('topic/lamps/${iot:Certificate.Subject.CommonName}/*'),
        },
      ],
    });
    const file = join(home, 'policy.json');
    await writeFile(file, document);
    await iot('create-policy', '--policy-name', 'lamps', '--policy-document', `file://${file}`);
    await iot('attach-policy', '--policy-name', 'lamps', '--target', certificateArn);
  });

  test('the local registry answers the policy commands as the server does', async () => {
    assert.deepEqual(await iot('list-policies'), {
      policies: [{ policyName: 'lamps', policyArn: arn('policy/lamps') }],
    });
    const decided = await iot(
      'test-authorization',
      '--principal',
      certificateArn,
      '--client-id',
      'lamp-1',
      '--auth-infos',
      `actionType=PUBLISH,resources=${arn('topic/lamps/lamp-1/state')}`,
    );
    const [result] = decided.authResults as { authDecision: string; allowed: unknown }[];
    assert.equal(result?.authDecision, 'ALLOWED');
    assert.deepEqual(result?.allowed, { policies: [{ policyName: 'lamps', policyArn: arn('policy/lamps') }] });
    const text = await runCli(['iot', 'list-attached-policies', '--target', certificateArn, '--output', 'text'], env);
    assert.equal(text.stdout, `POLICIES\t${arn('policy/lamps')}\tlamps\n`);
  });

  test('explain-authorization names the deciding statement and every variable, in any output format', async () => {
    const run = await runCli(
      [
        'admin',
        'explain-authorization',
        '--principal',
        certificateArn,
        '--action',
        'publish',
        '--resource',
        arn('topic/lamps/lamp-1/state'),
        '--client-id',
        'lamp-1',
      ],
      env,
    );
    const explained = json(run);
    assert.equal(explained.decision, 'ALLOWED');
    assert.deepEqual(explained.decidingStatements, [
      { policyName: 'lamps', policyVersionId: '1', statementIndex: 1, sid: 'OwnTopics', effect: 'Allow' },
    ]);
    assert.deepEqual(explained.variables, [
      { name: 'iot:ClientId', value: 'lamp-1' },
      { name: 'iot:Certificate.Subject.CommonName', value: 'lamp-1' },
    ]);
    const denied = json(
      await runCli(
        ['admin', 'explain-authorization', '--principal', certificateArn, '--action', 'connect'].concat([
          '--resource',
          arn('client/lamp-2'),
        ]),
        env,
      ),
    );
    assert.equal(denied.decision, 'IMPLICIT_DENY');
    assert.deepEqual(denied.decidingStatements, []);
    assert.deepEqual(denied.missingContextValues, ['iot:ClientId']);
    const table = await runCli(
      ['admin', 'explain-authorization', '--principal', certificateArn, '--action', 'connect'].concat([
        '--resource',
        arn('client/lamp-1'),
        '--client-id',
        'lamp-1',
        '--output',
        'table',
      ]),
      env,
    );
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /ExplainAuthorization/);
    assert.match(table.stdout, /ConnectAsSelf/);
  });

  test('explain-authorization refuses what it cannot explain, in one line', async () => {
    const badAction = await runCli(
      ['admin', 'explain-authorization', '--principal', certificateArn, '--action', 'shout', '--resource', 'x'],
      env,
    );
    assert.equal(badAction.code, 252);
    assert.match(badAction.stderr, /argument --action: Found invalid choice 'shout'/);
    const missing = await runCli(['admin', 'explain-authorization', '--action', 'connect', '--resource', 'x'], env);
    assert.equal(missing.code, 252);
    assert.match(missing.stderr, /the following arguments are required: --principal/);
    const unknown = await runCli(
      ['admin', 'explain-authorization', '--principal', arn(`cert/${'0'.repeat(64)}`), '--action', 'connect'].concat([
        '--resource',
        'x',
      ]),
      env,
    );
    assert.equal(unknown.code, 255);
    assert.equal(unknown.stderr, '\nfleetca: [ERROR]: The specified resource does not exist\n');
  });

  test('help pages: the new commands render with their options and examples', async () => {
    for (const [command, lines] of [
      ['create-policy', ['       --policy-document (string) [required]\n', '       --tags (list)\n']],
      ['create-policy-version', ['          [--set-as-default | --no-set-as-default]\n']],
      ['test-authorization', ['       --auth-infos (list) [required]\n', '       --policy-names-to-skip (list)\n']],
      ['list-policy-principals', ['       --policy-name (string) [required]\n', '       --ascending-order']],
    ] as const) {
      const help = await runCli(['iot', command, 'help'], env);
      assert.equal(help.code, 0, help.stderr);
      assert.ok(help.stdout.startsWith(`NAME\n       ${command} - `), command);
      for (const line of lines) assert.ok(help.stdout.includes(line), `${command}: ${line}`);
      assert.ok(help.stdout.includes(`\n          fleetca iot ${command} `), `${command}: an example`);
    }
    const admin = await runCli(['admin', 'help'], env);
    assert.match(admin.stdout, /o explain-authorization --principal CERTIFICATE_ARN --action ACTION/);
  });
});
