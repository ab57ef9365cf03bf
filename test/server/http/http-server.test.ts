import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { ServiceError } from '../../../src/errors.js';
import { IOT_MODELS } from '../../../src/operations/iot-models.js';
import type { Authenticator } from '../../../src/server/auth/authenticator.js';
import { listen } from '../../../src/server/http/http-server.js';
import { createRestHandler } from '../../../src/server/http/request-handler.js';
import { createLogger } from '../../../src/server/logging/logger.js';
import { EVENTUALLY_MS } from '../../helpers/eventually.js';
import { makeEcCsr } from '../../helpers/run-cli.js';
import {
  ACCOUNT_ID,
  logRecords,
  REQUEST_ID,
  type Reply,
  rawExchange,
  send,
  startTestServer,
  type TestServer,
  UNKNOWN_ID,
} from './http-support.js';

function assertAwsShape(reply: Reply, status: number) {
  assert.equal(reply.status, status, reply.body);
  assert.match(String(reply.headers['x-amzn-requestid']), REQUEST_ID);
  assert.equal(reply.headers['content-type'], 'application/json');
}

describe('fleetca REST server', () => {
  let server: TestServer;
  let csr: string;

  before(async () => {
    server = await startTestServer({ logLevel: 'debug' });
    csr = await readFile(await makeEcCsr(server.home, 'rest-device'), 'utf8');
  });
  after(() => server.close());

  test('health answers without credentials, in JSON, with a request id', async () => {
    const reply = await send(server, { method: 'GET', path: '/_fleetca/health', sign: false });
    assertAwsShape(reply, 200);
    assert.deepEqual(reply.json, { status: 'ok', checks: { registry: { status: 'ok' } } });
  });

  test('CreateKeysAndCertificate: compact JSON in model order, the account and region of the signature', async () => {
    const reply = await send(server, { method: 'POST', path: '/keys-and-certificate', query: { setAsActive: 'true' } });
    assertAwsShape(reply, 200);
    assert.ok(!reply.body.includes(' '.repeat(2)) && reply.body.startsWith('{"certificateArn":'), 'compact JSON');
    const created = reply.json as {
      certificateArn: string;
      certificateId: string;
      certificatePem: string;
      keyPair: { PublicKey: string; PrivateKey: string };
    };
    assert.deepEqual(Object.keys(created), ['certificateArn', 'certificateId', 'certificatePem', 'keyPair']);
    const cert = new X509Certificate(created.certificatePem);
    assert.equal(created.certificateId, createHash('sha256').update(cert.raw).digest('hex'));
    assert.equal(created.certificateArn, `arn:aws:iot:us-east-1:${ACCOUNT_ID}:cert/${created.certificateId}`);
    assert.match(created.keyPair.PrivateKey, /^-----BEGIN RSA PRIVATE KEY-----\n/);

    // The private key went to the client and nowhere else: not even a debug log line holds it.
    const keyBody = created.keyPair.PrivateKey.split('\n')[1] as string;
    const logs = server.logs.join('');
    assert.ok(!logs.includes(keyBody), 'no line of the private key in the logs');
    assert.ok(!logs.includes('BEGIN RSA PRIVATE KEY'), 'no private key PEM in the logs');
    const debug = logRecords(server).find((r) => r.operation === 'CreateKeysAndCertificate' && r.output);
    assert.ok(debug, 'a debug line with the output');
    const logged = (debug.output as { keyPair: { PublicKey: string; PrivateKey: string } }).keyPair;
    assert.equal(logged.PublicKey, created.keyPair.PublicKey, 'the debug line shows the output');
    assert.match(logged.PrivateKey, /^(\[Redacted\]|\*\*\*SensitiveInformation\*\*\*)$/, 'with the key censored');
  });

  test('an empty body and {} are both accepted for body-less POSTs', async () => {
    for (const body of ['', '{}']) {
      const reply = await send(server, {
        method: 'POST',
        path: '/keys-and-certificate',
        body,
        headers: body ? { 'content-type': 'application/json' } : {},
      });
      assertAwsShape(reply, 200);
    }
  });

  test('DescribeCertificate renders timestamps as epoch seconds with the millisecond fraction', async () => {
    const created = await send(server, {
      method: 'POST',
      path: '/certificates',
      body: JSON.stringify({ certificateSigningRequest: csr }),
      headers: { 'content-type': 'application/json' },
    });
    assertAwsShape(created, 200);
    const { certificateId } = created.json as { certificateId: string };
    const before = Date.now();
    const reply = await send(server, { method: 'GET', path: `/certificates/${certificateId}` });
    assertAwsShape(reply, 200);
    const d = (reply.json as { certificateDescription: Record<string, unknown> }).certificateDescription;
    assert.equal(typeof d.creationDate, 'number');
    assert.ok((d.creationDate as number) < before / 1000 + 1 && (d.creationDate as number) > before / 1000 - 60);
    assert.match(/"creationDate":([0-9.]+)/.exec(reply.body)?.[1] ?? '', /^\d{10}(\.\d{1,3})?$/);
    assert.deepEqual(d.validity, {
      notBefore: Math.floor((d.creationDate as number) - 120),
      notAfter: 2524607999,
    });
    assert.deepEqual(d.transferData, {});
    assert.equal(d.ownedBy, ACCOUNT_ID);
    assert.equal(d.caCertificateId, undefined, 'absent members are left out, not null');
  });

  test('UpdateCertificate and DeleteCertificate answer 200 with an empty body', async () => {
    const created = await send(server, { method: 'POST', path: '/keys-and-certificate' });
    const { certificateId } = created.json as { certificateId: string };
    const path = `/certificates/${certificateId}`;
    const updated = await send(server, { method: 'PUT', path, query: { newStatus: 'REVOKED' } });
    assertAwsShape(updated, 200);
    assert.equal(updated.body, '');
    assert.equal(updated.headers['content-length'], '0');
    const deleted = await send(server, { method: 'DELETE', path });
    assertAwsShape(deleted, 200);
    assert.equal(deleted.body, '');
    const gone = await send(server, { method: 'GET', path });
    assertAwsShape(gone, 404);
    assert.equal(gone.headers['x-amzn-errortype'], 'ResourceNotFoundException');
    assert.deepEqual(gone.json, { message: 'The specified resource does not exist' });
  });

  test('each region of the credential scope is its own registry', async () => {
    const created = await send(server, { method: 'POST', path: '/keys-and-certificate', region: 'eu-west-1' });
    const { certificateId, certificateArn } = created.json as Record<string, string>;
    assert.equal(certificateArn, `arn:aws:iot:eu-west-1:${ACCOUNT_ID}:cert/${certificateId}`);
    assert.equal((await send(server, { method: 'GET', path: `/certificates/${certificateId}` })).status, 404);
    const there = await send(server, { method: 'GET', path: `/certificates/${certificateId}`, region: 'eu-west-1' });
    assert.equal(there.status, 200);
  });

  test('ListCertificates pages with pageSize and marker, isAscendingOrder on the wire', async () => {
    const seen: string[] = [];
    let marker: string | undefined;
    do {
      const reply = await send(server, {
        method: 'GET',
        path: '/certificates',
        query: { pageSize: '2', isAscendingOrder: 'true', ...(marker ? { marker } : {}) },
      });
      assertAwsShape(reply, 200);
      const page = reply.json as {
        certificates: { certificateId: string; creationDate: number }[];
        nextMarker?: string;
      };
      assert.ok(page.certificates.length <= 2);
      seen.push(...page.certificates.map((c) => c.certificateId));
      marker = page.nextMarker;
    } while (marker);
    assert.ok(seen.length >= 3);
    assert.equal(new Set(seen).size, seen.length);
  });

  test('one log line per request: method, path without the query, status, duration, request id, account', async () => {
    const reply = await send(server, { method: 'GET', path: `/certificates/${UNKNOWN_ID}`, query: { secret: 'x' } });
    const requestId = reply.headers['x-amzn-requestid'];
    const lines = logRecords(server).filter((r) => r.reqId === requestId && r.status !== undefined);
    assert.equal(lines.length, 1);
    const line = lines[0] as Record<string, unknown>;
    assert.equal(line.level, 'info');
    assert.equal(line.method, 'GET');
    assert.equal(line.path, `/certificates/${UNKNOWN_ID}`);
    assert.equal(line.status, 404);
    assert.equal(typeof line.durationMs, 'number');
    assert.equal(line.accountId, ACCOUNT_ID);
    assert.equal(line.operation, 'DescribeCertificate');
    assert.equal(line.errorCode, 'ResourceNotFoundException');
    assert.equal(line.err, undefined, 'no stack for a client error');
    assert.ok(!server.logs.join('').includes('Signature='), 'no Authorization header in the logs');
  });

  test('a declared body above the limit is refused at once, without reading it, and the connection closes', async () => {
    const reply = await rawExchange(server.port, [
      'POST /certificates HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n{"cert',
    ]);
    assert.equal(reply.status, 413);
    assert.equal(reply.headers['x-amzn-errortype'], 'RequestEntityTooLargeException');
    assert.equal(reply.headers.connection, 'close');
    assert.match(reply.headers['x-amzn-requestid'] ?? '', REQUEST_ID);
    assert.deepEqual(JSON.parse(reply.body), { message: 'The request body exceeds the limit of 262144 bytes' });
    assert.ok(reply.closed, 'the server closed the connection');
  });

  test('a chunked body is refused as soon as it passes the limit', async () => {
    const chunk = 'x'.repeat(64 * 1024);
    const frame = `${(chunk.length).toString(16)}\r\n${chunk}\r\n`;
    const reply = await rawExchange(
      server.port,
      ['POST /certificates HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n', ...Array(5).fill(frame)],
      3_000,
      20,
    );
    assert.equal(reply.status, 413);
    assert.equal(reply.headers['x-amzn-errortype'], 'RequestEntityTooLargeException');
  });

  test('Expect: 100-continue gets no 100 for a body that is too large, and a 100 for one that is not', async () => {
    const refused = await rawExchange(server.port, [
      'POST /certificates HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 999999\r\n\r\n',
    ]);
    assert.equal(refused.status, 413);
    assert.ok(!refused.text.includes('100 Continue'));
    const accepted = await rawExchange(
      server.port,
      ['POST /certificates HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n', '{}'],
      1_000,
      200,
    );
    assert.ok(accepted.text.startsWith('HTTP/1.1 100 Continue\r\n'), accepted.text);
    assert.match(accepted.text, /HTTP\/1\.1 403 Forbidden/, 'then the unsigned request is refused');
  });
});

describe('slow and stalled clients', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ timeouts: { headersMs: 400, requestMs: 800, checkIntervalMs: 100 } });
  });
  after(() => server.close());

  test('headers that never finish are cut off with 408 in the AWS shape', async () => {
    // The client never finishes: only the server's header timeout ends this exchange before the guard.
    const reply = await rawExchange(server.port, ['GET /certificates HTTP/1.1\r\nHost: x\r\n'], EVENTUALLY_MS);
    assert.equal(reply.status, 408);
    assert.equal(reply.headers['x-amzn-errortype'], 'RequestTimeoutException');
    assert.match(reply.headers['x-amzn-requestid'] ?? '', REQUEST_ID);
    assert.equal(JSON.parse(reply.body).message, 'The request was not received in time');
    assert.ok(reply.closed);
  });

  test('a body that stalls is cut off too', async () => {
    const reply = await rawExchange(
      server.port,
      ['POST /certificates HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"certificateSign'],
      EVENTUALLY_MS,
    );
    assert.ok(reply.closed, 'the connection was closed');
    assert.equal(reply.status, 408);
    assert.equal(reply.headers['x-amzn-errortype'], 'RequestTimeoutException');
  });

  test('a connection that never sends a byte is closed as well', async () => {
    const reply = await rawExchange(server.port, [], EVENTUALLY_MS);
    assert.ok(reply.closed);
    assert.equal(reply.status, 408);
  });

  test('the server still answers afterwards', async () => {
    assert.equal((await send(server, { method: 'GET', path: '/_fleetca/health', sign: false })).status, 200);
  });
});

describe('unexpected failures', () => {
  test('become 500 InternalFailureException with nothing internal in the answer, and a stack in the log', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } });
    const authenticator: Authenticator = {
      authenticate: async () => ({ accountId: ACCOUNT_ID, region: 'us-east-1', accessKeyId: 'AKIDTEST' }),
    };
    const handler = createRestHandler({
      operations: IOT_MODELS,
      authenticator,
      logger,
      context: () => {
        throw new TypeError('database password is hunter2');
      },
    });
    const running = await listen({ handler, logger }, '127.0.0.1', 0);
    try {
      const reply = await rawExchange(running.address.port, [
        `GET /certificates/${UNKNOWN_ID} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      ]);
      assert.equal(reply.status, 500);
      assert.equal(reply.headers['x-amzn-errortype'], 'InternalFailureException');
      assert.deepEqual(JSON.parse(reply.body), { message: 'An internal failure occurred.' });
      assert.ok(!reply.text.includes('hunter2'));
      const failure = lines.map((line) => JSON.parse(line)).find((r) => r.msg === 'internal failure');
      assert.match(failure?.err?.stack ?? '', /TypeError: database password is hunter2\n\s+at /);
    } finally {
      await running.close(1_000);
    }
  });

  test('an authenticator that throws something else is a 500 as well, and the server lives on', async () => {
    const logger = createLogger({ level: 'silent' });
    const handler = createRestHandler({
      operations: IOT_MODELS,
      authenticator: {
        authenticate: async () => {
          throw new Error('boom');
        },
      },
      logger,
      context: () => {
        throw new Error('unreachable');
      },
    });
    const running = await listen({ handler, logger }, '127.0.0.1', 0);
    try {
      for (let i = 0; i < 2; i++) {
        const reply = await rawExchange(running.address.port, [
          'GET /certificates HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
        ]);
        assert.equal(reply.status, 500);
      }
      const refused = await rawExchange(running.address.port, [
        'GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      ]);
      assert.equal(refused.status, 404, 'routing happens before authentication');
    } finally {
      await running.close(1_000);
    }
  });

  test('operation errors that are ServiceErrors keep their code', async () => {
    const logger = createLogger({ level: 'silent' });
    const handler = createRestHandler({
      operations: IOT_MODELS,
      authenticator: { authenticate: async () => ({ accountId: ACCOUNT_ID, region: 'us-east-1', accessKeyId: 'A' }) },
      logger,
      context: () => ({}) as never,
      invoke: async () => {
        throw new ServiceError('ThrottlingException', 'Rate exceeded');
      },
    });
    const running = await listen({ handler, logger }, '127.0.0.1', 0);
    try {
      const reply = await rawExchange(
        running.address.port,
        ['POST /keys-and-certificate HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
        1_000,
      );
      assert.equal(reply.status, 400);
      assert.equal(reply.headers['x-amzn-errortype'], 'ThrottlingException');
    } finally {
      await running.close(1_000);
    }
  });
});
