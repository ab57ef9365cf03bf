import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AUTH_ENV,
  awsError,
  cliError,
  json,
  type RecordedRequest,
  runRemote,
  type Scripted,
  type Stub,
  startStub,
  tempDir,
  writeFiles,
} from './remote-harness.js';

const ID = 'd'.repeat(64);
const OK = json({ certificateDescription: { certificateId: ID } });
const OK_OUTPUT = `{\n    "certificateDescription": {\n        "certificateId": "${ID}"\n    }\n}\n`;

const failed = (code: string, message: string, retries?: number) =>
  cliError(
    `An error occurred (${code}) when calling the DescribeCertificate operation${retries === undefined ? '' : ` (reached max retries: ${retries})`}: ${message}`,
  );

describe('retries (standard mode, AWS CLI v2 default)', () => {
  let stub: Stub;
  before(async () => {
    stub = await startStub();
  });
  after(() => stub.close());

  const describeWith = async (answers: Scripted[], env: Record<string, string> = {}, random = 0.5) => {
    stub.requests.length = 0;
    stub.script(answers);
    return runRemote(['iot', 'describe-certificate', '--certificate-id', ID, '--endpoint-url', stub.url], {
      env: { ...AUTH_ENV, ...env },
      hooks: { random: () => random },
    });
  };

  it('retries a 500 and succeeds on the next attempt, with the retry headers of botocore', async () => {
    const run = await describeWith([awsError(500, 'InternalFailureException', 'boom'), OK]);
    assert.deepEqual([run.code, run.stdout, run.stderr], [0, OK_OUTPUT, '']);
    const [first, second] = stub.requests as [RecordedRequest, RecordedRequest];
    assert.deepEqual(
      [first.headers['amz-sdk-request'], second.headers['amz-sdk-request']],
      ['attempt=1', 'attempt=2; max=3'],
    );
    assert.equal(first.headers['amz-sdk-invocation-id'], second.headers['amz-sdk-invocation-id']);
    // Jitter 0.5 of min(2^0, 20) s before the second attempt.
    assert.deepEqual(run.sleeps, [500]);
  });

  it('gives up after three 503s: "(reached max retries: 2)", exit 254', async () => {
    const run = await describeWith([awsError(503, 'ServiceUnavailableException', 'busy')]);
    assert.deepEqual([run.code, run.stderr], [254, failed('ServiceUnavailableException', 'busy', 2)]);
    assert.equal(stub.requests.length, 3);
    assert.deepEqual(run.sleeps, [500, 1000]);
  });

  it('retries throttling errors, whatever their status', async () => {
    const throttled = awsError(400, 'ThrottlingException', 'Rate exceeded');
    const recovered = await describeWith([throttled, throttled, OK]);
    assert.deepEqual([recovered.code, stub.requests.length], [0, 3]);
    const exhausted = await describeWith([throttled]);
    assert.deepEqual([exhausted.code, exhausted.stderr], [254, failed('ThrottlingException', 'Rate exceeded', 2)]);
    const tooMany = await describeWith([awsError(429, 'TooManyRequestsException', 'slow down'), OK]);
    assert.deepEqual([tooMany.code, stub.requests.length], [0, 2]);
  });

  it('does not retry other client errors', async () => {
    const run = await describeWith([awsError(400, 'InvalidRequestException', 'no'), OK]);
    assert.deepEqual([run.code, run.stderr, stub.requests.length], [254, failed('InvalidRequestException', 'no'), 1]);
  });

  it('AWS_MAX_ATTEMPTS=1: any error reports "(reached max retries: 0)"', async () => {
    const run = await describeWith([awsError(404, 'ResourceNotFoundException', 'gone')], { AWS_MAX_ATTEMPTS: '1' });
    assert.deepEqual([run.stderr, stub.requests.length], [failed('ResourceNotFoundException', 'gone', 0), 1]);
  });

  it('AWS_MAX_ATTEMPTS=7: backoff doubles up to its 20 s cap', async () => {
    const run = await describeWith([awsError(500, 'InternalFailureException', 'x')], { AWS_MAX_ATTEMPTS: '7' }, 1);
    assert.equal(run.stderr, failed('InternalFailureException', 'x', 6));
    assert.equal(stub.requests.length, 7);
    assert.deepEqual(run.sleeps, [1000, 2000, 4000, 8000, 16000, 20000]);
  });

  it('retries a dropped connection, then reports ConnectionClosedError (255)', async () => {
    const run = await describeWith([{ reset: true }]);
    assert.equal(run.code, 255);
    assert.equal(
      run.stderr,
      cliError(
        `Connection was closed before we received a valid response from endpoint URL: "${stub.url}/certificates/${ID}".`,
      ),
    );
    assert.equal(stub.requests.length, 3);
  });

  it('takes max_attempts and retry_mode from the profile, the environment first', async () => {
    const dir = tempDir();
    try {
      writeFiles(dir.path, { config: '[default]\nmax_attempts = 2\nretry_mode = legacy\n' });
      const env = { AWS_CONFIG_FILE: `${dir.path}/config` };
      const fromConfig = await describeWith([awsError(503, 'ServiceUnavailableException', 'busy')], env);
      assert.deepEqual(
        [fromConfig.stderr, stub.requests.length],
        [failed('ServiceUnavailableException', 'busy', 1), 2],
      );
      assert.match(stub.requests[0]?.headers['user-agent'] ?? '', / cfg\/retry-mode#legacy /);
      const fromEnv = await describeWith([awsError(503, 'ServiceUnavailableException', 'busy')], {
        ...env,
        AWS_MAX_ATTEMPTS: '4',
        AWS_RETRY_MODE: 'standard',
      });
      assert.deepEqual([fromEnv.stderr, stub.requests.length], [failed('ServiceUnavailableException', 'busy', 3), 4]);
    } finally {
      dir.remove();
    }
  });
});

describe('retries (legacy mode, AWS CLI v1 default)', () => {
  let stub: Stub;
  before(async () => {
    stub = await startStub();
  });
  after(() => stub.close());

  const legacy = async (answers: Scripted[], env: Record<string, string> = {}) => {
    stub.requests.length = 0;
    stub.script(answers);
    return runRemote(['iot', 'describe-certificate', '--certificate-id', ID, '--endpoint-url', stub.url], {
      env: { ...AUTH_ENV, AWS_RETRY_MODE: 'legacy', ...env },
      hooks: { random: () => 0.5 },
    });
  };

  it('sends five attempts and reports four retries', async () => {
    const run = await legacy([awsError(500, 'InternalFailureException', 'boom')]);
    assert.deepEqual([run.stderr, stub.requests.length], [failed('InternalFailureException', 'boom', 4), 5]);
    assert.deepEqual(run.sleeps, [500, 1000, 2000, 4000]);
  });

  it('marks only retryable errors as having reached the limit', async () => {
    const run = await legacy([awsError(404, 'ResourceNotFoundException', 'gone')], { AWS_MAX_ATTEMPTS: '1' });
    assert.deepEqual([run.stderr, stub.requests.length], [failed('ResourceNotFoundException', 'gone'), 1]);
  });
});

describe('invalid retry configuration (exit 255, nothing sent)', () => {
  const cases: [Record<string, string>, string][] = [
    [{ AWS_MAX_ATTEMPTS: 'abc' }, "invalid literal for int() with base 10: 'abc'"],
    [{ AWS_MAX_ATTEMPTS: '0' }, 'Value provided to "max_attempts": 0 must be an integer greater than or equal to 1.'],
    [
      { AWS_RETRY_MODE: 'bogus' },
      `Invalid value provided to "mode": "bogus" must be one of: ('legacy', 'standard', 'adaptive')`,
    ],
  ];
  for (const [env, message] of cases) {
    it(message, async () => {
      const run = await runRemote(
        ['iot', 'describe-certificate', '--certificate-id', ID, '--endpoint-url', 'http://127.0.0.1:9/'],
        { env: { ...AUTH_ENV, ...env } },
      );
      assert.deepEqual([run.code, run.stderr, run.opened], [255, cliError(message), []]);
    });
  }
});
