import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { IPublishPacket } from 'mqtt';
import { eventually } from '../../../helpers/eventually.js';
import {
  closeOf,
  connectClient,
  disconnectOf,
  nextMessage,
  RawClient,
  startBroker,
  type TestBroker,
  topicsUntil,
  uniqueId,
  until,
} from './broker-support.js';

let broker: TestBroker;
before(async () => {
  broker = await startBroker();
});
after(() => broker.stop());

describe('BrokerConnection.deliver', () => {
  test('reaches that connection only, at min(QoS, subscription QoS), and only with a matching subscription', async () => {
    const asker = await connectClient(broker.port, 5, { clientId: uniqueId('asker') });
    const other = await connectClient(broker.port, 4);
    await asker.subscribeAsync('answers/+/accepted', { qos: 1 });
    await other.subscribeAsync('answers/#', { qos: 1 });
    const connection = broker.connectionOf(asker.options.clientId as string);
    assert.ok(connection);

    const elsewhere = topicsUntil(other, 'answers/marker');
    const received = nextMessage(asker, 'answers/1/accepted');
    assert.equal(connection.deliver('answers/1/accepted', Buffer.from('{}'), 1), true);
    const { packet } = await received;
    assert.equal(packet.qos, 1);
    assert.equal(packet.retain, false);
    assert.equal(connection.deliver('answers/1/rejected', Buffer.from('{}'), 1), false, 'no matching subscription');
    // deliver() writes at once: anything it sent `other` is on the wire before this marker.
    await asker.publishAsync('answers/marker', 'end', { qos: 1 });
    assert.deepEqual(await elsewhere, []);

    await asker.subscribeAsync('answers/+/rejected', { qos: 0 });
    const rejected = nextMessage(asker, 'answers/2/rejected');
    assert.equal(connection.deliver('answers/2/rejected', Buffer.from('{}'), 1), true);
    assert.equal((await rejected).packet.qos, 0);
    await Promise.all([asker.endAsync(), other.endAsync()]);
    assert.equal(connection.deliver('answers/3/accepted', Buffer.from('{}'), 1), false, 'closed');
  });
});

describe('a subscriber that does not read', () => {
  test('QoS 0 messages for it are dropped rather than buffered without limit', async () => {
    const slow = await RawClient.connected(broker.port, 4, { clientId: 'slow-reader' });
    await slow.next('connack');
    slow.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'flood/#', qos: 0 }] });
    await slow.next('suback');
    slow.socket.pause();
    const before = new Set(broker.sockets);
    const publisher = await connectClient(broker.port, 4);
    const publisherSide = [...broker.sockets].find((s) => !before.has(s));
    const payload = Buffer.alloc(60_000, 7);
    for (let i = 0; i < 200; i++) publisher.publish('flood/x', payload, { qos: 0 });
    await publisher.publishAsync('flood/done', 'x', { qos: 1 });
    const buffered = Math.max(...[...broker.sockets].filter((s) => s !== publisherSide).map((s) => s.writableLength));
    assert.ok(buffered < 1_500_000, `${buffered} bytes buffered for 12 MB published`);
    assert.equal(publisher.connected, true);
    slow.destroy();
    await publisher.endAsync();
  });
});

describe('BrokerConnection.drop', () => {
  test('MQTT 5 sees the reason code; MQTT 3.1.1 is closed; without a code, a plain close', async () => {
    const v5 = await connectClient(broker.port, 5, { clientId: uniqueId('drop5') });
    const reason = disconnectOf(v5);
    const closed5 = closeOf(v5);
    broker.connectionOf(v5.options.clientId as string)?.drop(0x87);
    assert.equal(await reason, 0x87);
    await closed5;

    const v4 = await connectClient(broker.port, 4, { clientId: uniqueId('drop4') });
    const closed4 = closeOf(v4);
    broker.connectionOf(v4.options.clientId as string)?.drop(0x87);
    await closed4;

    const quiet = await RawClient.connected(broker.port, 5, { clientId: 'drop-quiet' });
    await quiet.next('connack');
    await until(() => broker.connectionOf('drop-quiet') !== undefined);
    broker.connectionOf('drop-quiet')?.drop();
    await quiet.waitClosed();
    assert.deepEqual(quiet.packets, []);
  });
});

describe('malformed and oversized input', () => {
  test('malformed bytes after admission: MQTT 5 DISCONNECT 0x81, MQTT 3.1.1 close; the broker carries on', async () => {
    // A SUBSCRIBE with reserved flags 0000 (must be 0010), then garbage.
    const bad = Buffer.from([0x80, 0x03, 0x00, 0x01, 0x00, 0xff, 0xff]);
    const v5 = await RawClient.connected(broker.port, 5);
    await v5.next('connack');
    v5.write(bad);
    assert.equal((await v5.next('disconnect')).reasonCode, 0x81);
    await v5.waitClosed();
    const v4 = await RawClient.connected(broker.port, 4);
    await v4.next('connack');
    v4.write(bad);
    await v4.waitClosed();
    assert.deepEqual(v4.packets, []);
    const client = await connectClient(broker.port, 4);
    await client.endAsync();
  });

  test('a PUBLISH whose topic length exceeds the packet is malformed', async () => {
    const v5 = await RawClient.connected(broker.port, 5);
    await v5.next('connack');
    v5.write(Buffer.from([0x30, 0x04, 0x00, 0x10, 0x61, 0x00]));
    assert.equal((await v5.next('disconnect')).reasonCode, 0x81);
  });

  test('a packet above the maximum size: MQTT 5 DISCONNECT 0x95, before the body arrives', async () => {
    const v5 = await RawClient.connected(broker.port, 5);
    await v5.next('connack');
    // PUBLISH announcing 200 000 bytes (limit 64 KiB); only the header is sent.
    v5.write(Buffer.from([0x30, 0xc0, 0x9a, 0x0c]));
    assert.equal((await v5.next('disconnect')).reasonCode, 0x95);
    await v5.waitClosed();
  });

  test('messages larger than the client’s Maximum Packet Size are not sent to it', async () => {
    const client = await RawClient.connected(broker.port, 5, { properties: { maximumPacketSize: 64 } });
    await client.next('connack');
    client.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'small/#', qos: 1 }] });
    await client.next('suback');
    const publisher = await connectClient(broker.port, 4);
    await publisher.publishAsync('small/big', Buffer.alloc(200, 1), { qos: 1 });
    await publisher.publishAsync('small/ok', 'fits', { qos: 1 });
    const received = (await client.next('publish')) as IPublishPacket;
    assert.equal(received.topic, 'small/ok');
    client.destroy();
    await publisher.endAsync();
  });
});

/** Follows the timers set through the global setTimeout (unref'd ones included) until `restore`. */
function trackTimers(): { readonly live: Set<NodeJS.Timeout>; restore(): void } {
  const live = new Set<NodeJS.Timeout>();
  const { setTimeout: originalSet, clearTimeout: originalClear } = globalThis;
  globalThis.setTimeout = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const timer = originalSet(
      (...callArgs: unknown[]) => {
        live.delete(timer);
        callback(...callArgs);
      },
      ms,
      ...args,
    );
    live.add(timer);
    return timer;
  }) as typeof setTimeout;
  globalThis.clearTimeout = ((timer: NodeJS.Timeout | undefined) => {
    if (timer) live.delete(timer);
    originalClear(timer);
  }) as typeof clearTimeout;
  return {
    live,
    restore() {
      globalThis.setTimeout = originalSet;
      globalThis.clearTimeout = originalClear;
    },
  };
}

describe('Broker.close', () => {
  test('drops every connection (MQTT 5: 0x8B), forgets sessions, leaves no timer', async () => {
    const timers = trackTimers();
    const own = await startBroker();
    const v5 = await connectClient(own.port, 5, { keepalive: 60 });
    const v4 = await connectClient(own.port, 4, { clean: false, clientId: uniqueId('kept') });
    await v4.subscribeAsync('kept/#', { qos: 1 });
    const persistent = await connectClient(own.port, 5, {
      clean: false,
      properties: { sessionExpiryInterval: 600 },
    });
    await persistent.endAsync(); // leaves a session (and its expiry timer) behind
    await until(() => own.broker.connectionCount === 2);
    const pending = await RawClient.open(own.port); // not yet CONNECTed: its connect timer runs
    const reason = disconnectOf(v5);
    const closed4 = closeOf(v4);
    assert.equal(own.broker.connectionCount, 3);
    await own.stop();
    assert.equal(await reason, 0x8b);
    await closed4;
    await pending.waitClosed();
    assert.equal(own.broker.connectionCount, 0);
    v5.end(true);
    v4.end(true);
    // The clients' own timers stop as they close; a timer the broker left behind never would.
    await eventually('no timer left running', () => timers.live.size === 0);
    timers.restore();
    // Once closed, a new connection is closed at once.
    const stream = new PassThrough();
    const late = own.broker.handle(stream);
    await until(() => stream.destroyed && own.closed.includes(late));
    assert.equal(own.broker.connectionCount, 0);
  });
});
