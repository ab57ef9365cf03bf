import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { ApiError } from '../../src/api/errors.js';
import { signedGetJson } from '../../src/api/signed-fetch.js';

const credentials = { accessKeyId: 'AKIAFLEETCATEST00001', secretAccessKey: 'c2VjcmV0LXNlY3JldA', region: 'eu-west-1' };

/**
 * Verifies a request as a server does: rebuilds it from what arrived on the wire (path, decoded query, headers),
 * signs that again at the request's own date and compares the signatures.
 */
async function signatureMatches(request: IncomingMessage): Promise<boolean> {
  const url = new URL(request.url ?? '/', 'http://placeholder');
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = value;
  const authorization = String(request.headers.authorization ?? '');
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) headers[name] = String(request.headers[name] ?? '');
  const amzDate = String(request.headers['x-amz-date']);
  const date = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const signer = new SignatureV4({ service: 'iot', region: credentials.region, credentials, sha256: Sha256 });
  const again = await signer.sign(
    { method: request.method ?? 'GET', protocol: 'http:', hostname: 'x', path: url.pathname, query, headers },
    { signingDate: date },
  );
  return again.headers.authorization === authorization;
}

let server: Server;
let endpoint: string;
const seen: { url: string; valid: boolean; scope: string }[] = [];

before(async () => {
  server = createServer(async (request, response) => {
    const valid = await signatureMatches(request);
    const scope = /Credential=[^/]+\/\d{8}\/([^,]+),/.exec(String(request.headers.authorization))?.[1] ?? '';
    seen.push({ url: request.url ?? '', valid, scope });
    if (request.url?.startsWith('/fleetca/missing')) {
      response.writeHead(404, {
        'x-amzn-ErrorType': 'ResourceNotFoundException:http://internal',
        'content-type': 'application/json',
      });
      response.end(JSON.stringify({ message: 'The certificate does not exist.' }));
      return;
    }
    if (request.url?.startsWith('/fleetca/broken')) {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<html>bad gateway</html>');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ ok: true, valid }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('the GET is signed for iot in the session region, with a query that verifies as sent', async () => {
  const marker = 'a+b/c=d e!*()';
  const body = await signedGetJson({ credentials, endpoint }, '/fleetca/certificates', {
    status: 'ACTIVE',
    marker,
    createdAfter: '2026-12-01T00:00:00.000Z',
    idPrefix: undefined,
    caCertificateId: '',
  });
  assert.deepEqual(body, { ok: true, valid: true });
  const last = seen.at(-1);
  assert.equal(last?.valid, true);
  assert.equal(last?.scope, 'eu-west-1/iot/aws4_request');
  assert.ok(!last?.url.includes('idPrefix') && !last?.url.includes('caCertificateId'), 'absent members are not sent');
  assert.match(last?.url ?? '', /marker=a%2Bb%2Fc%3Dd%20e%21%2A%28%29/);
});

test('errors become ApiError from x-amzn-ErrorType and the message', async () => {
  await assert.rejects(signedGetJson({ credentials, endpoint }, '/fleetca/missing'), (error: unknown) => {
    assert.ok(error instanceof ApiError);
    assert.equal(error.code, 'ResourceNotFoundException');
    assert.equal(error.httpStatus, 404);
    assert.equal(error.message, 'The certificate does not exist.');
    return true;
  });
  await assert.rejects(signedGetJson({ credentials, endpoint }, '/fleetca/broken'), (error: unknown) => {
    assert.ok(error instanceof ApiError);
    assert.equal(error.code, 'HTTP502');
    assert.equal(error.httpStatus, 502);
    return true;
  });
});

test('a server that cannot be reached is a network failure (TypeError), as in the browser', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  await assert.rejects(signedGetJson({ credentials, endpoint: `http://127.0.0.1:${port}` }, '/fleetca/x'), TypeError);
});
