import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Transport } from '../../../src/cli/transport.js';
import { openLocalTransport } from '../../../src/cli/transports/local.js';
import { DescribeCertificate, ListCertificates } from '../../../src/model/certificates.js';
import type { Shape } from '../../../src/model/shapes.js';
import { makeEcCsr } from '../../helpers/run-cli.js';
import { runFleetca } from '../cli-harness.js';
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
} from './remote-harness.js';

const ID = 'c'.repeat(64);

/** What a fleetca server puts on the wire for a Transport result: wire names, epoch seconds. */
function toWire(shape: Shape, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  switch (shape.type) {
    case 'timestamp':
      return (value as number) / 1000;
    case 'list':
      return (value as unknown[]).map((item) => toWire(shape.member, item));
    case 'structure':
      return Object.fromEntries(
        Object.entries(shape.members)
          .filter(([name]) => (value as Record<string, unknown>)[name] !== undefined)
          .map(([name, m]) => [m.locationName ?? name, toWire(m.shape, (value as Record<string, unknown>)[name])]),
      );
    default:
      return value;
  }
}

describe('remote output equals local output for the same data', () => {
  const dir = tempDir();
  const env = { FLEETCA_HOME: join(dir.path, 'data'), TZ: 'America/New_York' };
  const local = () => openLocalTransport({ region: 'us-east-1', env });
  let stub: Stub;
  let certificateId: string;
  before(async () => {
    stub = await startStub();
    const csr = await makeEcCsr(dir.path, 'device');
    const created = await runRemote(
      ['iot', 'create-certificate-from-csr', '--certificate-signing-request', `file://${csr}`, '--set-as-active'],
      { env, local },
    );
    assert.equal(created.code, 0, created.stderr);
    certificateId = (JSON.parse(created.stdout) as { certificateId: string }).certificateId;
  });
  after(async () => {
    await stub.close();
    dir.remove();
  });

  /** Asks the local registry directly, so the stub can replay the same data over HTTP. */
  async function localResult(call: (transport: Transport) => Promise<Record<string, unknown>>) {
    const transport = await local();
    try {
      return await call(transport);
    } finally {
      await transport.close();
    }
  }

  it('describe-certificate: same bytes, timestamps included (epoch seconds on the wire)', async () => {
    const raw = await localResult((t) => t.call(DescribeCertificate, { certificateId }));
    const wire = toWire(DescribeCertificate.output as Shape, raw) as {
      certificateDescription: Record<string, unknown>;
    };
    assert.equal(typeof wire.certificateDescription.creationDate, 'number');
    stub.script(() => json(wire));
    const args = ['iot', 'describe-certificate', '--certificate-id', certificateId];
    const localRun = await runRemote(args, { env, local });
    const remoteRun = await runRemote([...args, '--endpoint-url', stub.url], { env: { ...env, ...AUTH_ENV } });
    assert.equal(localRun.code, 0, localRun.stderr);
    assert.deepEqual([remoteRun.code, remoteRun.stderr], [0, '']);
    assert.equal(remoteRun.stdout, localRun.stdout);
    assert.match(remoteRun.stdout, /"creationDate": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?-0[45]:00"/);
  });

  it('list-certificates: same bytes', async () => {
    const raw = await localResult((t) => t.call(ListCertificates, {}));
    stub.script(() => json(toWire(ListCertificates.output as Shape, raw) as object));
    const localRun = await runRemote(['iot', 'list-certificates'], { env, local });
    const remoteRun = await runRemote(['iot', 'list-certificates', '--endpoint-url', stub.url], {
      env: { ...env, ...AUTH_ENV },
    });
    assert.equal(localRun.code, 0, localRun.stderr);
    assert.equal(remoteRun.stdout, localRun.stdout);
  });

  it('a missing certificate: same error text and exit code', async () => {
    stub.script(() => awsError(404, 'ResourceNotFoundException', 'The specified resource does not exist'));
    const args = ['iot', 'describe-certificate', '--certificate-id', ID];
    const localRun = await runRemote(args, { env, local });
    const remoteRun = await runRemote([...args, '--endpoint-url', stub.url], { env: { ...env, ...AUTH_ENV } });
    assert.equal(localRun.code, 254);
    assert.deepEqual([remoteRun.code, remoteRun.stderr, remoteRun.stdout], [254, localRun.stderr, '']);
  });

  it('reads millisecond fractions and drops unknown and null members, in model order', async () => {
    stub.script(() =>
      json({
        unknown: 1,
        certificateDescription: { lastModifiedDate: 1541022751.983, extra: 'x', certificateId: ID, status: null },
      }),
    );
    const run = await runRemote(['iot', 'describe-certificate', '--certificate-id', ID, '--endpoint-url', stub.url], {
      env: { ...AUTH_ENV, TZ: 'UTC' },
    });
    assert.equal(
      run.stdout,
      `{\n    "certificateDescription": {\n        "certificateId": "${ID}",\n        "lastModifiedDate": "2018-10-31T21:52:31.983000+00:00"\n    }\n}\n`,
    );
  });
});

describe('error responses', () => {
  let stub: Stub;
  before(async () => {
    stub = await startStub();
  });
  after(() => stub.close());

  const describeWith = async (answer: Scripted | Scripted[], env: Record<string, string> = {}) => {
    stub.requests.length = 0;
    stub.script(Array.isArray(answer) ? answer : [answer]);
    return runRemote(['iot', 'describe-certificate', '--certificate-id', ID, '--endpoint-url', stub.url], {
      env: { ...AUTH_ENV, ...env },
    });
  };
  const serviceError = (code: string, message: string, retries?: number) =>
    cliError(
      `An error occurred (${code}) when calling the DescribeCertificate operation${retries === undefined ? '' : ` (reached max retries: ${retries})`}: ${message}`,
    );

  const cases: [string, Scripted, string][] = [
    [
      'code from x-amzn-ErrorType, cut at ":"',
      json({ message: 'gone' }, 404, { 'x-amzn-ErrorType': 'ResourceNotFoundException:http://internal.amazon.com/' }),
      serviceError('ResourceNotFoundException', 'gone'),
    ],
    [
      'x-amzn-ErrorType wins over the body code',
      json({ code: 'DeleteConflictException', message: 'm' }, 406, { 'x-amzn-ErrorType': 'CertificateStateException' }),
      serviceError('CertificateStateException', 'm'),
    ],
    [
      'body code and Message when there is no header',
      json({ code: 'UnauthorizedException', Message: 'who?' }, 401),
      serviceError('UnauthorizedException', 'who?'),
    ],
    [
      'body __type, after the last "#"',
      json({ __type: 'com.amazonaws.iot#InvalidRequestException', message: 'bad' }, 400),
      serviceError('InvalidRequestException', 'bad'),
    ],
    ['no code at all: the status', json({ message: 'm' }, 400), serviceError('400', 'm')],
    ['a body that is not JSON is the message', { status: 400, body: 'plain text' }, serviceError('400', 'plain text')],
    [
      'a missing message leaves nothing after the colon',
      json({}, 409, { 'x-amzn-ErrorType': 'DeleteConflictException' }),
      cliError('An error occurred (DeleteConflictException) when calling the DescribeCertificate operation:'),
    ],
    ['a 300 is not parsed: Unknown', json({ message: 'x' }, 300), serviceError('Unknown', 'Unknown')],
  ];
  for (const [title, answer, stderr] of cases) {
    it(title, async () => {
      const run = await describeWith(answer);
      assert.deepEqual([run.code, run.stderr, run.stdout, stub.requests.length], [254, stderr, '', 1]);
    });
  }

  it('a 5xx HTML page is a generic error: status code and reason phrase (retried)', async () => {
    const run = await describeWith({ status: 502, body: '<html><body>bad gateway</body></html>' });
    assert.deepEqual([run.code, run.stderr], [254, serviceError('502', 'Bad Gateway', 2)]);
    assert.equal(stub.requests.length, 3);
  });

  it('shows the extra members of ResourceAlreadyExistsException as details', async () => {
    const run = await describeWith(
      json({ message: 'exists', resourceId: 'r1', resourceArn: 'arn:r1', other: 'hidden' }, 409, {
        'x-amzn-ErrorType': 'ResourceAlreadyExistsException',
      }),
    );
    assert.equal(
      run.stderr,
      `${serviceError('ResourceAlreadyExistsException', 'exists')}\nAdditional error details:\nresourceId: r1\nresourceArn: arn:r1\n`,
    );
  });

  it('prints nothing for an operation without output (empty 200 body)', async () => {
    stub.script(() => ({ status: 200, body: '' }));
    const run = await runRemote(
      ['iot', 'update-certificate', '--certificate-id', ID, '--new-status', 'ACTIVE', '--endpoint-url', stub.url],
      { env: AUTH_ENV },
    );
    assert.deepEqual([run.code, run.stdout, run.stderr], [0, '', '']);
  });
});

describe('pagination over HTTP', () => {
  const IDS = ['a', 'b', 'c', 'd', 'e'].map((c) => c.repeat(64));
  let stub: Stub;
  before(async () => {
    stub = await startStub();
  });
  after(() => stub.close());

  /** Five certificates, two per page unless pageSize says otherwise; markers are offsets. */
  function page(params: URLSearchParams): Record<string, unknown> {
    const start = Number(params.get('marker') ?? 0);
    const size = Number(params.get('pageSize') ?? 2);
    const result: Record<string, unknown> = {
      certificates: IDS.slice(start, start + size).map((certificateId) => ({ certificateId, status: 'ACTIVE' })),
    };
    if (start + size < IDS.length) result.nextMarker = String(start + size);
    return result;
  }

  const list = async (args: string[]) => {
    stub.requests.length = 0;
    stub.script((request: RecordedRequest) => json(page(new URLSearchParams(request.query))));
    const remote = await runRemote(['iot', 'list-certificates', ...args, '--endpoint-url', stub.url], {
      env: AUTH_ENV,
    });
    const inProcess = await runFleetca(['iot', 'list-certificates', ...args], {
      respond: (_op, params) =>
        page(new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]) as [string, string][])),
    });
    assert.equal(remote.stderr, inProcess.stderr);
    assert.equal(remote.stdout, inProcess.stdout);
    assert.equal(remote.code, inProcess.code);
    return { remote, targets: stub.requests.map((r) => r.target) };
  };

  it('follows nextMarker page after page', async () => {
    const { targets, remote } = await list([]);
    assert.deepEqual(targets, ['/certificates', '/certificates?marker=2', '/certificates?marker=4']);
    assert.equal(remote.opened.length, 1);
  });

  it('--no-paginate: one call, nextMarker kept', async () => {
    const { targets, remote } = await list(['--no-paginate']);
    assert.deepEqual(targets, ['/certificates']);
    assert.match(remote.stdout, /"nextMarker": "2"/);
  });

  it('--page-size is the pageSize member (which, as in the AWS CLI, turns auto-pagination off)', async () => {
    const { targets, remote } = await list(['--page-size', '3']);
    assert.deepEqual(targets, ['/certificates?pageSize=3']);
    assert.match(remote.stdout, /"nextMarker": "3"/);
  });

  it('--max-items and --starting-token', async () => {
    const first = await list(['--max-items', '3']);
    assert.deepEqual(first.targets, ['/certificates', '/certificates?marker=2']);
    const token = (JSON.parse(first.remote.stdout) as { NextToken: string }).NextToken;
    const resumed = await list(['--starting-token', token, '--max-items', '1', '--ascending-order']);
    assert.deepEqual(resumed.targets, ['/certificates?isAscendingOrder=true&marker=2']);
  });
});
