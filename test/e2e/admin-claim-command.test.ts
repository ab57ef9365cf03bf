import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { type CliResult, cliEnv, initialisedHome, makeEcCsr, runCli } from '../helpers/run-cli.js';

const TEMPLATE = JSON.stringify({
  Parameters: { SerialNumber: { Type: 'String' } },
  Resources: {
    certificate: {
      Type: 'AWS::IoT::Certificate',
      Properties: { CertificateId: { Ref: 'AWS::IoT::Certificate::Id' }, Status: 'ACTIVE' },
    },
  },
});
const ROLE = 'arn:aws:iam::123456789012:role/FleetProvisioningRole';

/** A successful run whose stdout is the JSON the admin commands print (4-space indent, newline). */
function json(run: CliResult): Record<string, unknown> {
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, '');
  const value = JSON.parse(run.stdout);
  assert.equal(run.stdout, `${JSON.stringify(value, null, 4)}\n`);
  return value;
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

describe('fleetca admin: long-lived provisioning claims', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let accountId: string;
  let active: string;
  let inactive: string;
  const admin = (...args: string[]) => runCli(['admin', ...args], env);
  const iot = async (...args: string[]) => json(await runCli(['iot', ...args], env));

  /** A certificate from a cheap EC CSR; ACTIVE or INACTIVE. */
  const certificate = async (name: string, setAsActive: boolean) => {
    const csr = await makeEcCsr(home, name);
    const flag = setAsActive ? ['--set-as-active'] : [];
    return (await iot('create-certificate-from-csr', '--certificate-signing-request', `file://${csr}`, ...flag))
      .certificateId as string;
  };

  before(async () => {
    home = await initialisedHome('fleetca-admin-claims-');
    env = cliEnv(home);
    const templateFile = join(home, 'template.json');
    await writeFile(templateFile, TEMPLATE);
    for (const [name, extra] of [
      ['Fleet', ['--enabled']],
      ['Other', []],
      ['Jitp', ['--type', 'JITP']],
    ] as const) {
      await iot(
        'create-provisioning-template',
        '--template-name',
        name,
        '--template-body',
        `file://${templateFile}`,
        '--provisioning-role-arn',
        ROLE,
        ...extra,
      );
    }
    active = await certificate('active-device', true);
    inactive = await certificate('inactive-device', false);
  });

  test('grant, list, revoke: JSON out, idempotent grant, nothing printed on revoke', async () => {
    const granted = json(await admin('grant-claim', '--certificate-id', active, '--template-name', 'Fleet'));
    assert.deepEqual(Object.keys(granted), ['accountId', 'region', 'certificateId', 'templateName']);
    accountId = granted.accountId as string;
    assert.match(accountId, /^\d{12}$/);
    assert.equal(granted.region, 'us-east-1', "config.json's default region");
    assert.deepEqual(
      json(await admin('grant-claim', '--template-name', 'Fleet', '--certificate-id', active)),
      granted,
      'granting again changes nothing and says the same',
    );
    json(await admin('grant-claim', '--certificate-id', active, '--template-name', 'Other'));

    const listed = json(await admin('list-claims')).claims as Record<string, string>[];
    assert.deepEqual(
      listed.map((c) => [c.certificateId, c.templateName, c.kind]),
      [
        [active, 'Fleet', 'registered'],
        [active, 'Other', 'registered'],
      ],
    );
    for (const claim of listed) {
      assert.deepEqual(Object.keys(claim), ['certificateId', 'templateName', 'kind', 'createdAt']);
      assert.match(claim.createdAt as string, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?\+00:00$/);
    }
    assert.deepEqual(
      json(await admin('list-claims', '--account-id', accountId, '--region', 'us-east-1')).claims,
      listed,
    );
    assert.deepEqual(json(await admin('list-claims', '--region', 'eu-west-1')), { claims: [] });

    const revoked = await admin('revoke-claim', '--certificate-id', active, '--template-name', 'Other');
    assert.deepEqual([revoked.code, revoked.stdout, revoked.stderr], [0, '', '']);
    assertCleanFailure(
      await admin('revoke-claim', '--certificate-id', active, '--template-name', 'Other'),
      255,
      failure(
        `certificate ${active} holds no claim for provisioning template Other in account ${accountId}, region us-east-1`,
      ),
    );
    assert.deepEqual(
      (json(await admin('list-claims')).claims as { templateName: string }[]).map((c) => c.templateName),
      ['Fleet'],
    );
  });

  test('temporary claims from CreateProvisioningClaim are listed with their expiry and cannot be granted', async () => {
    const claim = await iot('create-provisioning-claim', '--template-name', 'Fleet');
    const listed = (json(await admin('list-claims')).claims as Record<string, string>[]).find(
      (c) => c.certificateId === claim.certificateId,
    );
    assert.ok(listed);
    assert.equal(listed.kind, 'temporary');
    assert.deepEqual(Object.keys(listed), ['certificateId', 'templateName', 'kind', 'createdAt', 'expiresAt']);
    // fleetca prints timestamps as AWS CLI v2 does, in ISO 8601.
    assert.equal(listed.expiresAt, claim.expiration);
    assertCleanFailure(
      await admin('grant-claim', '--certificate-id', claim.certificateId as string, '--template-name', 'Fleet'),
      255,
      failure(`certificate ${claim.certificateId} does not exist in account ${accountId}, region us-east-1`),
    );
  });

  test('the registry’s refusals: exit 255 with one line', async () => {
    const unknown = 'f'.repeat(64);
    for (const [args, message] of [
      [
        ['--certificate-id', inactive, '--template-name', 'Fleet'],
        `certificate ${inactive} is INACTIVE; only an ACTIVE certificate can be granted a claim`,
      ],
      [
        ['--certificate-id', unknown, '--template-name', 'Fleet'],
        `certificate ${unknown} does not exist in account ${accountId}, region us-east-1`,
      ],
      [
        ['--certificate-id', active, '--template-name', 'Missing'],
        `provisioning template Missing does not exist in account ${accountId}, region us-east-1`,
      ],
      [
        ['--certificate-id', active, '--template-name', 'Jitp'],
        'provisioning template Jitp is of type JITP; claims are for FLEET_PROVISIONING templates',
      ],
      [
        ['--certificate-id', active, '--template-name', 'Fleet', '--region', 'eu-west-1'],
        `certificate ${active} does not exist in account ${accountId}, region eu-west-1`,
      ],
    ] as const) {
      assertCleanFailure(await admin('grant-claim', ...args), 255, failure(message));
    }
  });

  test('malformed input: exit 252 before the registry is touched', async () => {
    assertCleanFailure(
      await admin('grant-claim', '--certificate-id', 'ABC', '--template-name', 'Fleet'),
      252,
      paramFailure('Invalid value for --certificate-id: "ABC" is not a certificate id (64 lowercase hex characters)'),
    );
    assertCleanFailure(
      await admin('grant-claim', '--certificate-id', active, '--template-name', 'no spaces'),
      252,
      paramFailure(
        'Invalid value for --template-name: "no spaces" is not a template name (1 to 36 letters, digits, - or _)',
      ),
    );
    assertCleanFailure(
      await admin('list-claims', '--region', 'US_EAST'),
      252,
      paramFailure('Invalid value for --region: "US_EAST" is not a region name such as us-east-1'),
    );
    assertCleanFailure(
      await admin('revoke-claim', '--certificate-id', active, '--account-id', '42', '--template-name', 'Fleet'),
      252,
      paramFailure('Invalid value for --account-id: "42" is not 12 digits'),
    );
    const missing = await admin('grant-claim', '--certificate-id', active);
    assert.equal(missing.code, 252);
    assert.match(missing.stderr, /the following arguments are required: --template-name/);
    const unknown = await admin('list-claims', '--certificate-id', active);
    assert.equal(unknown.code, 252);
    assert.match(unknown.stderr, new RegExp(`Unknown options: --certificate-id, ${active}`));
  });

  test('deleting the template withdraws its grants', async () => {
    await runCli(['iot', 'delete-provisioning-template', '--template-name', 'Fleet'], env);
    assert.deepEqual(json(await admin('list-claims')), { claims: [] });
  });

  test('help lists the claim commands', async () => {
    const help = await admin('help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /o grant-claim --certificate-id ID --template-name NAME/);
    assert.match(help.stdout, /o revoke-claim/);
    assert.match(help.stdout, /o list-claims/);
  });
});
