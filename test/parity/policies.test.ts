// biome-ignore-all lint/suspicious/noTemplateCurlyInString: policy variables are written ${iot:Name}, not JavaScript templates
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempHome } from '../helpers/run-cli.js';
import { asFleetca, parityEnv, sideBySide } from './side-by-side.js';
import { StubEndpoint } from './stub-endpoint.js';

/**
 * The policy operations of issue 16 side by side with the real AWS CLI v2 (/usr/bin/aws): the same arguments must
 * produce the same request (method, path and query, JSON body, the deprecated operations' headers), and the same
 * response the same stdout in every output format; argument errors the same exit code and message.
 */

const ID = 'c'.repeat(64);
const CERT_ARN = `arn:aws:iot:us-east-1:123456789012:cert/${ID}`;
const POLICY_ARN = (name: string) => `arn:aws:iot:us-east-1:123456789012:policy/${name}`;
const DOCUMENT =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:Connect","Resource":"arn:aws:iot:us-east-1:123456789012:client/${iot:ClientId}"}]}';
const GENERATION = '5066f1b6712ce9d2a1e56399771649a272d6a921762fead080e24fe52f24e042';
const policy = (name: string) => ({ policyName: name, policyArn: POLICY_ARN(name) });
const TOPIC = 'arn:aws:iot:us-east-1:123456789012:topic/sensors/s1';

interface Case {
  readonly name: string;
  readonly args: readonly string[];
  readonly response: unknown;
}

const CASES: readonly Case[] = [
  {
    name: 'create-policy from a file, with tags',
    args: [
      'create-policy',
      '--policy-name',
      'p1',
      '--policy-document',
      'file://POLICY',
      '--tags',
      'Key=team,Value=iot',
    ],
    response: { policyName: 'p1', policyArn: POLICY_ARN('p1'), policyDocument: DOCUMENT, policyVersionId: '1' },
  },
  {
    name: 'get-policy',
    args: ['get-policy', '--policy-name', 'p1'],
    response: {
      policyName: 'p1',
      policyArn: POLICY_ARN('p1'),
      policyDocument: DOCUMENT,
      defaultVersionId: '2',
      creationDate: 1559925941.924,
      lastModifiedDate: 1559926175.458,
      generationId: GENERATION,
    },
  },
  {
    name: 'list-policies ascending, one page',
    args: ['list-policies', '--ascending-order', '--page-size', '2', '--no-paginate'],
    response: { policies: [policy('a'), policy('b')], nextMarker: 'cDEvcG9saWNpZXMvYg==' },
  },
  { name: 'delete-policy', args: ['delete-policy', '--policy-name', 'p1'], response: {} },
  {
    name: 'create-policy-version --set-as-default',
    args: ['create-policy-version', '--policy-name', 'p1', '--policy-document', DOCUMENT, '--set-as-default'],
    response: { policyArn: POLICY_ARN('p1'), policyDocument: DOCUMENT, policyVersionId: '2', isDefaultVersion: true },
  },
  {
    name: 'create-policy-version --no-set-as-default',
    args: ['create-policy-version', '--policy-name', 'p1', '--policy-document', DOCUMENT, '--no-set-as-default'],
    response: { policyArn: POLICY_ARN('p1'), policyDocument: DOCUMENT, policyVersionId: '3', isDefaultVersion: false },
  },
  {
    name: 'get-policy-version',
    args: ['get-policy-version', '--policy-name', 'p1', '--policy-version-id', '1'],
    response: {
      policyArn: POLICY_ARN('p1'),
      policyName: 'p1',
      policyDocument: DOCUMENT,
      policyVersionId: '1',
      isDefaultVersion: false,
      creationDate: 1559925941.924,
      lastModifiedDate: 1559926175.458,
      generationId: GENERATION,
    },
  },
  {
    name: 'list-policy-versions',
    args: ['list-policy-versions', '--policy-name', 'p1'],
    response: {
      policyVersions: [
        { versionId: '2', isDefaultVersion: true, createDate: 1559926175.458 },
        { versionId: '1', isDefaultVersion: false, createDate: 1559925941.924 },
      ],
    },
  },
  {
    name: 'delete-policy-version',
    args: ['delete-policy-version', '--policy-name', 'p1', '--policy-version-id', '1'],
    response: {},
  },
  {
    name: 'set-default-policy-version',
    args: ['set-default-policy-version', '--policy-name', 'p1', '--policy-version-id', '1'],
    response: {},
  },
  { name: 'attach-policy', args: ['attach-policy', '--policy-name', 'p1', '--target', CERT_ARN], response: {} },
  { name: 'detach-policy', args: ['detach-policy', '--policy-name', 'p1', '--target', CERT_ARN], response: {} },
  {
    name: 'list-attached-policies (the ARN in the path) --recursive',
    args: ['list-attached-policies', '--target', CERT_ARN, '--recursive', '--no-paginate'],
    response: { policies: [policy('a'), policy('b')] },
  },
  {
    name: 'list-targets-for-policy',
    args: ['list-targets-for-policy', '--policy-name', 'p1', '--page-size', '5', '--no-paginate'],
    response: { targets: [CERT_ARN, CERT_ARN.replace(ID, 'd'.repeat(64))] },
  },
  {
    name: 'get-effective-policies',
    args: ['get-effective-policies', '--principal', CERT_ARN, '--thing-name', 'sensor-1'],
    response: { effectivePolicies: [{ ...policy('p1'), policyDocument: DOCUMENT }] },
  },
  {
    name: 'test-authorization (shorthand auth infos, policy name lists)',
    args: [
      'test-authorization',
      '--principal',
      CERT_ARN,
      '--client-id',
      'sensor-1',
      '--auth-infos',
      `actionType=PUBLISH,resources=${TOPIC}`,
      'actionType=CONNECT,resources=arn:aws:iot:us-east-1:123456789012:client/sensor-1',
      '--policy-names-to-add',
      'extra',
      '--policy-names-to-skip',
      'p2',
      'p3',
    ],
    response: {
      authResults: [
        {
          authInfo: { actionType: 'PUBLISH', resources: [TOPIC] },
          allowed: { policies: [policy('p1')] },
          denied: { implicitDeny: { policies: [policy('extra')] }, explicitDeny: { policies: [] } },
          authDecision: 'ALLOWED',
          missingContextValues: [],
        },
        {
          authInfo: { actionType: 'CONNECT', resources: ['arn:aws:iot:us-east-1:123456789012:client/sensor-1'] },
          allowed: { policies: [] },
          denied: { implicitDeny: { policies: [] }, explicitDeny: { policies: [policy('p1'), policy('extra')] } },
          authDecision: 'EXPLICIT_DENY',
          missingContextValues: ['iot:Connection.Thing.ThingName'],
        },
      ],
    },
  },
  {
    name: 'test-authorization (JSON auth infos)',
    args: [
      'test-authorization',
      '--principal',
      CERT_ARN,
      '--auth-infos',
      `[{"actionType":"SUBSCRIBE","resources":["${TOPIC}"]}]`,
    ],
    response: {
      authResults: [
        {
          authInfo: { actionType: 'SUBSCRIBE', resources: [TOPIC] },
          allowed: { policies: [] },
          denied: { implicitDeny: { policies: [policy('p1')] }, explicitDeny: { policies: [] } },
          authDecision: 'IMPLICIT_DENY',
          missingContextValues: [],
        },
      ],
    },
  },
  {
    name: 'attach-principal-policy (principal in a header)',
    args: ['attach-principal-policy', '--policy-name', 'p1', '--principal', CERT_ARN],
    response: {},
  },
  {
    name: 'detach-principal-policy',
    args: ['detach-principal-policy', '--policy-name', 'p1', '--principal', CERT_ARN],
    response: {},
  },
  {
    name: 'list-principal-policies',
    args: ['list-principal-policies', '--principal', CERT_ARN, '--ascending-order', '--no-paginate'],
    response: { policies: [policy('a')] },
  },
  {
    name: 'list-policy-principals (policy in a header)',
    args: ['list-policy-principals', '--policy-name', 'p1', '--no-paginate'],
    response: { principals: [CERT_ARN] },
  },
];

interface ErrorCase {
  readonly name: string;
  readonly args: readonly string[];
  readonly code: number;
}

/** Refused before anything is sent: the same exit code, stderr and no request. */
const ERRORS: readonly ErrorCase[] = [
  { name: 'create-policy without its document', args: ['create-policy', '--policy-name', 'p1'], code: 252 },
  { name: 'get-policy-version without its id', args: ['get-policy-version', '--policy-name', 'p1'], code: 252 },
  { name: 'page size below the minimum', args: ['list-policies', '--page-size', '0'], code: 252 },
  {
    name: 'an auth info without resources',
    args: ['test-authorization', '--principal', CERT_ARN, '--auth-infos', 'actionType=PUBLISH'],
    code: 252,
  },
  {
    name: 'an unknown shorthand key in auth infos',
    args: ['test-authorization', '--auth-infos', 'action=PUBLISH,resources=x'],
    code: 252,
  },
  { name: 'an empty auth infos list', args: ['test-authorization', '--auth-infos', '[]'], code: 252 },
  {
    name: 'a bad boolean flag',
    args: ['create-policy-version', '--policy-name', 'p', '--policy-document', 'd', '--set-as-default', 'x'],
    code: 252,
  },
  {
    name: 'a missing policy file',
    args: ['create-policy', '--policy-name', 'p', '--policy-document', 'file:///nonexistent/p.json'],
    code: 252,
  },
  { name: 'list-attached-policies without its target', args: ['list-attached-policies'], code: 252 },
];

/** fleetca's v2.34+ error layout written the way 2.9.19 lays it out (the wording is the same). */
function asV29Layout(stderr: string): string {
  return stderr.replace(/^\nfleetca: \[ERROR\]: (?:An error occurred \((?:ParamValidation|NoRegion)\): )?/, '\n');
}

describe('policy operations side by side with aws v2', () => {
  const stub = new StubEndpoint();
  let home: string;
  let policyFile: string;
  before(async () => {
    home = await tempHome('fleetca-parity-policies-');
    policyFile = join(home, 'policy.json');
    await writeFile(policyFile, DOCUMENT);
    await stub.start();
  });
  after(() => stub.stop());

  for (const testCase of CASES) {
    it(`${testCase.name}: the same request, and the same output in json, text, table and yaml`, async () => {
      stub.respond({ body: testCase.response });
      const args = testCase.args.map((arg) => arg.replace('file://POLICY', `file://${policyFile}`));
      for (const output of ['json', 'text', 'table', 'yaml']) {
        const before = stub.requests.length;
        const { aws, fleetca } = await sideBySide([...args, '--output', output], stub.url, parityEnv(home), 0);
        assert.equal(fleetca.code, aws.code, `${output}: exit code; fleetca stderr: ${fleetca.stderr}`);
        assert.equal(fleetca.stdout, aws.stdout, `${output}: stdout`);
        const [fromAws, fromFleetca] = stub.requests.slice(before);
        assert.ok(fromAws && fromFleetca, 'both sent a request');
        assert.equal(fromFleetca.method, fromAws.method);
        assert.equal(fromFleetca.url, fromAws.url);
        assert.deepEqual(parsed(fromFleetca.body), parsed(fromAws.body), `${output}: request body`);
        for (const header of ['x-amzn-iot-principal', 'x-amzn-iot-policy']) {
          assert.equal(fromFleetca.headers[header], fromAws.headers[header], header);
        }
      }
    });
  }

  for (const testCase of ERRORS) {
    it(`${testCase.name}: the same exit code and message, nothing sent`, async () => {
      const before = stub.requests.length;
      const { aws, fleetca } = await sideBySide(testCase.args, stub.url, parityEnv(home), testCase.code);
      assert.equal(fleetca.code, aws.code, `fleetca stderr: ${fleetca.stderr}`);
      assert.equal(fleetca.stdout, aws.stdout);
      // 2.9.19 prints an argument error after the usage lines, 2.34+ (and fleetca) before them: same words.
      assert.deepEqual(messageOf(asV29Layout(fleetca.stderr)), messageOf(asFleetca(aws.stderr)));
      assert.notDeepEqual(messageOf(fleetca.stderr), [], 'a message is printed');
      assert.equal(stub.requests.length, before, 'nothing sent');
    });
  }

  it('a service error reads the same: MalformedPolicyException from create-policy', async () => {
    stub.respond({
      status: 400,
      headers: { 'x-amzn-ErrorType': 'MalformedPolicyException:http://internal.amazon.com/coral/com.amazonaws.iot/' },
      body: { message: 'Policy document is Malformed: Invalid policy syntax.' },
    });
    const { aws, fleetca } = await sideBySide(
      ['create-policy', '--policy-name', 'p', '--policy-document', '{'],
      stub.url,
      parityEnv(home),
      254,
    );
    assert.equal(fleetca.code, aws.code);
    assert.deepEqual(messageOf(fleetca.stderr), messageOf(asFleetca(aws.stderr)));
    assert.deepEqual(messageOf(fleetca.stderr), [
      'An error occurred (MalformedPolicyException) when calling the CreatePolicy operation: ' +
        'Policy document is Malformed: Invalid policy syntax.',
    ]);
  });
});

const USAGE = new Set([
  'usage: fleetca [options] <command> <subcommand> [<subcommand> ...] [parameters]',
  'To see help text, you can run:',
  'fleetca help',
  'fleetca <command> help',
  'fleetca <command> <subcommand> help',
]);

/** The lines of an error that are not the usage reminder, without the `fleetca: error:` / `[ERROR]:` prefixes. */
function messageOf(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((line) => line.trim().replace(/^fleetca: (?:error|\[ERROR\]): /, ''))
    .filter((line) => line !== '' && !USAGE.has(line));
}

function parsed(body: string): unknown {
  return body === '' ? undefined : JSON.parse(body);
}
