import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connect, type IClientOptions, type IPublishPacket, type MqttClient, type Packet } from 'mqtt';
import { eventually } from '../../../helpers/eventually.js';
import {
  clientOptions,
  closeOf,
  connectClient,
  delay,
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

interface Collecting {
  readonly client: MqttClient;
  readonly connack: Packet & { sessionPresent?: boolean };
  readonly messages: IPublishPacket[];
}

/** Connects with a message collector in place before CONNACK (stored messages follow it at once). */
function connectCollecting(version: 4 | 5, extra: IClientOptions): Promise<Collecting> {
  const client = connect(clientOptions(broker.port, version, extra));
  const messages: IPublishPacket[] = [];
  client.on('message', (_topic, _payload, packet) => messages.push(packet));
  return new Promise((resolve, reject) => {
    client.once('connect', (connack) => resolve({ client, connack, messages }));
    client.once('error', reject);
    client.once('close', () => reject(new Error('closed before CONNACK')));
  });
}

describe('persistent sessions', () => {
  for (const version of [4, 5] as const) {
    test(`MQTT ${version}: subscriptions and QoS 1 messages wait for the client; a clean start discards them`, async () => {
      const clientId = uniqueId(`persist${version}`);
      const persistent: IClientOptions = {
        clientId,
        clean: false,
        ...(version === 5 ? { properties: { sessionExpiryInterval: 60 } } : {}),
      };
      const first = await connectCollecting(version, persistent);
      assert.equal(first.connack.sessionPresent, false);
      await first.client.subscribeAsync(`persist${version}/#`, { qos: 1 });
      await first.client.endAsync();

      const publisher = await connectClient(broker.port, 4);
      for (const n of [1, 2, 3]) await publisher.publishAsync(`persist${version}/${n}`, `m${n}`, { qos: 1 });
      await publisher.publishAsync(`persist${version}/qos0`, 'lost', { qos: 0 });

      const second = await connectCollecting(version, persistent);
      assert.equal(second.connack.sessionPresent, true);
      // The subscription itself was resumed too; stored messages follow CONNACK at once, so before this live one.
      const live = nextMessage(second.client, `persist${version}/4`);
      await publisher.publishAsync(`persist${version}/4`, 'm4', { qos: 1 });
      await live;
      assert.deepEqual(
        second.messages.map((m) => m.payload.toString()),
        ['m1', 'm2', 'm3', 'm4'],
      );
      await second.client.endAsync();

      const clean = await connectCollecting(version, { ...persistent, clean: true });
      assert.equal(clean.connack.sessionPresent, false);
      await clean.client.endAsync();
      await publisher.endAsync();
    });
  }

  test('MQTT 5: no session expiry means no session after the connection', async () => {
    const clientId = uniqueId('noexpiry');
    const first = await connectCollecting(5, { clientId, clean: false });
    await first.client.subscribeAsync('noexpiry/#', { qos: 1 });
    await first.client.endAsync();
    const second = await connectCollecting(5, { clientId, clean: false });
    assert.equal(second.connack.sessionPresent, false);
    await second.client.endAsync();
  });

  test('MQTT 5: a session is discarded when its expiry interval has passed', async () => {
    const clientId = uniqueId('expiring');
    const options = { clientId, clean: false, properties: { sessionExpiryInterval: 1 } };
    const first = await connectCollecting(5, options);
    await first.client.subscribeAsync('expiring/#', { qos: 1 });
    await first.client.endAsync();
    // Expiry is the broker's timer, which a loaded machine may run late: look again (each time after a new
    // interval, since resuming the session restarts it) rather than count on its promptness.
    await eventually('the session expired', async () => {
      await delay(1_300);
      const second = await connectCollecting(5, options);
      await second.client.endAsync();
      return second.connack.sessionPresent === false;
    });
  });

  test('MQTT 5 DISCONNECT may shorten the session expiry, not raise it from 0', async () => {
    const clientId = uniqueId('shorten');
    const first = await RawClient.connected(broker.port, 5, {
      clientId,
      clean: false,
      properties: { sessionExpiryInterval: 60 },
    });
    await first.next('connack');
    first.send({ cmd: 'disconnect', reasonCode: 0, properties: { sessionExpiryInterval: 0 } });
    await first.waitClosed();
    const second = await RawClient.connected(broker.port, 5, { clientId, clean: false });
    assert.equal((await second.next('connack')).sessionPresent, false);
    second.send({ cmd: 'disconnect', reasonCode: 0, properties: { sessionExpiryInterval: 60 } });
    assert.equal((await second.next('disconnect')).reasonCode, 0x82);
    await second.waitClosed();
  });

  test('an unacknowledged QoS 1 message is sent again, with DUP and its packet id, on resumption', async () => {
    const clientId = uniqueId('dup');
    const first = await RawClient.connected(broker.port, 4, { clientId, clean: false });
    await first.next('connack');
    first.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'dup/x', qos: 1 }] });
    await first.next('suback');
    const publisher = await connectClient(broker.port, 4);
    await publisher.publishAsync('dup/x', 'again', { qos: 1 });
    const original = await first.next('publish');
    assert.equal(original.dup, false);
    first.destroy(); // no PUBACK
    await until(() => broker.broker.connectionCount === 1);

    const second = await RawClient.connected(broker.port, 4, { clientId, clean: false });
    assert.equal((await second.next('connack')).sessionPresent, true);
    const resent = await second.next('publish');
    assert.equal(resent.dup, true);
    assert.equal(resent.messageId, original.messageId);
    assert.equal(resent.payload.toString(), 'again');
    second.send({ cmd: 'puback', messageId: resent.messageId as number });
    second.send({ cmd: 'disconnect' });
    await second.waitClosed();

    const third = await RawClient.connected(broker.port, 4, { clientId, clean: false });
    await third.next('connack');
    third.send({ cmd: 'pingreq' });
    await third.next('pingresp');
    assert.equal(
      third.packets.some((p) => p.cmd === 'publish'),
      false,
    );
    third.destroy();
    await publisher.endAsync();
  });

  test('QoS 1 messages beyond the client’s Receive Maximum wait for a PUBACK', async () => {
    const client = await RawClient.connected(broker.port, 5, { properties: { receiveMaximum: 2 } });
    await client.next('connack');
    client.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'window/#', qos: 1 }] });
    await client.next('suback');
    const publisher = await connectClient(broker.port, 4);
    for (const n of [1, 2, 3, 4]) await publisher.publishAsync(`window/${n}`, `${n}`, { qos: 1 });
    // Each PUBLISH is routed before its PUBACK, and the broker answers packets in order: PINGRESP comes after.
    client.send({ cmd: 'pingreq' });
    await client.next('pingresp');
    const sent = client.packets.filter((p) => p.cmd === 'publish') as IPublishPacket[];
    assert.deepEqual(
      sent.map((p) => p.topic),
      ['window/1', 'window/2'],
    );
    client.send({ cmd: 'puback', messageId: sent[0]?.messageId as number, reasonCode: 0 });
    client.send({ cmd: 'pingreq' });
    await client.next('pingresp');
    assert.deepEqual(
      client.packets.filter((p) => p.cmd === 'publish').map((p) => (p as IPublishPacket).topic),
      ['window/1', 'window/2', 'window/3'],
    );
    client.destroy();
    await publisher.endAsync();
  });
});

describe('client id takeover', () => {
  test('a second connection with the same client id takes over: MQTT 5 DISCONNECT 0x8E, MQTT 3.1.1 closed', async () => {
    const id5 = uniqueId('take5');
    const old5 = await connectClient(broker.port, 5, { clientId: id5 });
    const reason = disconnectOf(old5);
    const new5 = await connectClient(broker.port, 5, { clientId: id5 });
    assert.equal(await reason, 0x8e);
    assert.equal(new5.connected, true);

    const id4 = uniqueId('take4');
    const old4 = await connectClient(broker.port, 4, { clientId: id4 });
    const closed = closeOf(old4);
    const new4 = await connectClient(broker.port, 4, { clientId: id4 });
    await closed;
    assert.equal(new4.connected, true);
    assert.equal(broker.closed.filter((c) => c.clientId === id4).length, 1, 'the taken-over one is closed');
    await Promise.all([new5.endAsync(), new4.endAsync()]);
  });

  test('the persistent session moves to the new connection', async () => {
    const clientId = uniqueId('takesession');
    const old = await connectClient(broker.port, 4, { clientId, clean: false });
    await old.subscribeAsync('takesession/x', { qos: 1 });
    const taker = await connectCollecting(4, { clientId, clean: false });
    assert.equal(taker.connack.sessionPresent, true);
    const publisher = await connectClient(broker.port, 4);
    await publisher.publishAsync('takesession/x', 'moved', { qos: 1 });
    await until(() => taker.messages.length === 1);
    await Promise.all([taker.client.endAsync(), publisher.endAsync()]);
    old.end(true);
  });
});

/** Waits until the broker has closed these clients' connections (a will goes out as its connection closes). */
async function untilClosed(...clients: MqttClient[]): Promise<void> {
  const ids = clients.map((client) => client.options.clientId);
  await until(() => ids.every((id) => broker.closed.some((connection) => connection.clientId === id)));
}

describe('wills', () => {
  const will = (topic: string, extra: object = {}) => ({
    will: { topic, payload: Buffer.from(`${topic} gone`), qos: 1 as const, retain: false, ...extra },
  });

  test('published on abnormal close, through the publish hook', async () => {
    const watcher = await connectClient(broker.port, 5);
    await watcher.subscribeAsync('will/#', { qos: 1 });
    for (const version of [4, 5] as const) {
      const client = await connectClient(broker.port, version, will(`will/abnormal${version}`));
      const received = nextMessage(watcher, `will/abnormal${version}`);
      client.stream.destroy();
      assert.equal((await received).payload, `will/abnormal${version} gone`);
      assert.ok(broker.publishes.some((p) => p.topic === `will/abnormal${version}`));
    }
    await watcher.endAsync();
  });

  test('not published on a normal DISCONNECT; published on MQTT 5 DISCONNECT 0x04', async () => {
    const watcher = await connectClient(broker.port, 5);
    await watcher.subscribeAsync('will/#', { qos: 1 });
    const seen = topicsUntil(watcher, 'will/marker');
    const v4 = await connectClient(broker.port, 4, will('will/clean4'));
    const v5 = await connectClient(broker.port, 5, will('will/clean5'));
    await Promise.all([v4.endAsync(), v5.endAsync()]);
    const withWill = await connectClient(broker.port, 5, will('will/requested'));
    await new Promise<void>((resolve) => withWill.end(false, { reasonCode: 0x04 }, () => resolve()));
    await untilClosed(v4, v5, withWill);
    await watcher.publishAsync('will/marker', 'end', { qos: 1 });
    assert.deepEqual(await seen, ['will/requested']);
    await watcher.endAsync();
  });

  test('a denied will is not published; a retained will is kept', async () => {
    const watcher = await connectClient(broker.port, 4);
    await watcher.subscribeAsync(['denied/will', 'will/#'], { qos: 1 }).catch(() => undefined);
    await watcher.subscribeAsync('will/#', { qos: 1 });
    const seen = topicsUntil(watcher, 'will/marker');
    const denied = await connectClient(broker.port, 4, will('denied/will'));
    denied.stream.destroy();
    const retained = await connectClient(broker.port, 4, will('will/retained', { retain: true }));
    retained.stream.destroy();
    await untilClosed(denied, retained);
    await watcher.publishAsync('will/marker', 'end', { qos: 1 });
    assert.deepEqual(await seen, ['will/retained']);
    const late = await connectClient(broker.port, 4);
    const kept = nextMessage(late, 'will/retained');
    await late.subscribeAsync('will/retained', { qos: 1 });
    assert.equal((await kept).packet.retain, true);
    await Promise.all([watcher.endAsync(), late.endAsync()]);
  });
});

describe('keep alive', () => {
  test('silence for 1.5 × keep alive ends the connection (MQTT 5: DISCONNECT 0x8D) and publishes the will', async () => {
    const watcher = await connectClient(broker.port, 4);
    await watcher.subscribeAsync('idle/#', { qos: 1 });
    const willReceived = nextMessage(watcher, 'idle/v5');
    const v5 = await RawClient.connected(broker.port, 5, {
      keepalive: 1,
      will: { topic: 'idle/v5', payload: Buffer.from('timed out'), qos: 1, retain: false },
    });
    const v4 = await RawClient.connected(broker.port, 4, { keepalive: 1 });
    const pinging = await connectClient(broker.port, 4, { keepalive: 1 });
    const started = Date.now();
    await Promise.all([v5.next('connack'), v4.next('connack')]);
    const disconnect = await v5.next('disconnect');
    assert.equal(disconnect.reasonCode, 0x8d);
    await Promise.all([v5.waitClosed(), v4.waitClosed()]);
    // Not before 1.5 × keep alive; that the silence, not something else, ended them is 0x8D and the pinging client.
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 1_400, `closed after ${elapsed} ms`);
    assert.equal((await willReceived).payload, 'timed out');
    assert.equal(pinging.connected, true, 'a client that pings stays');
    await Promise.all([watcher.endAsync(), pinging.endAsync()]);
  });
});
