/**
 * The real AWS CLI (v1, from pip) and fleetca against the same stub: the requests they send must
 * agree on method, path, query, body bytes and the set of signed headers; botocore's signature
 * must verify with the same re-signing recipe the other tests use on fleetca's; and the error
 * texts they derive from the same responses must match (minus v2's `fleetca: [ERROR]: ` prefix).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { requireTool, TOOLS } from '../../helpers/required-tool.js';
import {
  awsError,
  expectedAuthorization,
  json,
  makeTestPki,
  parseAuthorization,
  type RecordedRequest,
  runRemote,
  type Scripted,
  type Stub,
  startStub,
  tempDir,
  writeFiles,
} from './remote-harness.js';

const ID = '0123456789abcdef'.repeat(4);
const SECRET = 'aws-cli-secret';

interface Outcome {
  readonly code: number | null;
  readonly stderr: string;
  readonly requests: RecordedRequest[];
}

describe('fleetca and the real AWS CLI send the same requests', () => {
  const home = tempDir('fleetca-awscli-home-');
  let stub: Stub;
  before(async () => {
    requireTool(TOOLS.awsV1);
    stub = await startStub();
  });
  after(async () => {
    await stub.close();
    home.remove();
  });

  // A clean environment: explicit credentials and region, no instance metadata, HOME without ~/.aws.
  const baseEnv = (extra: Record<string, string>) => ({
    PATH: process.env.PATH ?? '',
    HOME: home.path,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ACCESS_KEY_ID: 'AKIDCOMPARE',
    AWS_SECRET_ACCESS_KEY: SECRET,
    AWS_DEFAULT_REGION: 'eu-central-1',
    AWS_REGION: 'eu-central-1',
    ...extra,
  });

  function runAws(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn('aws', args, { env: baseEnv(env), stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
  }

  async function both(args: string[], answer: Scripted = json({}), env: Record<string, string> = {}) {
    const argv = ['iot', ...args, '--endpoint-url', stub.url];
    stub.script(() => answer);
    stub.requests.length = 0;
    const aws = await runAws(argv, env);
    const awsOutcome: Outcome = { ...aws, requests: [...stub.requests] };
    stub.requests.length = 0;
    const fleetca = await runRemote(argv, { env: baseEnv(env) });
    const fleetcaOutcome: Outcome = { code: fleetca.code, stderr: fleetca.stderr, requests: [...stub.requests] };
    return { aws: awsOutcome, fleetca: fleetcaOutcome };
  }

  /** What must agree between the two clients. */
  function shape(request: RecordedRequest) {
    const auth = parseAuthorization(request.headers.authorization);
    const names = Object.keys(request.headers).filter((name) => !['user-agent', 'connection'].includes(name));
    return {
      method: request.method,
      path: request.path,
      query: request.query,
      body: request.body,
      contentType: request.headers['content-type'],
      contentLength: request.headers['content-length'],
      token: request.headers['x-amz-security-token'],
      signedHeaders: auth?.signedHeaders,
      scope: auth && `${auth.accessKeyId}/${auth.region}/${auth.service}`,
      headerNames: names.sort(),
    };
  }

  const cases: [string, string[], Record<string, string>?][] = [
    ['create-keys-and-certificate --set-as-active', ['create-keys-and-certificate', '--set-as-active']],
    [
      'create-certificate-from-csr with non-ASCII and quotes in the body',
      ['create-certificate-from-csr', '--certificate-signing-request', 'CSR "é" 日本\n\tend', '--no-set-as-active'],
    ],
    ['describe-certificate', ['describe-certificate', '--certificate-id', ID]],
    [
      'list-certificates with paging members by hand',
      ['list-certificates', '--page-size', '10', '--marker', 'abc=', '--no-ascending-order'],
    ],
    ['update-certificate', ['update-certificate', '--certificate-id', ID, '--new-status', 'REVOKED']],
    ['delete-certificate --force-delete', ['delete-certificate', '--certificate-id', ID, '--force-delete']],
    ['a session token', ['describe-certificate', '--certificate-id', ID], { AWS_SESSION_TOKEN: 'session/token=' }],
    ['--no-sign-request', ['describe-certificate', '--certificate-id', ID, '--no-sign-request']],
  ];
  for (const [title, args, env] of cases) {
    it(title, async () => {
      const { aws, fleetca } = await both(args, json({}), env);
      assert.equal(aws.code, 0, aws.stderr);
      assert.equal(fleetca.code, 0, fleetca.stderr);
      assert.equal(aws.requests.length, 1);
      assert.deepEqual(fleetca.requests.map(shape), aws.requests.map(shape));
      const awsRequest = aws.requests[0] as RecordedRequest;
      const fleetcaRequest = fleetca.requests[0] as RecordedRequest;
      if (awsRequest.headers.authorization) {
        // The verifier accepts botocore's signature and fleetca's alike.
        const token = env?.AWS_SESSION_TOKEN;
        assert.equal(awsRequest.headers.authorization, await expectedAuthorization(awsRequest, SECRET, token));
        assert.equal(fleetcaRequest.headers.authorization, await expectedAuthorization(fleetcaRequest, SECRET, token));
      }
    });
  }

  it('keeps an endpoint path prefix like the AWS CLI', async () => {
    const argv = ['iot', 'describe-certificate', '--certificate-id', ID, '--endpoint-url', `${stub.url}/api/v1/`];
    stub.script(() => json({}));
    stub.requests.length = 0;
    assert.equal((await runAws(argv, {})).code, 0);
    assert.equal((await runRemote(argv, { env: baseEnv({}) })).code, 0);
    assert.deepEqual(
      stub.requests.map((request) => request.path),
      [`/api/v1/certificates/${ID}`, `/api/v1/certificates/${ID}`],
    );
  });

  // Standard mode in both, one attempt: the parsed code and message, and the retry note, must agree.
  const errors: [string, Scripted][] = [
    ['x-amzn-ErrorType header', awsError(404, 'ResourceNotFoundException', 'The specified resource does not exist')],
    ['body __type with a namespace', json({ __type: 'aws#InvalidRequestException', message: 'nope' }, 400)],
    ['body code, capital Message', json({ code: 'UnauthorizedException', Message: 'who' }, 401)],
    ['no message', json({}, 409, { 'x-amzn-ErrorType': 'DeleteConflictException:' })],
    ['generic HTML 503', { status: 503, body: '<html>down</html>' }],
    ['plain-text body', { status: 400, body: 'not json' }],
  ];
  for (const [title, answer] of errors) {
    it(`error text: ${title}`, async () => {
      const { aws, fleetca } = await both(['describe-certificate', '--certificate-id', ID], answer, {
        AWS_RETRY_MODE: 'standard',
        AWS_MAX_ATTEMPTS: '1',
      });
      assert.equal(aws.code, 255, 'the AWS CLI v1 exits 255 on a service error');
      assert.equal(fleetca.code, 254);
      // v2's error writer strips the message (v1 keeps the space after an empty message's colon).
      assert.equal(fleetca.stderr.replace('fleetca: [ERROR]: ', ''), aws.stderr.replace(/ \n$/, '\n'));
    });
  }

  it("TLS failures: same text, but for Python's `(_ssl.c:NNN)` source position", async () => {
    const dir = tempDir('fleetca-awscli-pki-');
    const pki = makeTestPki(dir.path);
    writeFiles(dir.path, { 'empty.pem': 'no certificate here\n' });
    const trusted = await startStub({ key: pki.key, cert: pki.cert });
    const misnamed = await startStub({ key: pki.key, cert: pki.localhostOnlyCert });
    try {
      const cases: [string, string[]][] = [
        [trusted.url, []],
        [misnamed.url, ['--ca-bundle', pki.caFile]],
        [trusted.url, ['--ca-bundle', join(dir.path, 'missing.pem')]],
        [trusted.url, ['--ca-bundle', join(dir.path, 'empty.pem')]],
      ];
      for (const [url, extra] of cases) {
        const argv = ['iot', 'list-certificates', '--endpoint-url', url, ...extra];
        const env = { AWS_RETRY_MODE: 'standard', AWS_MAX_ATTEMPTS: '1' };
        const aws = await runAws(argv, env);
        const fleetca = await runRemote(argv, { env: baseEnv(env) });
        assert.equal(aws.code, 255, aws.stderr);
        assert.equal(fleetca.code, 255);
        assert.equal(fleetca.stderr.replace('fleetca: [ERROR]: ', ''), aws.stderr.replace(/ \(_ssl\.c:\d+\)\n$/, '\n'));
      }
    } finally {
      await trusted.close();
      await misnamed.close();
      dir.remove();
    }
  });

  it('connection refused: same message, same number of attempts in standard mode', async () => {
    const closed = await startStub();
    const url = closed.url;
    await closed.close();
    const argv = ['iot', 'create-keys-and-certificate', '--set-as-active', '--endpoint-url', url];
    const aws = await runAws(argv, { AWS_RETRY_MODE: 'standard', AWS_MAX_ATTEMPTS: '1' });
    const fleetca = await runRemote(argv, { env: baseEnv({ AWS_MAX_ATTEMPTS: '1' }) });
    assert.equal(aws.code, 255, aws.stderr);
    assert.match(aws.stderr, /Could not connect to the endpoint URL/);
    assert.equal(fleetca.code, 255);
    assert.equal(fleetca.stderr.replace('fleetca: [ERROR]: ', ''), aws.stderr);
  });
});
