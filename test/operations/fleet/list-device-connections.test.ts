import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DeviceConnection } from '../../../src/domain/devices/device-connection.js';
import { ListDeviceConnections } from '../../../src/model/fleet-devices.js';
import { ConnectionDirectory } from '../../../src/server/mqtt/connection-directory.js';
import { OTHER_ACCOUNT, OTHER_REGION, openTestService, SCOPE, type TestService } from '../operation-context.js';

const CERT_A = 'a'.repeat(64);
const CERT_B = 'b'.repeat(64);

function connection(clientId: string, certificateId: string, connectedAt: number): DeviceConnection {
  return {
    clientId,
    certificateId,
    connectedAt,
    remoteAddress: '192.0.2.1',
    protocolVersion: '5',
    cleanSession: false,
    keepAlive: 30,
  };
}

type Listed = { connections: DeviceConnection[]; total: number; nextMarker?: string };

describe('ListDeviceConnections', () => {
  const directory = new ConnectionDirectory();
  let service: TestService;

  before(async () => {
    service = await openTestService('fleetca-connections-', { deviceConnections: directory });
    for (let i = 0; i < 7; i++) directory.add(i, SCOPE, connection(`a-${i}`, i % 2 === 0 ? CERT_A : CERT_B, 1000 + i));
    directory.add(100, OTHER_ACCOUNT, connection('other-account', CERT_A, 2000));
    directory.add(101, OTHER_REGION, connection('other-region', CERT_A, 2001));
  });
  after(() => service.close());

  const list = async (input: Record<string, unknown>, scope = SCOPE) =>
    (await service.call(ListDeviceConnections, input, scope)) as unknown as Listed;

  test('pages with an opaque marker, oldest first, each page with the total; none after the last', async () => {
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await list({ pageSize: 3, ...(marker && { marker }) });
      assert.equal(page.total, 7);
      assert.ok(page.connections.length <= 3);
      seen.push(...page.connections.map((c) => c.clientId));
      marker = page.nextMarker;
      if (marker) assert.match(marker, /^[A-Za-z0-9+/]+={0,2}$/);
      pages++;
    } while (marker);
    assert.equal(pages, 3);
    assert.deepEqual(seen, ['a-0', 'a-1', 'a-2', 'a-3', 'a-4', 'a-5', 'a-6']);
    const first = (await list({})).connections[0];
    assert.deepEqual(first, connection('a-0', CERT_A, 1000));
  });

  test('50 to a page by default', async () => {
    const page = await list({});
    assert.equal(page.connections.length, 7);
    assert.equal(page.nextMarker, undefined);
  });

  test("filters by certificate; the total stays the account and region's", async () => {
    const page = await list({ certificateId: CERT_B, pageSize: 2 });
    assert.deepEqual(
      page.connections.map((c) => c.clientId),
      ['a-1', 'a-3'],
    );
    assert.equal(page.total, 7);
    const rest = await list({ certificateId: CERT_B, pageSize: 2, marker: page.nextMarker });
    assert.deepEqual(
      rest.connections.map((c) => c.clientId),
      ['a-5'],
    );
    assert.deepEqual(await list({ certificateId: 'c'.repeat(64) }), { connections: [], total: 7 });
  });

  test("another account's or region's connections are never listed", async () => {
    const other = await list({}, OTHER_ACCOUNT);
    assert.deepEqual(
      other.connections.map((c) => c.clientId),
      ['other-account'],
    );
    assert.equal(other.total, 1);
    assert.deepEqual(
      (await list({ certificateId: CERT_A }, OTHER_REGION)).connections.map((c) => c.clientId),
      ['other-region'],
    );
    assert.deepEqual(await list({}, { accountId: '999999999999', region: 'us-east-1' }), {
      connections: [],
      total: 0,
    });
  });

  test('a marker that is not one of ours, a bad page size or a bad id is InvalidRequestException', async () => {
    for (const marker of ['bm90LWEtbWFya2Vy', Buffer.from('d1:x').toString('base64')]) {
      const failure = await service.failure(ListDeviceConnections, { marker });
      assert.equal(failure.code, 'InvalidRequestException');
      assert.equal(failure.message, `The marker is not valid: ${marker}`);
    }
    const tooBig = await service.failure(ListDeviceConnections, { pageSize: 251 });
    assert.match(
      tooBig.message,
      /Value '251' at 'pageSize' failed to satisfy constraint: Member must have value less than or equal to 250/,
    );
    const badId = await service.failure(ListDeviceConnections, { certificateId: 'nope' });
    assert.equal(badId.code, 'InvalidRequestException');
    assert.match(badId.message, /Value 'nope' at 'certificateId'/);
  });
});

describe('ListDeviceConnections without a device door', () => {
  test('locally (no server): InvalidRequestException that says to ask a server with --endpoint-url', async () => {
    const service = await openTestService('fleetca-connections-local-');
    try {
      const failure = await service.failure(ListDeviceConnections, {});
      assert.equal(failure.code, 'InvalidRequestException');
      assert.equal(failure.status, 400);
      assert.match(failure.message, /running fleetca serve with its device endpoint: ask it with --endpoint-url/);
    } finally {
      await service.close();
    }
  });

  test('on a server without its device endpoint: InvalidRequestException that says it is not enabled', async () => {
    const service = await openTestService('fleetca-connections-no-mqtt-', { deviceConnections: null });
    try {
      const failure = await service.failure(ListDeviceConnections, {});
      assert.equal(failure.code, 'InvalidRequestException');
      assert.match(failure.message, /^The device endpoint is not enabled on this server \(fleetca serve --no-mqtt\)/);
    } finally {
      await service.close();
    }
  });
});
