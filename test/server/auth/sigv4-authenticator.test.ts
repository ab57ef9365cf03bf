import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SignatureV4 } from '@smithy/signature-v4';
import { ServiceError, type ServiceErrorCode } from '../../../src/errors.js';
import { regionPolicy } from '../../../src/regions/region-policy.js';
import type { NewAccessKey } from '../../../src/registry/account-store.js';
import type { Registry } from '../../../src/registry/registry.js';
import { openSqliteRegistry } from '../../../src/registry/sqlite/sqlite-registry.js';
import type { RawRequest } from '../../../src/server/auth/authenticator.js';
import { SigV4Authenticator, type SigV4AuthenticatorOptions } from '../../../src/server/auth/sigv4-authenticator.js';
import { NodeSha256 } from '../../../src/sigv4/node-sha256.js';
import { requireTool, TOOLS, type Tool } from '../../helpers/required-tool.js';
import { makeEcCsr, run } from '../../helpers/run-cli.js';

const ACCOUNT = '123456789012';
/** The server's clock in most tests: 2024-01-01T00:30:00Z. */
const NOW = new Date(Date.UTC(2024, 0, 1, 0, 30, 0));
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

interface Unsigned {
  readonly method?: string;
  /** Raw path, as it goes on the wire. */
  readonly path?: string;
  /** Decoded query, as the signer takes it. */
  readonly query?: Record<string, string | string[]>;
  /** Raw query for the wire; derived from `query` when absent. */
  readonly rawQuery?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

interface SignOptions {
  readonly key?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  readonly date?: Date;
  readonly region?: string;
  readonly service?: string;
}

let registry: Registry;
let dir: string;
let key: NewAccessKey;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fleetca-sigv4-'));
  registry = await openSqliteRegistry(join(dir, 'registry.db'));
  await registry.accounts.createAccount(ACCOUNT);
  key = await registry.accounts.createAccessKey(ACCOUNT);
});

after(async () => {
  await registry.close();
  await rm(dir, { recursive: true, force: true });
});

function authenticator(options: Partial<SigV4AuthenticatorOptions> = {}): SigV4Authenticator {
  return new SigV4Authenticator({ accounts: registry.accounts, regions: ['us-east-1'], now: () => NOW, ...options });
}

function encodeQuery(query: Record<string, string | string[]>): string {
  return Object.entries(query)
    .flatMap(([name, values]) => [values].flat().map((v) => `${encodeURIComponent(name)}=${encodeURIComponent(v)}`))
    .join('&');
}

/** Signs with smithy's own `sign()` (the way the AWS SDK for JavaScript signs) and returns the wire request. */
async function signed(unsigned: Unsigned = {}, options: SignOptions = {}): Promise<RawRequest> {
  const credentials = options.key ?? key;
  const signer = new SignatureV4({
    credentials,
    region: options.region ?? 'us-east-1',
    service: options.service ?? 'iot',
    sha256: NodeSha256,
    applyChecksum: false,
  });
  const query = unsigned.query ?? {};
  const headers = { host: '127.0.0.1:8443', ...unsigned.headers };
  const body = unsigned.body ?? '';
  const request = await signer.sign(
    {
      method: unsigned.method ?? 'GET',
      protocol: 'http:',
      hostname: '127.0.0.1',
      path: unsigned.path ?? '/certificates',
      query,
      headers,
      body,
    },
    { signingDate: options.date ?? NOW },
  );
  return {
    method: request.method,
    rawPath: request.path,
    rawQuery: unsigned.rawQuery ?? encodeQuery(query),
    rawHeaders: Object.entries(request.headers).flat(),
    body: Buffer.from(body),
  };
}

/** The same request with one header's value replaced (or added), by case-insensitive name. */
function withHeader(request: RawRequest, name: string, value: string): RawRequest {
  const raw = [...request.rawHeaders];
  const at = raw.findIndex((h, i) => i % 2 === 0 && h.toLowerCase() === name.toLowerCase());
  if (at < 0) raw.push(name, value);
  else raw[at + 1] = value;
  return { ...request, rawHeaders: raw };
}

function withoutHeader(request: RawRequest, name: string): RawRequest {
  const raw: string[] = [];
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    if ((request.rawHeaders[i] as string).toLowerCase() !== name) raw.push(...request.rawHeaders.slice(i, i + 2));
  }
  return { ...request, rawHeaders: raw };
}

function header(request: RawRequest, name: string): string {
  const at = request.rawHeaders.findIndex((h, i) => i % 2 === 0 && h.toLowerCase() === name);
  return request.rawHeaders[at + 1] as string;
}

async function assertRefused(
  promise: Promise<unknown>,
  code: ServiceErrorCode,
  message: string | RegExp,
  status = 403,
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ServiceError, `expected a ServiceError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.equal(error.status, status);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

describe('SigV4Authenticator: requests signed by smithy', () => {
  test('a signed GET with a query is accepted and acts for the key’s account in the scope’s region', async () => {
    const request = await signed({ query: { pageSize: '10', marker: 'a b+c/=', isAscendingOrder: 'true' } });
    assert.deepEqual(await authenticator().authenticate(request), {
      accountId: ACCOUNT,
      region: 'us-east-1',
      accessKeyId: key.accessKeyId,
    });
  });

  test('a request signed for execute-api (IoT’s signing name before 2023) is accepted like one for iot', async () => {
    const request = await signed({ query: { pageSize: '10' } }, { service: 'execute-api' });
    assert.match(header(request, 'authorization'), /\/us-east-1\/execute-api\/aws4_request,/);
    assert.deepEqual(await authenticator().authenticate(request), {
      accountId: ACCOUNT,
      region: 'us-east-1',
      accessKeyId: key.accessKeyId,
    });
  });

  test('an execute-api request is verified as strictly: tampered, re-scoped or wrongly keyed, it is refused', async () => {
    const request = await signed(
      { method: 'POST', query: { setAsActive: 'true' }, body: '{"certificateSigningRequest":"csr"}' },
      { service: 'execute-api' },
    );
    const wrongSecret = await signed(
      {},
      { service: 'execute-api', key: { accessKeyId: key.accessKeyId, secretAccessKey: 'y'.repeat(40) } },
    );
    const rescoped = withHeader(
      request,
      'Authorization',
      header(request, 'authorization').replace('/execute-api/', '/iot/'),
    );
    for (const refused of [
      { ...request, rawQuery: 'setAsActive=false' },
      { ...request, body: Buffer.from('{"certificateSigningRequest":"CSR"}') },
      rescoped,
      wrongSecret,
    ]) {
      await assertRefused(authenticator().authenticate(refused), 'InvalidSignatureException', MISMATCH);
    }
    await assertRefused(
      authenticator().authenticate(await signed({}, { service: 'execute-api', region: 'eu-west-1' })),
      'InvalidSignatureException',
      'Credential should be scoped to a valid region. ',
    );
  });

  test('a path that needs encoding and a POST body with a signed content-type are accepted', async () => {
    const request = await signed({
      method: 'POST',
      path: '/policies/p%201%2Fx~y',
      query: { setAsActive: 'true' },
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ certificateSigningRequest: '-----BEGIN CERTIFICATE REQUEST-----\n…\n' }),
    });
    assert.equal((await authenticator().authenticate(request)).accountId, ACCOUNT);
  });

  test('repeated query names and repeated signed headers are canonicalized as SigV4 defines', async () => {
    const request = await signed({ query: { b: ['2', '1'], a: '' }, headers: { 'x-amz-meta': 'one,two' } });
    const raw = withoutHeader(request, 'x-amz-meta');
    const split = { ...raw, rawHeaders: [...raw.rawHeaders, 'X-Amz-Meta', ' one ', 'x-amz-meta', 'two'] };
    assert.equal((await authenticator().authenticate(split)).accountId, ACCOUNT);
  });

  test('headers outside SignedHeaders may change without invalidating the signature', async () => {
    const request = withHeader(await signed(), 'User-Agent', 'something else');
    assert.equal((await authenticator().authenticate(withHeader(request, 'X-Unsigned', 'added'))).accountId, ACCOUNT);
  });

  test('a request dated by the Date header alone (no X-Amz-Date) is verified too', async () => {
    // smithy always signs X-Amz-Date, so this one is signed by hand, straight from the SigV4 spec.
    const httpDate = 'Mon, 01 Jan 2024 00:25:00 GMT';
    const amzDate = '20240101T002500Z';
    const scope = '20240101/us-east-1/iot/aws4_request';
    const hex = (data: string) => createHash('sha256').update(data).digest('hex');
    const hmac = (k: string | Buffer, data: string) => createHmac('sha256', k).update(data).digest();
    const canonical = [
      'GET',
      '/certificates',
      'pageSize=2',
      'date:Mon, 01 Jan 2024 00:25:00 GMT',
      'host:127.0.0.1:8443',
      '',
      'date;host',
      hex(''),
    ].join('\n');
    const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, hex(canonical)].join('\n');
    let signingKey = hmac(`AWS4${key.secretAccessKey}`, '20240101');
    for (const part of ['us-east-1', 'iot', 'aws4_request']) signingKey = hmac(signingKey, part);
    const signature = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
    const request: RawRequest = {
      method: 'GET',
      rawPath: '/certificates',
      rawQuery: 'pageSize=2',
      rawHeaders: [
        'Host',
        '127.0.0.1:8443',
        'Date',
        httpDate,
        'Authorization',
        `AWS4-HMAC-SHA256 Credential=${key.accessKeyId}/${scope}, SignedHeaders=date;host, Signature=${signature}`,
      ],
      body: Buffer.alloc(0),
    };
    assert.equal((await authenticator().authenticate(request)).accountId, ACCOUNT);
    const tampered = withHeader(request, 'Date', 'Mon, 01 Jan 2024 00:25:01 GMT');
    await assertRefused(authenticator().authenticate(tampered), 'InvalidSignatureException', MISMATCH);
  });

  test('a correct signed x-amz-content-sha256 is accepted; a wrong one or UNSIGNED-PAYLOAD is not', async () => {
    const body = '{"a":1}';
    const good = await signed({
      method: 'POST',
      headers: { 'x-amz-content-sha256': createHash('sha256').update(body).digest('hex') },
      body,
    });
    assert.equal((await authenticator().authenticate(good)).accountId, ACCOUNT);
    for (const claimed of [createHash('sha256').update('other').digest('hex'), 'UNSIGNED-PAYLOAD']) {
      const lying = await signed({ method: 'POST', headers: { 'x-amz-content-sha256': claimed }, body });
      await assertRefused(authenticator().authenticate(lying), 'InvalidSignatureException', MISMATCH);
    }
  });

  test('exactly 15 minutes either way is still accepted', async () => {
    for (const offset of [-15, 15]) {
      const request = await signed({}, { date: new Date(NOW.getTime() + offset * 60_000) });
      assert.equal((await authenticator().authenticate(request)).accountId, ACCOUNT);
    }
  });

  test('a key deleted from the store stops working', async () => {
    const doomed = await registry.accounts.createAccessKey(ACCOUNT);
    const request = await signed({}, { key: doomed });
    assert.equal((await authenticator().authenticate(request)).accessKeyId, doomed.accessKeyId);
    await registry.accounts.deleteAccessKey(doomed.accessKeyId);
    await assertRefused(
      authenticator().authenticate(request),
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  });

  test("a region policy takes AWS's regions and the private ones, a list only its own", async () => {
    const frankfurt = await signed({}, { region: 'eu-central-1' });
    assert.equal((await authenticator({ regions: regionPolicy() }).authenticate(frankfurt)).region, 'eu-central-1');
    assert.equal(
      (await authenticator({ regions: ['us-east-1', 'eu-central-1'] }).authenticate(frankfurt)).region,
      'eu-central-1',
    );
    const lab = await signed({}, { region: 'lab-east-1' });
    assert.equal(
      (await authenticator({ regions: regionPolicy(['lab-east-1']) }).authenticate(lab)).region,
      'lab-east-1',
    );
    for (const region of ['Not_A_Region', 'us-esat-1', 'lab-east-1']) {
      await assertRefused(
        authenticator({ regions: regionPolicy() }).authenticate(await signed({}, { region })),
        'InvalidSignatureException',
        'Credential should be scoped to a valid region. ',
      );
    }
  });

  test('the constructor refuses a malformed region or development account', () => {
    assert.throws(() => authenticator({ regions: ['us-east-1', 'US EAST'] }), /not a region name: "US EAST"/);
    assert.throws(() => authenticator({ development: { accountId: '42' } }), /must be 12 digits/);
  });
});

describe('SigV4Authenticator: refusals', () => {
  test('no Authorization header (or an empty one): MissingAuthenticationTokenException', async () => {
    const request = await signed();
    for (const bare of [withoutHeader(request, 'authorization'), withHeader(request, 'Authorization', '')]) {
      await assertRefused(
        authenticator().authenticate(bare),
        'MissingAuthenticationTokenException',
        'Missing Authentication Token',
      );
    }
  });

  describe('a malformed Authorization header: IncompleteSignatureException naming what is missing', () => {
    const scope = '20240101/us-east-1/iot/aws4_request';
    const cases: [string, (akid: string) => string, string][] = [
      [
        'no Credential',
        () => 'AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=abc',
        "Authorization header requires 'Credential' parameter.",
      ],
      [
        'no Signature',
        (akid) => `AWS4-HMAC-SHA256 Credential=${akid}/${scope}, SignedHeaders=host;x-amz-date`,
        "Authorization header requires 'Signature' parameter.",
      ],
      [
        'no SignedHeaders',
        (akid) => `AWS4-HMAC-SHA256 Credential=${akid}/${scope}, Signature=abc`,
        "Authorization header requires 'SignedHeaders' parameter.",
      ],
      [
        'an empty Signature',
        (akid) => `AWS4-HMAC-SHA256 Credential=${akid}/${scope}, SignedHeaders=host;x-amz-date, Signature=`,
        "Authorization header requires 'Signature' parameter.",
      ],
      [
        'another scheme entirely (SigV2)',
        (akid) => `AWS ${akid}:frJIUN8DYpKDtOLCwo//yllqDzg=`,
        "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
          "Authorization header requires 'SignedHeaders' parameter.",
      ],
    ];
    for (const [label, make, sentences] of cases) {
      test(label, async () => {
        const value = make(key.accessKeyId);
        const request = withHeader(await signed(), 'Authorization', value);
        await assertRefused(
          authenticator().authenticate(request),
          'IncompleteSignatureException',
          `${sentences} Authorization=${value}`,
        );
      });
    }

    test('a bearer token and no date: every parameter and the date are reported', async () => {
      const request = withoutHeader(withHeader(await signed(), 'Authorization', 'eyJhbGciOi.x.y'), 'x-amz-date');
      await assertRefused(
        authenticator().authenticate(request),
        'IncompleteSignatureException',
        "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
          "Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of " +
          "either a 'X-Amz-Date' or a 'Date' header. Authorization=eyJhbGciOi.x.y",
      );
    });

    test('a complete header but neither X-Amz-Date nor Date', async () => {
      const request = await signed();
      await assertRefused(
        authenticator().authenticate(withoutHeader(request, 'x-amz-date')),
        'IncompleteSignatureException',
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
          `Authorization=${header(request, 'authorization')}`,
      );
    });

    test('a token that is not key=value', async () => {
      const value = `AWS4-HMAC-SHA256 Credential= ${key.accessKeyId}/${scope}, SignedHeaders=host, Signature=ab`;
      await assertRefused(
        authenticator().authenticate(withHeader(await signed(), 'Authorization', value)),
        'IncompleteSignatureException',
        `'${key.accessKeyId}/${scope}' not a valid key=value pair (missing equal-sign) in Authorization header: '${value}'.`,
      );
    });

    test('a Credential without 5 slash-delimited parts', async () => {
      const value = `AWS4-HMAC-SHA256 Credential=${key.accessKeyId}/20240101/us-east-1/iot, SignedHeaders=host, Signature=ab`;
      await assertRefused(
        authenticator().authenticate(withHeader(await signed(), 'Authorization', value)),
        'IncompleteSignatureException',
        'Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, ' +
          `got '${key.accessKeyId}/20240101/us-east-1/iot'`,
      );
    });

    test('a parameter given twice', async () => {
      const request = await signed();
      const value = `${header(request, 'authorization')}, Signature=${'0'.repeat(64)}`;
      await assertRefused(
        authenticator().authenticate(withHeader(request, 'Authorization', value)),
        'IncompleteSignatureException',
        `Authorization header has more than one 'Signature' parameter. Authorization=${value}`,
      );
    });

    test('an X-Amz-Date that is not ISO 8601 basic format, or not a real instant', async () => {
      for (const bad of ['2024-01-01T00:30:00Z', '20240230T003000Z']) {
        await assertRefused(
          authenticator().authenticate(withHeader(await signed(), 'X-Amz-Date', bad)),
          'IncompleteSignatureException',
          `Date must be in ISO-8601 'basic format'. Got '${bad}'. See http://en.wikipedia.org/wiki/ISO_8601`,
        );
      }
    });

    test('Host not among the signed headers', async () => {
      const request = await signed();
      const value = header(request, 'authorization').replace('SignedHeaders=host;', 'SignedHeaders=');
      await assertRefused(
        authenticator().authenticate(withHeader(request, 'Authorization', value)),
        'IncompleteSignatureException',
        "'Host' must be a 'SignedHeader' in the AWS Authorization.",
      );
    });
  });

  test('duplicate Authorization, X-Amz-Date or Host headers are refused', async () => {
    const request = await signed();
    for (const [name, lower] of [
      ['Authorization', 'authorization'],
      ['X-Amz-Date', 'x-amz-date'],
      ['Host', 'host'],
    ] as const) {
      const doubled = { ...request, rawHeaders: [...request.rawHeaders, lower, header(request, lower)] };
      await assertRefused(
        authenticator().authenticate(doubled),
        'IncompleteSignatureException',
        `Only one '${name}' header is allowed in a signed request.`,
      );
    }
  });

  test('an unknown access key: UnrecognizedClientException', async () => {
    const request = await signed({}, { key: { accessKeyId: 'AKIAUNKNOWNUNKNOWN22', secretAccessKey: 'x'.repeat(40) } });
    await assertRefused(
      authenticator().authenticate(request),
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  });

  test('a session token, even with a known key: UnrecognizedClientException', async () => {
    const request = await signed({}, { key: { ...key, sessionToken: 'FwoGZXIvYXdzEXAMPLE' } });
    assert.ok(header(request, 'x-amz-security-token'));
    await assertRefused(
      authenticator().authenticate(request),
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  });

  test('a wrong secret or a damaged signature: InvalidSignatureException', async () => {
    const wrongSecret = await signed({}, { key: { accessKeyId: key.accessKeyId, secretAccessKey: 'y'.repeat(40) } });
    await assertRefused(authenticator().authenticate(wrongSecret), 'InvalidSignatureException', MISMATCH);
    const request = await signed();
    const authorization = header(request, 'authorization');
    const last = authorization.at(-1) === '0' ? '1' : '0';
    for (const damaged of [`${authorization.slice(0, -1)}${last}`, `${authorization}0`, authorization.slice(0, -1)]) {
      await assertRefused(
        authenticator().authenticate(withHeader(request, 'Authorization', damaged)),
        'InvalidSignatureException',
        MISMATCH,
      );
    }
  });

  describe('tampering after signing: InvalidSignatureException', () => {
    const original: Unsigned = {
      method: 'POST',
      path: '/certificates',
      query: { setAsActive: 'false' },
      headers: { 'content-type': 'application/json' },
      body: '{"certificateSigningRequest":"csr"}',
    };
    const tamperings: [string, (request: RawRequest) => RawRequest][] = [
      ['the body', (r) => ({ ...r, body: Buffer.from('{"certificateSigningRequest":"CSR"}') })],
      ['the body, emptied', (r) => ({ ...r, body: Buffer.alloc(0) })],
      ['the path', (r) => ({ ...r, rawPath: '/certificates/x' })],
      ['the query value', (r) => ({ ...r, rawQuery: 'setAsActive=true' })],
      ['the query, extended', (r) => ({ ...r, rawQuery: 'setAsActive=false&pageSize=1' })],
      ['the method', (r) => ({ ...r, method: 'PUT' })],
      ['a signed header', (r) => withHeader(r, 'Content-Type', 'text/plain')],
      ['the Host', (r) => withHeader(r, 'Host', 'evil.example:8443')],
      ['the X-Amz-Date, within the window', (r) => withHeader(r, 'X-Amz-Date', '20240101T003001Z')],
      ['a signed header, removed', (r) => withoutHeader(r, 'content-type')],
    ];
    for (const [label, tamper] of tamperings) {
      test(label, async () => {
        const request = await signed(original);
        assert.equal((await authenticator().authenticate(request)).accountId, ACCOUNT);
        await assertRefused(authenticator().authenticate(tamper(request)), 'InvalidSignatureException', MISMATCH);
      });
    }
  });

  test('a date 16 minutes early: Signature expired', async () => {
    const request = await signed({}, { date: new Date(NOW.getTime() - 16 * 60_000) });
    await assertRefused(
      authenticator().authenticate(request),
      'InvalidSignatureException',
      'Signature expired: 20240101T001400Z is now earlier than 20240101T001500Z (20240101T003000Z - 15 min.)',
    );
  });

  test('a date 16 minutes late: Signature not yet current', async () => {
    const request = await signed({}, { date: new Date(NOW.getTime() + 16 * 60_000) });
    await assertRefused(
      authenticator().authenticate(request),
      'InvalidSignatureException',
      'Signature not yet current: 20240101T004600Z is still later than 20240101T004500Z (20240101T003000Z + 15 min.)',
    );
  });

  test('a credential scope dated another day than X-Amz-Date', async () => {
    const request = await signed({}, { date: new Date(Date.UTC(2023, 11, 31, 23, 59, 0)) });
    const moved = withHeader(request, 'X-Amz-Date', '20240101T000100Z');
    await assertRefused(
      authenticator({ now: () => new Date(Date.UTC(2024, 0, 1, 0, 1)) }).authenticate(moved),
      'InvalidSignatureException',
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20231231' != " +
        "'20240101', from '20240101T000100Z'.",
    );
  });

  test('a region the server does not serve', async () => {
    await assertRefused(
      authenticator().authenticate(await signed({}, { region: 'eu-west-1' })),
      'InvalidSignatureException',
      'Credential should be scoped to a valid region. ',
    );
  });

  test('a service other than iot or execute-api, however close, names iot as AWS does', async () => {
    for (const service of ['s3', 'iotdata', 'IOT', 'Execute-Api', 'executeapi']) {
      await assertRefused(
        authenticator().authenticate(await signed({}, { service })),
        'InvalidSignatureException',
        "Credential should be scoped to correct service: 'iot'. ",
      );
    }
  });

  test('a terminator other than aws4_request', async () => {
    const request = await signed();
    const value = header(request, 'authorization').replace('/aws4_request,', '/aws5_request,');
    await assertRefused(
      authenticator().authenticate(withHeader(request, 'Authorization', value)),
      'InvalidSignatureException',
      "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. ",
    );
  });
});

describe('SigV4Authenticator: development mode', () => {
  const dev = () => authenticator({ development: { accountId: '000000000000' }, now: () => new Date() });

  test('accepts an unknown key, a wrong signature, a session token and any date, as the default account', async () => {
    const stranger = { accessKeyId: 'AKIAANYTHINGATALL234', secretAccessKey: 'whatever', sessionToken: 'tok' };
    const request = await signed({}, { key: stranger, date: new Date(Date.UTC(2020, 0, 1)) });
    assert.deepEqual(await dev().authenticate(withHeader(request, 'X-Unsigned', 'x')), {
      accountId: '000000000000',
      region: 'us-east-1',
      accessKeyId: 'AKIAANYTHINGATALL234',
    });
    const known = await signed();
    const damaged = withHeader(known, 'Authorization', `${header(known, 'authorization').slice(0, -2)}00`);
    assert.equal((await dev().authenticate(damaged)).accountId, '000000000000');
    const legacy = await signed({}, { key: stranger, service: 'execute-api' });
    assert.equal((await dev().authenticate(legacy)).accountId, '000000000000');
  });

  test('still refuses what is not a well-formed SigV4 request for this server', async () => {
    await assertRefused(
      dev().authenticate(withoutHeader(await signed(), 'authorization')),
      'MissingAuthenticationTokenException',
      'Missing Authentication Token',
    );
    await assertRefused(
      dev().authenticate(withHeader(await signed(), 'Authorization', 'Bearer x')),
      'IncompleteSignatureException',
      /^Authorization header requires 'Credential' parameter\./,
    );
    await assertRefused(
      dev().authenticate(await signed({}, { service: 's3' })),
      'InvalidSignatureException',
      "Credential should be scoped to correct service: 'iot'. ",
    );
    await assertRefused(
      dev().authenticate(await signed({}, { region: 'ap-south-1' })),
      'InvalidSignatureException',
      'Credential should be scoped to a valid region. ',
    );
  });
});

describe('SigV4Authenticator: requests from the real aws CLI', () => {
  interface Captured {
    readonly request: RawRequest;
    readonly url: string;
  }
  const captured: Captured[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = req.url ?? '/';
      const at = url.indexOf('?');
      captured.push({
        url,
        request: {
          method: req.method ?? 'GET',
          rawPath: at < 0 ? url : url.slice(0, at),
          rawQuery: at < 0 ? '' : url.slice(at + 1),
          rawHeaders: req.rawHeaders,
          body: Buffer.concat(chunks),
        },
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"certificates":[]}');
    });
  });
  let endpoint = '';
  let work = '';

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    work = await mkdtemp(join(tmpdir(), 'fleetca-awscli-'));
  });

  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(work, { recursive: true, force: true });
  });

  /** Runs `aws iot <args>` against the capturing server and returns the request it sent. */
  async function awsIot(
    args: readonly string[],
    secret = key.secretAccessKey,
    cli: Tool = TOOLS.awsV1,
  ): Promise<Captured> {
    requireTool(cli);
    const before = captured.length;
    const result = await run(cli.command, ['iot', ...args, '--endpoint-url', endpoint, '--region', 'us-east-1'], {
      env: {
        PATH: process.env.PATH,
        HOME: work,
        AWS_ACCESS_KEY_ID: key.accessKeyId,
        AWS_SECRET_ACCESS_KEY: secret,
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_CONFIG_FILE: join(work, 'absent-config'),
        AWS_SHARED_CREDENTIALS_FILE: join(work, 'absent-credentials'),
        AWS_RETRY_MODE: 'standard',
        AWS_MAX_ATTEMPTS: '1',
        AWS_PAGER: '',
      },
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(captured.length, before + 1, 'one request per command');
    return captured[captured.length - 1] as Captured;
  }

  /** The CLI signs with the real clock, so the server's clock is the real one here. */
  const live = () => authenticator({ now: () => new Date() });

  test('list-certificates, with a query that needs encoding, verifies', async () => {
    const { request, url } = await awsIot(['list-certificates', '--page-size', '5', '--marker', 'a b+c/d=']);
    assert.match(url, /^\/certificates\?/);
    assert.match(url, /marker=a%20b%2Bc%2Fd%3D/);
    assert.match(
      header(request, 'authorization'),
      /^AWS4-HMAC-SHA256 Credential=AKIA[A-Z2-7]{16}\/\d{8}\/us-east-1\/iot\//,
    );
    assert.deepEqual(await live().authenticate(request), {
      accountId: ACCOUNT,
      region: 'us-east-1',
      accessKeyId: key.accessKeyId,
    });
  });

  test('describe-certificate, whose path label needs encoding, verifies', async () => {
    const id = `a b/c+d%e~f!'()*${'0'.repeat(48)}`;
    const { request } = await awsIot(['describe-certificate', '--certificate-id', id]);
    assert.equal(request.rawPath, `/certificates/a%20b%2Fc%2Bd%25e~f%21%27%28%29%2A${'0'.repeat(48)}`);
    assert.equal((await live().authenticate(request)).accountId, ACCOUNT);
    await assertRefused(
      live().authenticate({
        ...request,
        rawPath: `/certificates/a%20b%2Fc%2Bd%25e~f%21%27%28%29%2A${'0'.repeat(47)}1`,
      }),
      'InvalidSignatureException',
      MISMATCH,
    );
  });

  test('create-certificate-from-csr, a POST with a JSON body and a query, verifies', async () => {
    const csr = await makeEcCsr(work, 'device');
    const { request } = await awsIot([
      'create-certificate-from-csr',
      '--certificate-signing-request',
      `file://${csr}`,
      '--set-as-active',
    ]);
    assert.equal(request.method, 'POST');
    assert.equal(request.rawQuery, 'setAsActive=true');
    assert.match(request.body.toString(), /^\{"certificateSigningRequest": "-----BEGIN CERTIFICATE REQUEST-----/);
    assert.equal((await live().authenticate(request)).accountId, ACCOUNT);
    const tampered = Buffer.from(request.body.toString().replace('REQUEST-----\\n', 'REQUEST-----\\n\\n'));
    await assertRefused(live().authenticate({ ...request, body: tampered }), 'InvalidSignatureException', MISMATCH);
  });

  test("Debian's AWS CLI v2 signs for execute-api, and its request verifies", async () => {
    const { request } = await awsIot(['list-certificates', '--page-size', '5'], key.secretAccessKey, TOOLS.awsV2);
    assert.match(header(request, 'authorization'), /\/us-east-1\/execute-api\/aws4_request, /);
    assert.equal((await live().authenticate(request)).accountId, ACCOUNT);
    const v2WrongSecret = await awsIot(['list-certificates'], 'z'.repeat(40), TOOLS.awsV2);
    await assertRefused(live().authenticate(v2WrongSecret.request), 'InvalidSignatureException', MISMATCH);
  });

  test('the same command signed with a wrong secret does not verify', async () => {
    const { request } = await awsIot(['list-certificates'], 'z'.repeat(40));
    await assertRefused(live().authenticate(request), 'InvalidSignatureException', MISMATCH);
  });

  test('a CLI request replayed 16 minutes later has expired', async () => {
    const { request } = await awsIot(['list-certificates']);
    const later = authenticator({ now: () => new Date(Date.now() + 16 * 60_000) });
    await assertRefused(later.authenticate(request), 'InvalidSignatureException', /^Signature expired: \d{8}T\d{6}Z/);
  });
});
