import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type SendOptions, send, startTestServer, type TestServer } from './http-support.js';

const NOT_AFTER_2049 = Date.parse('2049-12-31T23:59:59Z') / 1000;

interface Found {
  certificateId: string;
  certificateArn: string;
  status: string;
  creationDate: number;
  validity: { notBefore: number; notAfter: number };
}

/** fleetca's own operations over REST: signed like the IoT API, answered in its encoding, refused in its shape. */
describe('REST /fleetca/ routes', () => {
  let server: TestServer;
  const ids: string[] = [];
  let startedAt = 0;

  before(async () => {
    server = await startTestServer();
    startedAt = Date.now();
    for (const setAsActive of ['true', 'true', 'false']) {
      const created = await send(server, { method: 'POST', path: '/keys-and-certificate', query: { setAsActive } });
      assert.equal(created.status, 200, created.body);
      ids.push((created.json as { certificateId: string }).certificateId);
    }
  });
  after(() => server.close());

  test('GET /fleetca/certificates: filters from the query string, pages behind markers, epoch-second dates', async () => {
    const first = await send(server, {
      method: 'GET',
      path: '/fleetca/certificates',
      query: { status: 'ACTIVE', pageSize: '1', createdAfter: new Date(startedAt - 60_000).toISOString() },
    });
    assert.equal(first.status, 200, first.body);
    const page = first.json as { certificates: Found[]; nextMarker?: string };
    assert.equal(page.certificates.length, 1);
    const [found] = page.certificates as [Found];
    // Newest first: the second certificate made.
    assert.equal(found.certificateId, ids[1]);
    assert.equal(found.status, 'ACTIVE');
    assert.equal(found.certificateArn, `arn:aws:iot:us-east-1:111122223333:cert/${ids[1]}`);
    assert.ok(Math.abs(found.creationDate - startedAt / 1000) < 120, `creationDate ${found.creationDate}`);
    assert.equal(found.validity.notAfter, NOT_AFTER_2049);
    assert.ok(page.nextMarker);

    const second = await send(server, {
      method: 'GET',
      path: '/fleetca/certificates',
      query: {
        status: 'ACTIVE',
        pageSize: '1',
        createdAfter: new Date(startedAt - 60_000).toISOString(),
        marker: page.nextMarker,
      },
    });
    assert.equal(second.status, 200, second.body);
    const rest = second.json as { certificates: Found[]; nextMarker?: string };
    assert.deepEqual(
      rest.certificates.map((c) => c.certificateId),
      [ids[0]],
    );
    assert.equal(rest.nextMarker, undefined);

    const byPrefix = await send(server, {
      method: 'GET',
      path: '/fleetca/certificates',
      query: { idPrefix: (ids[2] as string).slice(0, 6), sortBy: 'CERTIFICATE_ID', ascendingOrder: 'true' },
    });
    assert.deepEqual(
      (byPrefix.json as { certificates: Found[] }).certificates.map((c) => [c.certificateId, c.status]),
      [[ids[2], 'INACTIVE']],
    );
  });

  test('GET /fleetca/certificate-statistics: counts, hourly buckets from since (ISO 8601), epoch-second starts', async () => {
    const since = new Date(startedAt - 3_600_000).toISOString();
    const reply = await send(server, {
      method: 'GET',
      path: '/fleetca/certificate-statistics',
      query: { interval: 'HOUR', since, expiringWithinDays: '7' },
    });
    assert.equal(reply.status, 200, reply.body);
    const body = reply.json as {
      total: number;
      countsByStatus: { status: string; count: number }[];
      issuance: { start: number; count: number }[];
      interval: string;
      expiringSoon: number;
      expired: number;
    };
    assert.deepEqual(Object.keys(body), ['total', 'countsByStatus', 'issuance', 'interval', 'expiringSoon', 'expired']);
    assert.equal(body.total, 3);
    assert.deepEqual(body.countsByStatus.slice(0, 2), [
      { status: 'ACTIVE', count: 2 },
      { status: 'INACTIVE', count: 1 },
    ]);
    assert.equal(body.interval, 'HOUR');
    assert.ok(body.issuance.length === 2 || body.issuance.length === 3, `${body.issuance.length} buckets`);
    for (const bucket of body.issuance) assert.equal(bucket.start % 3600, 0);
    assert.equal(
      body.issuance.reduce((sum, bucket) => sum + bucket.count, 0),
      3,
    );
    assert.deepEqual([body.expiringSoon, body.expired], [0, 0]);
  });

  test("refusals are the IoT API's: invalid input 400, unreadable timestamps, unsigned 403, wrong method 405", async () => {
    const cases: { request: Partial<SendOptions>; status: number; code: string; message: RegExp }[] = [
      {
        request: { path: '/fleetca/certificate-statistics', query: { since: '2020-01-01T00:00:00Z' } },
        status: 400,
        code: 'InvalidRequestException',
        message: /since \(2020-01-01T00:00:00\.000Z\) is too far back: it spans \d+ DAY buckets/,
      },
      {
        request: { path: '/fleetca/certificates', query: { pageSize: '251' } },
        status: 400,
        code: 'InvalidRequestException',
        message: /pageSize.*less than or equal to 250/,
      },
      {
        request: { path: '/fleetca/certificates', query: { createdBefore: 'yesterday' } },
        status: 400,
        code: 'SerializationException',
        message: /'yesterday' at 'createdBefore' cannot be read as an ISO 8601 date/,
      },
      {
        request: { path: '/fleetca/certificates', sign: false },
        status: 403,
        code: 'MissingAuthenticationTokenException',
        message: /./,
      },
      {
        request: { path: '/fleetca/certificates', method: 'POST' },
        status: 405,
        code: 'MethodNotAllowedException',
        message: /./,
      },
    ];
    for (const { request, status, code, message } of cases) {
      const reply = await send(server, { method: 'GET', path: '/', ...request });
      assert.equal(reply.status, status, reply.body);
      assert.equal(reply.headers['x-amzn-errortype'], code, reply.body);
      assert.match((reply.json as { message: string }).message, message);
    }
  });
});
