import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseEndpoint } from '../../../src/cli/remote/endpoint.js';
import type { RemoteSettings } from '../../../src/cli/remote/remote-settings.js';
import { openHttpTransport } from '../../../src/cli/transports/http.js';
import { serializeRequest } from '../../../src/cli/transports/http-request.js';
import { member, type OperationModel, type Shape, type StructureShape, structure } from '../../../src/model/shapes.js';
import { IOT_MODELS } from '../../../src/operations/iot-models.js';
import {
  AUTH_ENV,
  expectedAuthorization,
  json,
  parseAuthorization,
  type RecordedRequest,
  runRemote,
  type Stub,
  startStub,
} from './remote-harness.js';

const ID = 'ab'.repeat(32);

/** RFC 3986 percent-encoding of everything but unreserved characters (what botocore's quote() does). */
function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A sample value of a shape; strings carry characters that need encoding. */
function sample(shape: Shape, name: string): unknown {
  switch (shape.type) {
    case 'string':
      return shape.enum ? shape.enum[0] : `v ${name}/é+`;
    case 'integer':
      return 7;
    case 'boolean':
      return name.length % 2 === 0;
    case 'timestamp':
      return 1541022751983;
    case 'list':
      return [sample(shape.member, name)];
    case 'structure':
      return Object.fromEntries(Object.entries(shape.members).map(([key, m]) => [key, sample(m.shape, key)]));
    case 'map':
      return { [`key-${name}`]: sample(shape.value, name) };
  }
}

/** What the body of a member value must look like on the wire (independent of the serializer). */
function wireValue(shape: Shape, value: unknown): unknown {
  if (shape.type === 'timestamp') return Math.floor((value as number) / 1000);
  if (shape.type === 'list') return (value as unknown[]).map((item) => wireValue(shape.member, item));
  if (shape.type === 'map') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, wireValue(shape.value, item)]),
    );
  }
  if (shape.type === 'structure') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => {
        const m = shape.members[key];
        return [m?.locationName ?? key, m ? wireValue(m.shape, item) : item];
      }),
    );
  }
  return value;
}

function queryText(shape: Shape, value: unknown): string {
  if (shape.type === 'boolean') return value ? 'true' : 'false';
  return String(value);
}

function settingsFor(stub: Stub, overrides: Partial<RemoteSettings> = {}): RemoteSettings {
  return {
    endpoint: parseEndpoint(stub.url),
    region: 'eu-west-1',
    command: 'iot',
    signRequests: true,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret', source: 'env' },
    tls: { verify: true, caBundle: undefined },
    connectTimeoutMs: 5000,
    readTimeoutMs: 5000,
    retry: { mode: 'standard', maxAttempts: 3 },
    env: {},
    cwd: process.cwd(),
    stderr: { write: () => true },
    ...overrides,
  };
}

describe('request serialization of every operation in the model', () => {
  let stub: Stub;
  before(async () => {
    stub = await startStub();
  });
  after(() => stub.close());

  for (const operation of IOT_MODELS) {
    it(`${operation.name}: method, path, query, body and signature`, async () => {
      stub.requests.length = 0;
      const params = sample(operation.input, operation.name) as Record<string, unknown>;
      const transport = openHttpTransport(settingsFor(stub));
      await transport.call(operation, params);
      const request = stub.requests[0] as RecordedRequest;

      assert.equal(request.method, operation.http.method);
      const members = Object.entries(operation.input.members);
      const path = operation.http.requestUri.replace(/\{([^}]+)\}/g, (_, label: string) => {
        const found = members.find(([name, m]) => (m.locationName ?? name) === label);
        assert.ok(found, `label ${label} has a member`);
        return rfc3986(String(params[found[0]]));
      });
      assert.equal(request.path, path);

      const query = members
        .filter(([, m]) => m.location === 'querystring')
        .map(([name, m]) => `${m.locationName ?? name}=${rfc3986(queryText(m.shape, params[name]))}`)
        .join('&');
      assert.equal(request.query, query);

      const bodyMembers = members.filter(([, m]) => m.location === undefined);
      if (bodyMembers.length === 0) {
        assert.equal(request.body, '');
        assert.equal(request.headers['content-type'], undefined);
      } else {
        assert.equal(request.headers['content-type'], 'application/json');
        const expected = Object.fromEntries(
          bodyMembers.map(([name, m]) => [m.locationName ?? name, wireValue(m.shape, params[name])]),
        );
        assert.deepEqual(JSON.parse(request.body), expected);
        // Python's json.dumps: ASCII only, `": "` and `", "` separators.
        assert.match(request.body, /^\{"[^"]+": /);
        assert.doesNotMatch(request.body, /[^\x20-\x7e]/);
      }
      const hasLength = !['GET', 'HEAD', 'OPTIONS'].includes(operation.http.method) || request.body !== '';
      assert.equal(request.headers['content-length'], hasLength ? String(Buffer.byteLength(request.body)) : undefined);

      const auth = parseAuthorization(request.headers.authorization);
      assert.ok(auth);
      assert.deepEqual([auth.accessKeyId, auth.region, auth.service], ['AKIDTEST', 'eu-west-1', 'iot']);
      assert.equal(request.headers.authorization, await expectedAuthorization(request, 'test-secret'));
    });
  }
});

describe('request serialization through the CLI (the six certificate operations)', () => {
  let stub: Stub;
  before(async () => {
    stub = await startStub();
  });
  after(() => stub.close());

  const send = async (args: string[], env: Record<string, string> = AUTH_ENV) => {
    stub.requests.length = 0;
    stub.script(() => json({}));
    const run = await runRemote(['iot', ...args, '--endpoint-url', stub.url], { env });
    assert.equal(run.stderr, '');
    assert.equal(run.code, 0);
    assert.equal(stub.requests.length, 1);
    return stub.requests[0] as RecordedRequest;
  };

  const cases: [string[], string, string, string | undefined][] = [
    [['create-keys-and-certificate'], 'POST', '/keys-and-certificate', undefined],
    [['create-keys-and-certificate', '--set-as-active'], 'POST', '/keys-and-certificate?setAsActive=true', undefined],
    [
      ['create-keys-and-certificate', '--set-as-active', '--no-set-as-active'],
      'POST',
      '/keys-and-certificate?setAsActive=false',
      undefined,
    ],
    [
      ['create-certificate-from-csr', '--certificate-signing-request', 'CSR "é"\n', '--no-set-as-active'],
      'POST',
      '/certificates?setAsActive=false',
      '{"certificateSigningRequest": "CSR \\"\\u00e9\\"\\n"}',
    ],
    [['describe-certificate', '--certificate-id', ID], 'GET', `/certificates/${ID}`, undefined],
    [
      ['list-certificates', '--no-paginate', '--page-size', '10', '--marker', 'abc=', '--no-ascending-order'],
      'GET',
      '/certificates?pageSize=10&marker=abc%3D&isAscendingOrder=false',
      undefined,
    ],
    [
      ['update-certificate', '--certificate-id', ID, '--new-status', 'INACTIVE'],
      'PUT',
      `/certificates/${ID}?newStatus=INACTIVE`,
      undefined,
    ],
    [
      ['delete-certificate', '--certificate-id', ID, '--force-delete'],
      'DELETE',
      `/certificates/${ID}?forceDelete=true`,
      undefined,
    ],
  ];
  for (const [args, method, target, body] of cases) {
    it(`${args.join(' ')} → ${method} ${target}`, async () => {
      const request = await send(args);
      assert.deepEqual([request.method, request.target], [method, target]);
      assert.equal(request.body, body ?? '');
      assert.equal(request.headers['content-type'], body === undefined ? undefined : 'application/json');
      assert.equal(
        request.headers['content-length'],
        method === 'GET' ? undefined : String(Buffer.byteLength(body ?? '')),
      );
      const auth = parseAuthorization(request.headers.authorization);
      assert.deepEqual(
        auth?.signedHeaders,
        body === undefined ? ['host', 'x-amz-date'] : ['content-type', 'host', 'x-amz-date'],
      );
      assert.equal(request.headers.authorization, await expectedAuthorization(request, 'test-secret'));
    });
  }

  it('sends the AWS CLI headers in its order, with a fleetca User-Agent', async () => {
    const request = await send(['create-certificate-from-csr', '--certificate-signing-request', 'x']);
    assert.deepEqual(request.headerNames.slice(0, 10), [
      'Host',
      'Accept-Encoding',
      'Content-Type',
      'User-Agent',
      'X-Amz-Date',
      'Authorization',
      'amz-sdk-invocation-id',
      'amz-sdk-request',
      'Content-Length',
      'Connection',
    ]);
    assert.equal(request.headers.host, `127.0.0.1:${stub.port}`);
    assert.equal(request.headers['accept-encoding'], 'identity');
    assert.match(
      request.headers['user-agent'] ?? '',
      /^fleetca\/\S+ ua\/2\.1 os\/\S+#\S+ md\/arch#\S+ lang\/node#\S+ cfg\/retry-mode#standard md\/command#iot\.create-certificate-from-csr$/,
    );
    assert.match(request.headers['x-amz-date'] ?? '', /^\d{8}T\d{6}Z$/);
    assert.match(request.headers['amz-sdk-invocation-id'] ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(request.headers['amz-sdk-request'], 'attempt=1');
    assert.equal(request.headers['x-amz-content-sha256'], undefined);
  });

  it('adds and signs X-Amz-Security-Token when a session token is present', async () => {
    const request = await send(['describe-certificate', '--certificate-id', ID], {
      ...AUTH_ENV,
      AWS_SESSION_TOKEN: 'tok/en+',
    });
    assert.equal(request.headers['x-amz-security-token'], 'tok/en+');
    const auth = parseAuthorization(request.headers.authorization);
    assert.deepEqual(auth?.signedHeaders, ['host', 'x-amz-date', 'x-amz-security-token']);
    assert.equal(request.headers.authorization, await expectedAuthorization(request, 'test-secret', 'tok/en+'));
  });

  it('keeps the path prefix of the endpoint URL', async () => {
    for (const prefix of ['/iot-api/', '/iot-api']) {
      stub.requests.length = 0;
      const run = await runRemote(
        ['iot', 'describe-certificate', '--certificate-id', ID, '--endpoint-url', `${stub.url}${prefix}`],
        {
          env: AUTH_ENV,
        },
      );
      assert.equal(run.code, 0);
      const request = stub.requests[0] as RecordedRequest;
      assert.equal(request.path, `/iot-api/certificates/${ID}`);
      assert.equal(request.headers.authorization, await expectedAuthorization(request, 'test-secret'));
    }
  });

  it('sends no Authorization and no X-Amz-Date with --no-sign-request, and needs neither credentials nor region', async () => {
    const request = await send(['describe-certificate', '--certificate-id', ID, '--no-sign-request'], {});
    assert.equal(request.headers.authorization, undefined);
    assert.equal(request.headers['x-amz-date'], undefined);
    assert.equal(request.headers['amz-sdk-request'], 'attempt=1');
  });
});

describe('serializeRequest details (a synthetic operation)', () => {
  const date = { type: 'timestamp' } as const;
  const text = { type: 'string' } as const;
  const operation: OperationModel = {
    name: 'PutThing',
    http: { method: 'PUT', requestUri: '/things/{thingName}/files/{key+}?versioned' },
    input: structure({
      thingName: member(text, '', { location: 'uri', locationName: 'thingName' }),
      key: member(text, '', { location: 'uri', locationName: 'key' }),
      tags: member({ type: 'list', member: text }, '', { location: 'querystring', locationName: 'tag' }),
      since: member(date, '', { location: 'querystring', locationName: 'since' }),
      at: member(date, '', { location: 'header', locationName: 'X-At' }),
      labels: member({ type: 'list', member: text }, '', { location: 'header', locationName: 'X-Labels' }),
      flag: member({ type: 'boolean' }, '', { location: 'header', locationName: 'X-Flag' }),
      payload: member(
        structure({ innerDate: member(date, '', { locationName: 'inner_date' }), n: member({ type: 'integer' }, '') }),
        '',
        { locationName: 'Payload' },
      ),
      note: member(text, ''),
    }),
    errors: [],
    documentation: '',
  };
  const endpoint = parseEndpoint('https://Example.COM:8443/base/');

  it('encodes labels (greedy ones keep /), lists, timestamps and headers like botocore', () => {
    const request = serializeRequest(
      operation,
      {
        thingName: 'my thing/é',
        key: 'a b/c~d',
        tags: ['x y', 'z&'],
        since: 1541022751983,
        at: 1541022751000,
        labels: ['plain', 'with,comma', 'with"quote'],
        flag: false,
        payload: { innerDate: -1500, n: 3 },
        note: '日本',
      },
      endpoint,
    );
    assert.equal(request.method, 'PUT');
    assert.equal(request.path, '/base/things/my%20thing%2F%C3%A9/files/a%20b/c~d');
    assert.equal(request.queryString, 'versioned&tag=x%20y&tag=z%26&since=2018-10-31T21%3A52%3A31.983000Z');
    assert.equal(
      request.url,
      'https://Example.COM:8443/base/things/my%20thing%2F%C3%A9/files/a%20b/c~d?versioned&tag=x%20y&tag=z%26&since=2018-10-31T21%3A52%3A31.983000Z',
    );
    assert.deepEqual(request.headers, {
      'X-At': 'Wed, 31 Oct 2018 21:52:31 GMT',
      'X-Labels': 'plain,"with,comma","with\\"quote"',
      'X-Flag': 'false',
      'Content-Type': 'application/json',
    });
    assert.equal(request.body?.toString(), '{"Payload": {"inner_date": -2, "n": 3}, "note": "\\u65e5\\u672c"}');
  });

  it('sends {} when the input has body members but none is given, nothing when it has none', () => {
    const empty = serializeRequest(operation, { thingName: 't', key: 'k' }, endpoint);
    assert.equal(empty.body?.toString(), '{}');
    assert.equal(empty.headers['Content-Type'], 'application/json');
    const noBody: StructureShape = structure({ id: member(text, '', { location: 'uri', locationName: 'id' }) });
    const bare = serializeRequest(
      { ...operation, http: { method: 'GET', requestUri: '/x/{id}' }, input: noBody },
      { id: '1' },
      endpoint,
    );
    assert.equal(bare.body, undefined);
    assert.deepEqual(bare.headers, {});
  });

  it("keeps the endpoint's own query string first", () => {
    const simple: OperationModel = { ...operation, http: { method: 'GET', requestUri: '/x' } };
    const request = serializeRequest(simple, { since: 0 }, parseEndpoint('http://h/base/?stage=1'));
    assert.equal(request.url, 'http://h/base/x?stage=1&since=1970-01-01T00%3A00%3A00Z');
  });
});
