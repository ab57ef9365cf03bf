import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeviceConnection } from '../../../src/domain/devices/device-connection.js';
import type { Scope } from '../../../src/domain/scope.js';
import type { ConnectInfo } from '../../../src/server/mqtt/broker/broker.js';
import { admittedConnection, ConnectionDirectory } from '../../../src/server/mqtt/connection-directory.js';

const SCOPE: Scope = { accountId: '123456789012', region: 'us-east-1' };
const OTHER_ACCOUNT: Scope = { accountId: '210987654321', region: 'us-east-1' };
const OTHER_REGION: Scope = { accountId: '123456789012', region: 'eu-west-1' };
const CERT_A = 'a'.repeat(64);
const CERT_B = 'b'.repeat(64);

function connection(clientId: string, certificateId = CERT_A, connectedAt = 1_000): DeviceConnection {
  return { clientId, certificateId, connectedAt, protocolVersion: '3.1.1', cleanSession: true, keepAlive: 30 };
}

const clientIds = (connections: readonly DeviceConnection[]) => connections.map((c) => c.clientId);

describe('ConnectionDirectory', () => {
  it('pages a scope in admission order; the last page has no next position', () => {
    const directory = new ConnectionDirectory();
    for (let i = 0; i < 5; i++) directory.add(i, SCOPE, connection(`device-${i}`));
    const first = directory.list(SCOPE, { limit: 2 });
    assert.deepEqual(clientIds(first.connections), ['device-0', 'device-1']);
    assert.equal(first.total, 5);
    assert.notEqual(first.next, undefined);
    const second = directory.list(SCOPE, { limit: 2, after: first.next });
    assert.deepEqual(clientIds(second.connections), ['device-2', 'device-3']);
    const third = directory.list(SCOPE, { limit: 2, after: second.next });
    assert.deepEqual(clientIds(third.connections), ['device-4']);
    assert.equal(third.next, undefined);
    // A page that ends exactly at the end says so too.
    assert.equal(directory.list(SCOPE, { limit: 5 }).next, undefined);
  });

  it('keeps its place when connections before or after the marker close, and lists newcomers last', () => {
    const directory = new ConnectionDirectory();
    for (let i = 0; i < 4; i++) directory.add(i, SCOPE, connection(`device-${i}`));
    const first = directory.list(SCOPE, { limit: 2 });
    directory.remove(1);
    directory.remove(2);
    directory.add(9, SCOPE, connection('device-9'));
    const rest = directory.list(SCOPE, { limit: 10, after: first.next });
    assert.deepEqual(clientIds(rest.connections), ['device-3', 'device-9']);
    assert.equal(rest.total, 3);
  });

  it('lists only the connections of the scope asked for', () => {
    const directory = new ConnectionDirectory();
    directory.add(1, SCOPE, connection('mine'));
    directory.add(2, OTHER_ACCOUNT, connection('other-account'));
    directory.add(3, OTHER_REGION, connection('other-region'));
    for (const [scope, expected] of [
      [SCOPE, ['mine']],
      [OTHER_ACCOUNT, ['other-account']],
      [OTHER_REGION, ['other-region']],
    ] as const) {
      const page = directory.list(scope, { limit: 10 });
      assert.deepEqual(clientIds(page.connections), expected);
      assert.equal(page.total, 1);
    }
    assert.deepEqual(directory.list({ accountId: '111111111111', region: 'us-east-1' }, { limit: 10 }), {
      connections: [],
      total: 0,
    });
  });

  it("filters by certificate, pages the filter, and still counts the scope's total", () => {
    const directory = new ConnectionDirectory();
    directory.add(1, SCOPE, connection('a-1', CERT_A));
    directory.add(2, SCOPE, connection('b-1', CERT_B));
    directory.add(3, SCOPE, connection('a-2', CERT_A));
    directory.add(4, SCOPE, connection('a-3', CERT_A));
    directory.add(5, OTHER_ACCOUNT, connection('b-other', CERT_B));
    const first = directory.list(SCOPE, { certificateId: CERT_A, limit: 2 });
    assert.deepEqual(clientIds(first.connections), ['a-1', 'a-2']);
    assert.equal(first.total, 4);
    const second = directory.list(SCOPE, { certificateId: CERT_A, limit: 2, after: first.next });
    assert.deepEqual(clientIds(second.connections), ['a-3']);
    assert.equal(second.next, undefined);
    assert.deepEqual(clientIds(directory.list(SCOPE, { certificateId: CERT_B, limit: 9 }).connections), ['b-1']);
    assert.deepEqual(directory.list(SCOPE, { certificateId: 'c'.repeat(64), limit: 9 }).connections, []);
  });

  it('forgets a closed connection once; removing an unknown or already removed one changes nothing', () => {
    const directory = new ConnectionDirectory();
    directory.add(1, SCOPE, connection('a-1', CERT_A));
    directory.add(2, SCOPE, connection('a-2', CERT_A));
    directory.remove(1);
    directory.remove(1);
    directory.remove(42);
    assert.deepEqual(clientIds(directory.list(SCOPE, { certificateId: CERT_A, limit: 9 }).connections), ['a-2']);
    directory.remove(2);
    assert.deepEqual(directory.list(SCOPE, { certificateId: CERT_A, limit: 9 }), { connections: [], total: 0 });
  });

  it('a connection id admitted again (a new CONNECT on the same broker id) replaces its record', () => {
    const directory = new ConnectionDirectory();
    directory.add(1, SCOPE, connection('first'));
    directory.add(1, OTHER_ACCOUNT, connection('second'));
    assert.equal(directory.list(SCOPE, { limit: 9 }).total, 0);
    assert.deepEqual(clientIds(directory.list(OTHER_ACCOUNT, { limit: 9 }).connections), ['second']);
  });
});

describe('admittedConnection', () => {
  const connect = (over: Partial<ConnectInfo>): ConnectInfo => ({
    clientId: 'thermostat-7',
    protocolVersion: 4,
    cleanStart: true,
    keepAlive: 60,
    hasWill: false,
    persistentSession: false,
    ...over,
  });

  it('names the protocol level, keeps the clean flag and the keep alive held, and the plain IPv4 address', () => {
    assert.deepEqual(admittedConnection(connect({}), CERT_A, '::ffff:192.0.2.7', 1_234), {
      clientId: 'thermostat-7',
      certificateId: CERT_A,
      connectedAt: 1_234,
      remoteAddress: '192.0.2.7',
      protocolVersion: '3.1.1',
      cleanSession: true,
      keepAlive: 60,
    });
    const v3 = admittedConnection(connect({ protocolVersion: 3, cleanStart: false, keepAlive: 0 }), CERT_A, '::1', 0);
    assert.deepEqual(
      [v3.protocolVersion, v3.cleanSession, v3.keepAlive, v3.remoteAddress],
      ['3.1', false, 1200, '::1'],
    );
    const v5 = admittedConnection(connect({ protocolVersion: 5, keepAlive: 5000 }), CERT_A, undefined, 0);
    assert.deepEqual([v5.protocolVersion, v5.keepAlive, 'remoteAddress' in v5], ['5', 1200, false]);
  });
});
