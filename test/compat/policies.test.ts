// biome-ignore-all lint/suspicious/noTemplateCurlyInString: policy variables are written ${iot:Name}, not JavaScript templates
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  type AccountCredentials,
  awsCliAgainst,
  awsClientEnv,
  createAccount,
  type RunningServer,
  startServer,
} from '../helpers/fleetca-server.js';
import { cliEnv, makeEcCsr, REPO_ROOT, run, tempHome } from '../helpers/run-cli.js';

const ACCOUNT = '444455556666';
const REGION = 'eu-west-1';
const arn = (resource: string) => `arn:aws:iot:${REGION}:${ACCOUNT}:${resource}`;

const CONNECT_OWN_ID = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'OwnId', Effect: 'Allow', Action: 'iot:Connect', Resource: arn('client/${iot:ClientId}') }],
});
const PUBLISH_BY_CN = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 'iot:Publish', Resource: arn('topic/sensors/${iot:Certificate.Subject.CommonName}/*') },
    { Effect: 'Deny', Action: 'iot:Publish', Resource: arn('topic/sensors/*/admin') },
  ],
});

/** The policy operations through the real clients, the aws CLI v1 and boto3, against `fleetca serve`. */
describe('policies against fleetca serve', () => {
  let home: string;
  let server: RunningServer;
  let credentials: AccountCredentials;

  before(async () => {
    home = await tempHome('fleetca-policies-compat-');
    const env = cliEnv(home);
    credentials = await createAccount(env, ACCOUNT);
    server = await startServer(env);
  });

  after(async () => {
    assert.equal(await server.stop(), 0, 'the server shuts down cleanly');
  });

  test('aws CLI v1: every policy operation, its answers and its refusals', async () => {
    const { aws, ok } = awsCliAgainst(() => ({ url: server.url, env: awsClientEnv(home, credentials, REGION) }));
    const refusal = async (code: string, operation: string, ...args: string[]) => {
      const result = await aws(...args);
      assert.equal(result.code, 255, `${args.join(' ')}: ${result.stderr}`);
      assert.match(
        result.stderr,
        new RegExp(`An error occurred \\(${code}\\) when calling the ${operation} operation`),
      );
      return result.stderr;
    };
    const csr = await readFile(await makeEcCsr(home, 'cli-sensor', '/O=Acme/CN=cli-sensor'), 'utf8');
    const certificate = await ok(
      'create-certificate-from-csr',
      '--certificate-signing-request',
      csr,
      '--set-as-active',
    );
    const target: string = certificate.certificateArn;
    const policyFile = join(home, 'publish.json');
    await writeFile(policyFile, PUBLISH_BY_CN);

    const created = await ok('create-policy', '--policy-name', 'cli-connect', '--policy-document', CONNECT_OWN_ID);
    assert.deepEqual(created, {
      policyName: 'cli-connect',
      policyArn: arn('policy/cli-connect'),
      policyDocument: CONNECT_OWN_ID,
      policyVersionId: '1',
    });
    await ok(
      'create-policy',
      '--policy-name',
      'cli-publish',
      '--policy-document',
      `file://${policyFile}`,
      '--tags',
      'Key=team,Value=iot',
    );
    await refusal(
      'ResourceAlreadyExistsException',
      'CreatePolicy',
      'create-policy',
      '--policy-name',
      'cli-connect',
      '--policy-document',
      CONNECT_OWN_ID,
    );
    await refusal(
      'MalformedPolicyException',
      'CreatePolicy',
      'create-policy',
      '--policy-name',
      'cli-bad',
      '--policy-document',
      '{"Version":"2012-10-17"}',
    );
    await refusal(
      'InvalidRequestException',
      'CreatePolicy',
      'create-policy',
      '--policy-name',
      'bad name',
      '--policy-document',
      CONNECT_OWN_ID,
    );

    const got = await ok('get-policy', '--policy-name', 'cli-publish');
    assert.equal(got.policyDocument, PUBLISH_BY_CN);
    assert.equal(got.defaultVersionId, '1');
    assert.ok(Math.abs(got.creationDate - Date.now() / 1000) < 600, 'v1 prints epoch seconds as sent');

    const v2 = await ok(
      'create-policy-version',
      '--policy-name',
      'cli-connect',
      '--policy-document',
      CONNECT_OWN_ID,
      '--set-as-default',
    );
    assert.deepEqual([v2.policyVersionId, v2.isDefaultVersion], ['2', true]);
    const versions = await ok('list-policy-versions', '--policy-name', 'cli-connect');
    assert.deepEqual(
      versions.policyVersions.map((v: { versionId: string; isDefaultVersion: boolean }) => [
        v.versionId,
        v.isDefaultVersion,
      ]),
      [
        ['2', true],
        ['1', false],
      ],
    );
    const one = await ok('get-policy-version', '--policy-name', 'cli-connect', '--policy-version-id', '1');
    assert.equal(one.isDefaultVersion, false);
    await refusal(
      'DeleteConflictException',
      'DeletePolicyVersion',
      'delete-policy-version',
      '--policy-name',
      'cli-connect',
      '--policy-version-id',
      '2',
    );
    await ok('set-default-policy-version', '--policy-name', 'cli-connect', '--policy-version-id', '1');
    await ok('delete-policy-version', '--policy-name', 'cli-connect', '--policy-version-id', '2');
    for (let i = 0; i < 4; i++) {
      await ok('create-policy-version', '--policy-name', 'cli-connect', '--policy-document', CONNECT_OWN_ID);
    }
    await refusal(
      'VersionsLimitExceededException',
      'CreatePolicyVersion',
      'create-policy-version',
      '--policy-name',
      'cli-connect',
      '--policy-document',
      CONNECT_OWN_ID,
    );
    for (const id of ['3', '4', '5', '6']) {
      await ok('delete-policy-version', '--policy-name', 'cli-connect', '--policy-version-id', id);
    }

    assert.deepEqual(await ok('attach-policy', '--policy-name', 'cli-connect', '--target', target), {});
    assert.deepEqual(await ok('attach-principal-policy', '--policy-name', 'cli-publish', '--principal', target), {});
    const attached = await ok('list-attached-policies', '--target', target, '--recursive');
    assert.deepEqual(
      attached.policies.map((p: { policyName: string }) => p.policyName),
      ['cli-connect', 'cli-publish'],
    );
    const deprecated = await ok('list-principal-policies', '--principal', target, '--ascending-order');
    assert.deepEqual(deprecated.policies, attached.policies);
    assert.deepEqual((await ok('list-targets-for-policy', '--policy-name', 'cli-connect')).targets, [target]);
    assert.deepEqual((await ok('list-policy-principals', '--policy-name', 'cli-publish')).principals, [target]);
    const effective = await ok('get-effective-policies', '--principal', target);
    assert.deepEqual(
      effective.effectivePolicies.map((p: { policyName: string; policyDocument: string }) => [
        p.policyName,
        p.policyDocument,
      ]),
      [
        ['cli-connect', CONNECT_OWN_ID],
        ['cli-publish', PUBLISH_BY_CN],
      ],
    );
    await refusal(
      'ResourceNotFoundException',
      'AttachPolicy',
      'attach-policy',
      '--policy-name',
      'cli-none',
      '--target',
      target,
    );
    await refusal(
      'ResourceNotFoundException',
      'AttachPolicy',
      'attach-policy',
      '--policy-name',
      'cli-connect',
      '--target',
      arn('thinggroup/floor'),
    );
    await refusal(
      'InvalidRequestException',
      'AttachPolicy',
      'attach-policy',
      '--policy-name',
      'cli-connect',
      '--target',
      `${REGION}:cognito-id`,
    );
    await refusal('DeleteConflictException', 'DeletePolicy', 'delete-policy', '--policy-name', 'cli-connect');

    const decided = await ok(
      'test-authorization',
      '--principal',
      target,
      '--client-id',
      'cli-sensor',
      '--auth-infos',
      `actionType=CONNECT,resources=${arn('client/cli-sensor')}`,
      `actionType=PUBLISH,resources=${arn('topic/sensors/cli-sensor/t')}`,
      `actionType=PUBLISH,resources=${arn('topic/sensors/cli-sensor/admin')}`,
      `actionType=SUBSCRIBE,resources=${arn('topicfilter/sensors/#')}`,
    );
    assert.deepEqual(
      decided.authResults.map((r: { authDecision: string }) => r.authDecision),
      ['ALLOWED', 'ALLOWED', 'EXPLICIT_DENY', 'IMPLICIT_DENY'],
    );
    assert.deepEqual(decided.authResults[2].denied.explicitDeny.policies, [
      { policyName: 'cli-publish', policyArn: arn('policy/cli-publish') },
    ]);
    const skipped = await ok(
      'test-authorization',
      '--principal',
      target,
      '--auth-infos',
      `actionType=CONNECT,resources=${arn('client/cli-sensor')}`,
      '--policy-names-to-skip',
      'cli-connect',
    );
    assert.equal(skipped.authResults[0].authDecision, 'IMPLICIT_DENY');
    assert.deepEqual(skipped.authResults[0].missingContextValues, []);
    const empty = await aws('test-authorization', '--principal', target, '--auth-infos', '[]');
    assert.equal(empty.code, 255, 'the CLI refuses an empty list itself');
    assert.match(empty.stderr, /Invalid length for parameter authInfos, value: 0, valid min length: 1/);

    await ok('detach-policy', '--policy-name', 'cli-connect', '--target', target);
    await ok('detach-principal-policy', '--policy-name', 'cli-publish', '--principal', target);
    assert.deepEqual((await ok('list-attached-policies', '--target', target)).policies, []);
    await ok('delete-policy', '--policy-name', 'cli-connect');
    await ok('delete-policy', '--policy-name', 'cli-publish');
    await refusal('ResourceNotFoundException', 'GetPolicy', 'get-policy', '--policy-name', 'cli-connect');
  });

  test('aws CLI v1: markers walk every page of the policy listings, and its paginator continues from a token', async () => {
    const { ok } = awsCliAgainst(() => ({ url: server.url, env: awsClientEnv(home, credentials, REGION) }));
    const csr = await readFile(await makeEcCsr(home, 'cli-pages'), 'utf8');
    const target: string = (await ok('create-certificate-from-csr', '--certificate-signing-request', csr))
      .certificateArn;
    const names = ['page-c', 'page-a', 'page-e', 'page-b', 'page-d'];
    for (const policyName of names) {
      await ok('create-policy', '--policy-name', policyName, '--policy-document', CONNECT_OWN_ID);
      await ok('attach-policy', '--policy-name', policyName, '--target', target);
    }
    const pageNames = (policies: { policyName: string }[]) =>
      policies.map((p) => p.policyName).filter((name) => name.startsWith('page-'));
    // v1 turns its paginator off when --page-size is given (the limit key is a member too): one page per call.
    const walk = async (...args: string[]) => {
      const seen: { policyName: string }[] = [];
      let marker: string | undefined;
      do {
        const page = await ok(...args, '--page-size', '2', ...(marker === undefined ? [] : ['--marker', marker]));
        assert.ok(page.policies.length <= 2);
        seen.push(...page.policies);
        marker = page.nextMarker;
      } while (marker !== undefined);
      return pageNames(seen);
    };
    assert.deepEqual(await walk('list-policies', '--ascending-order'), [...names].sort());
    assert.deepEqual(await walk('list-attached-policies', '--target', target), [...names].sort());
    assert.deepEqual(await walk('list-principal-policies', '--principal', target), [...names].sort().reverse());
    const first = await ok('list-policies', '--max-items', '2', '--ascending-order');
    assert.equal(first.policies.length, 2);
    assert.ok(first.NextToken, 'the CLI paginator hands back a token to continue');
    const rest = await ok('list-policies', '--starting-token', first.NextToken, '--ascending-order');
    assert.deepEqual(pageNames([...first.policies, ...rest.policies]), [...names].sort());
    for (const policyName of names) {
      await ok('detach-policy', '--policy-name', policyName, '--target', target);
      await ok('delete-policy', '--policy-name', policyName);
    }
  });

  test('boto3: every policy operation, paginators and errors by exception class', async () => {
    const csr = await makeEcCsr(home, 'boto3-sensor', '/CN=boto3-sensor');
    const script = join(REPO_ROOT, 'test', 'compat', 'boto3_policies.py');
    const result = await run('python3', [script], {
      env: { ...awsClientEnv(home, credentials, REGION), FLEETCA_ENDPOINT: server.url, FLEETCA_CSR: csr },
    });
    assert.equal(result.code, 0, `boto3 script failed:\n${result.stderr}`);
    const summary = JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}');
    assert.deepEqual(summary, { operations: 19, decisions: ['ALLOWED', 'EXPLICIT_DENY', 'IMPLICIT_DENY'] });
  });
});
