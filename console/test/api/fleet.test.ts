import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { FleetClient } from '../../src/api/fleet.js';

const credentials = { accessKeyId: 'AKIAFLEETCATEST00002', secretAccessKey: 'secret', region: 'us-east-1' };
const id = 'cd'.repeat(32);
const requests: URL[] = [];
let server: Server;
let fleet: FleetClient;

/** Answers as the contract shapes them: epoch seconds in bodies. */
const answers: Record<string, unknown> = {
  '/fleetca/certificates': {
    certificates: [
      {
        certificateId: id,
        certificateArn: `arn:aws:iot:us-east-1:111122223333:cert/${id}`,
        status: 'ACTIVE',
        certificateMode: 'DEFAULT',
        creationDate: 1796688000.5,
        validity: { notBefore: 1796687880, notAfter: 2524607999 },
      },
    ],
    nextMarker: 'next-1',
  },
  '/fleetca/certificate-statistics': {
    total: 3,
    countsByStatus: [
      { status: 'ACTIVE', count: 2 },
      { status: 'INACTIVE', count: 1 },
    ],
    issuance: [
      { start: 1796601600, count: 1 },
      { start: 1796688000, count: 2 },
    ],
    interval: 'DAY',
    expiringSoon: 1,
    expired: 0,
  },
  '/fleetca/device-connections': {
    connections: [
      {
        clientId: 'sensor-1',
        certificateId: id,
        connectedAt: 1796688100,
        remoteAddress: '127.0.0.1:50000',
        protocolVersion: '5',
        cleanSession: true,
        keepAlive: 60,
      },
    ],
    total: 7,
  },
  [`/fleetca/certificates/${id}/chain`]: {
    chain: [
      {
        certificatePem: 'PEM1',
        subject: 'CN=AWS IoT Certificate',
        issuer: 'CN=issuing',
        notBefore: 1,
        notAfter: 2,
        role: 'certificate',
      },
      {
        certificatePem: 'PEM2',
        subject: 'CN=issuing',
        issuer: 'CN=root',
        notBefore: 1,
        notAfter: 2,
        role: 'issuing-ca',
      },
    ],
    verification: { valid: false, problems: ['The certificate is INACTIVE.'] },
  },
};

before(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    requests.push(url);
    const answer = answers[url.pathname];
    response.writeHead(answer ? 200 : 404, {
      'content-type': 'application/json',
      ...(answer ? {} : { 'x-amzn-ErrorType': 'UnknownOperationException' }),
    });
    response.end(JSON.stringify(answer ?? { message: 'no such operation' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fleet = new FleetClient({ credentials, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('SearchCertificates: members in the query (timestamps ISO-8601), dates read from epoch seconds', async () => {
  const answer = await fleet.searchCertificates({
    status: 'ACTIVE',
    createdAfter: new Date('2026-12-01T00:00:00Z'),
    sortBy: 'NOT_AFTER',
    ascendingOrder: false,
    pageSize: 10,
    marker: 'm0',
  });
  const query = requests.at(-1)?.searchParams;
  assert.equal(query?.get('status'), 'ACTIVE');
  assert.equal(query?.get('createdAfter'), '2026-12-01T00:00:00.000Z');
  assert.equal(query?.get('ascendingOrder'), 'false');
  assert.equal(query?.get('pageSize'), '10');
  assert.equal(query?.get('marker'), 'm0');
  assert.equal(query?.has('idPrefix'), false);
  assert.equal(answer.nextMarker, 'next-1');
  const [first] = answer.certificates;
  assert.equal(first?.certificateId, id);
  assert.equal(first?.creationDate?.toISOString(), '2026-12-08T00:00:00.500Z');
  assert.equal(first?.validity?.notAfter?.toISOString(), '2049-12-31T23:59:59.000Z');
});

test('GetCertificateStatistics, ListDeviceConnections and DescribeCertificateChain read their shapes', async () => {
  const stats = await fleet.getCertificateStatistics({ interval: 'HOUR', expiringWithinDays: 7 });
  assert.equal(requests.at(-1)?.searchParams.get('interval'), 'HOUR');
  assert.equal(requests.at(-1)?.searchParams.get('expiringWithinDays'), '7');
  assert.equal(stats.total, 3);
  assert.equal(stats.issuance[1]?.start.toISOString(), '2026-12-08T00:00:00.000Z');
  assert.equal(stats.interval, 'DAY');
  const connections = await fleet.listDeviceConnections({ certificateId: id, pageSize: 1 });
  assert.equal(requests.at(-1)?.searchParams.get('certificateId'), id);
  assert.equal(connections.total, 7);
  assert.equal(connections.nextMarker, undefined);
  assert.equal(connections.connections[0]?.keepAlive, 60);
  const chain = await fleet.describeCertificateChain(id);
  assert.equal(requests.at(-1)?.pathname, `/fleetca/certificates/${id}/chain`);
  assert.deepEqual(
    chain.chain.map((link) => link.role),
    ['certificate', 'issuing-ca'],
  );
  assert.deepEqual(chain.verification, { valid: false, problems: ['The certificate is INACTIVE.'] });
});

test('an operation the server does not have is an UnknownOperationException', async () => {
  await assert.rejects(fleet.describeCertificateChain('ff'), { name: 'UnknownOperationException', httpStatus: 404 });
});
