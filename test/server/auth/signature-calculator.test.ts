import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  computeSignature,
  deriveSigningKey,
  SigningKeyCache,
  type SigningParameters,
} from '../../../src/server/auth/signature-calculator.js';
import { NodeSha256 } from '../../../src/sigv4/node-sha256.js';

/** The worked example of AWS's SigV4 documentation (IAM ListUsers, 2015-08-30). */
const EXAMPLE_SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const EXAMPLE_SIGNATURE = '5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7';

function exampleParameters(overrides: Partial<SigningParameters> = {}): SigningParameters {
  return {
    accessKeyId: 'AKIDEXAMPLE',
    secretAccessKey: EXAMPLE_SECRET,
    region: 'us-east-1',
    service: 'iam',
    scope: '20150830/us-east-1/iam/aws4_request',
    amzDate: '20150830T123600Z',
    ...overrides,
  };
}

const EXAMPLE_REQUEST = {
  method: 'GET',
  rawPath: '/',
  query: { Action: 'ListUsers', Version: '2010-05-08' },
  headers: {
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    host: 'iam.amazonaws.com',
    'x-amz-date': '20150830T123600Z',
  },
  body: new Uint8Array(0),
};

describe('computeSignature', () => {
  test("reproduces AWS's documented example signature", async () => {
    assert.equal(
      await computeSignature(EXAMPLE_REQUEST, exampleParameters(), new SigningKeyCache()),
      EXAMPLE_SIGNATURE,
    );
  });

  test('agrees with smithy signing the same request (query, path escaping, body, header folding)', async () => {
    const credentials = {
      accessKeyId: 'AKIAFLEETCA000000001',
      secretAccessKey: 'c2VjcmV0/c2VjcmV0+c2VjcmV0c2VjcmV0c2Vj',
    };
    const signer = new SignatureV4({
      credentials,
      region: 'eu-west-1',
      service: 'iot',
      sha256: NodeSha256,
      applyChecksum: false,
    });
    const signingDate = new Date(Date.UTC(2024, 0, 1, 0, 30, 0));
    const body = JSON.stringify({ certificateSigningRequest: '-----BEGIN CERTIFICATE REQUEST-----\nÅ\n' });
    const signed = await signer.sign(
      {
        method: 'POST',
        protocol: 'http:',
        hostname: '127.0.0.1',
        path: '/certificates/a%20b/../x',
        query: { setAsActive: 'true', tag: ['b', 'a'] },
        headers: { host: '127.0.0.1:8080', 'content-type': 'application/json', 'x-amz-meta': '  two   spaces ' },
        body,
      },
      { signingDate },
    );
    const signature = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1];
    const headers = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
    delete headers.authorization;
    const cache = new SigningKeyCache();
    const params = {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      region: 'eu-west-1',
      service: 'iot',
      scope: '20240101/eu-west-1/iot/aws4_request',
      amzDate: '20240101T003000Z',
    };
    const request = {
      method: 'POST',
      rawPath: '/certificates/a%20b/../x',
      query: { setAsActive: 'true', tag: ['b', 'a'] },
      headers,
      body: Buffer.from(body),
    };
    assert.equal(await computeSignature(request, params, cache), signature);
    // Again, from the cached key.
    assert.equal(await computeSignature(request, params, cache), signature);
  });

  test('a signed x-amz-content-sha256 stands for the payload hash, as in smithy', async () => {
    const cache = new SigningKeyCache();
    const emptyHash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    const declared = { ...EXAMPLE_REQUEST, headers: { ...EXAMPLE_REQUEST.headers, 'x-amz-content-sha256': emptyHash } };
    const plain = await computeSignature(EXAMPLE_REQUEST, exampleParameters(), cache);
    const withHeader = await computeSignature(declared, exampleParameters(), cache);
    // The header is itself signed, so the signature differs; the body is taken from the header, not hashed.
    assert.notEqual(withHeader, plain);
    const lying = { ...declared, body: Buffer.from('not empty') };
    assert.equal(await computeSignature(lying, exampleParameters(), cache), withHeader);
  });

  test('a different secret gives a different signature, even with the same access key id', async () => {
    const cache = new SigningKeyCache();
    const right = await computeSignature(EXAMPLE_REQUEST, exampleParameters(), cache);
    const wrong = await computeSignature(EXAMPLE_REQUEST, exampleParameters({ secretAccessKey: 'other' }), cache);
    assert.equal(right, EXAMPLE_SIGNATURE);
    assert.notEqual(wrong, EXAMPLE_SIGNATURE);
    // And the right one still verifies after the entry was replaced.
    assert.equal(await computeSignature(EXAMPLE_REQUEST, exampleParameters(), cache), EXAMPLE_SIGNATURE);
  });
});

describe('SigningKeyCache', () => {
  test('returns the derived key and reuses it', () => {
    const cache = new SigningKeyCache(4);
    const key = cache.signingKey('AKID', EXAMPLE_SECRET, '20150830', 'us-east-1', 'iam');
    assert.deepEqual(key, deriveSigningKey(EXAMPLE_SECRET, '20150830', 'us-east-1', 'iam'));
    assert.equal(cache.signingKey('AKID', EXAMPLE_SECRET, '20150830', 'us-east-1', 'iam'), key);
    assert.equal(cache.size, 1);
  });

  test('keys differ by day, region and service', () => {
    const cache = new SigningKeyCache(8);
    const keys = [
      cache.signingKey('AKID', 's', '20240101', 'us-east-1', 'iot'),
      cache.signingKey('AKID', 's', '20240102', 'us-east-1', 'iot'),
      cache.signingKey('AKID', 's', '20240101', 'eu-west-1', 'iot'),
      cache.signingKey('AKID', 's', '20240101', 'us-east-1', 'iam'),
    ].map((key) => key.toString('hex'));
    assert.equal(new Set(keys).size, 4);
  });

  test('is bounded, evicting the least recently used entry', () => {
    const cache = new SigningKeyCache(3);
    const first = cache.signingKey('A', 's', '20240101', 'r', 'iot');
    cache.signingKey('B', 's', '20240101', 'r', 'iot');
    cache.signingKey('C', 's', '20240101', 'r', 'iot');
    // A is used again, so B is now the oldest.
    assert.equal(cache.signingKey('A', 's', '20240101', 'r', 'iot'), first);
    for (let i = 0; i < 100; i++) cache.signingKey(`K${i}`, 's', '20240101', 'r', 'iot');
    assert.equal(cache.size, 3);
  });

  test('a secret that changed for the same access key id is derived again', () => {
    const cache = new SigningKeyCache(4);
    const before = cache.signingKey('AKID', 'old', '20240101', 'r', 'iot');
    const after = cache.signingKey('AKID', 'new', '20240101', 'r', 'iot');
    assert.notDeepEqual(after, before);
    assert.deepEqual(after, deriveSigningKey('new', '20240101', 'r', 'iot'));
    assert.equal(cache.size, 1);
  });
});
