import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CloseReason } from '../../../../src/server/mqtt/broker/broker.js';
import { ReasonCode } from '../../../../src/server/mqtt/broker/reason-codes.js';
import {
  closeOf,
  connectClient,
  nextMessage,
  RawClient,
  startBroker,
  type TestBroker,
  uniqueId,
  until,
} from './broker-support.js';

let broker: TestBroker;
before(async () => {
  broker = await startBroker();
});
after(() => broker.stop());

/** The reason the closed hook was given for the client id's latest admitted connection. */
async function reasonOf(clientId: string): Promise<CloseReason> {
  const connection = broker.connectionOf(clientId);
  assert.ok(connection, `${clientId} was admitted`);
  await until(() => broker.closeReasons.has(connection));
  return broker.closeReasons.get(connection) as CloseReason;
}

describe('the closed hook says why a connection ended', () => {
  for (const protocolVersion of [4, 5] as const) {
    test(`MQTT ${protocolVersion}: DISCONNECT → client-disconnect; a cut stream → connection-lost`, async () => {
      const polite = uniqueId('polite');
      const client = await connectClient(broker.port, protocolVersion, { clientId: polite });
      client.end();
      assert.equal(await reasonOf(polite), 'client-disconnect');

      const rude = uniqueId('rude');
      const cut = await connectClient(broker.port, protocolVersion, { clientId: rude });
      cut.stream.destroy();
      assert.equal(await reasonOf(rude), 'connection-lost');
    });
  }

  test('a second connection of the client id → taken-over for the first', async () => {
    const clientId = uniqueId('twin');
    const first = await connectClient(broker.port, 5, { clientId });
    const firstConnection = broker.connectionOf(clientId);
    const closed = closeOf(first);
    const second = await connectClient(broker.port, 5, { clientId });
    await closed;
    assert.ok(firstConnection);
    await until(() => broker.closeReasons.has(firstConnection));
    assert.equal(broker.closeReasons.get(firstConnection), 'taken-over');
    second.end(true);
  });

  test('a drop with 0x87 → not-authorized; with another code → dropped', async () => {
    const refused = uniqueId('refused');
    await connectClient(broker.port, 5, { clientId: refused });
    broker.connectionOf(refused)?.drop(ReasonCode.NotAuthorized);
    assert.equal(await reasonOf(refused), 'not-authorized');
    const other = uniqueId('other');
    await connectClient(broker.port, 4, { clientId: other });
    broker.connectionOf(other)?.drop();
    assert.equal(await reasonOf(other), 'dropped');
  });

  test('an MQTT 3 PUBLISH refused → not-authorized; a malformed packet → client-error', async () => {
    const publisher = uniqueId('publisher');
    const client = await connectClient(broker.port, 4, { clientId: publisher });
    client.publish('denied/x', 'x');
    assert.equal(await reasonOf(publisher), 'not-authorized');

    const raw = await RawClient.connected(broker.port, 4);
    const connection = broker.closed.length;
    raw.write(Buffer.from([0x30, 0x03, 0x00, 0x05, 0x61]));
    await raw.waitClosed();
    await until(() => broker.closed.length > connection);
    assert.equal(broker.closeReasons.get(broker.closed.at(-1) as never), 'client-error');
  });

  test('keep alive out → keep-alive-timeout', async () => {
    const sleepy = uniqueId('sleepy');
    const raw = await RawClient.connected(broker.port, 4, { clientId: sleepy, keepalive: 1 });
    await raw.waitClosed();
    assert.equal(await reasonOf(sleepy), 'keep-alive-timeout');
  });
});

describe('Broker.publish', () => {
  test('routes a server message to the namespace subscribers, each delivery through the receive hook', async () => {
    const subscriber = await connectClient(broker.port, 4, { username: 'device@events' });
    await subscriber.subscribeAsync(['$aws/events/#', 'unreceivable/#']);
    const elsewhere = await connectClient(broker.port, 4);
    await elsewhere.subscribeAsync('$aws/events/#');
    assert.equal(broker.broker.publish('events', 'unreceivable/x', Buffer.from('no'), 0), 1);
    const received = nextMessage(subscriber, '$aws/events/presence/connected/c');
    assert.equal(broker.broker.publish('events', '$aws/events/presence/connected/c', Buffer.from('{}'), 0), 1);
    const { packet } = await received;
    assert.equal(packet.qos, 0);
    assert.equal(packet.retain, false);
    assert.equal(packet.payload.toString(), '{}');
    subscriber.end(true);
    elsewhere.end(true);
  });
});
