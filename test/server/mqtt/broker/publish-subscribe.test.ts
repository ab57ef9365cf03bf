import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  closeOf,
  connectClient,
  disconnectOf,
  nextMessage,
  RawClient,
  receivedUntil,
  startBroker,
  subackCodes,
  type TestBroker,
  topicsUntil,
} from './broker-support.js';

let broker: TestBroker;
before(async () => {
  broker = await startBroker();
});
after(() => broker.stop());

describe('routing', () => {
  for (const [publisherVersion, subscriberVersion] of [
    [4, 4],
    [5, 5],
    [4, 5],
    [5, 4],
  ] as const) {
    test(`QoS 0 and 1 from MQTT ${publisherVersion} to MQTT ${subscriberVersion}; QoS = min(publish, subscription)`, async () => {
      const topic = `route/${publisherVersion}${subscriberVersion}`;
      const subscriber = await connectClient(broker.port, subscriberVersion);
      const publisher = await connectClient(broker.port, publisherVersion);
      await subscriber.subscribeAsync(`${topic}/q1`, { qos: 1 });
      await subscriber.subscribeAsync(`${topic}/q0`, { qos: 0 });

      let received = nextMessage(subscriber, `${topic}/q1`);
      await publisher.publishAsync(`${topic}/q1`, 'one', { qos: 1 });
      let message = await received;
      assert.equal(message.payload, 'one');
      assert.equal(message.packet.qos, 1);
      assert.equal(message.packet.retain, false);

      received = nextMessage(subscriber, `${topic}/q1`);
      await publisher.publishAsync(`${topic}/q1`, 'zero', { qos: 0 });
      message = await received;
      assert.equal(message.payload, 'zero');
      assert.equal(message.packet.qos, 0);

      received = nextMessage(subscriber, `${topic}/q0`);
      await publisher.publishAsync(`${topic}/q0`, 'capped', { qos: 1 });
      message = await received;
      assert.equal(message.payload, 'capped');
      assert.equal(message.packet.qos, 0);
      await Promise.all([subscriber.endAsync(), publisher.endAsync()]);
    });
  }

  test('MQTT 5 application properties travel with the message', async () => {
    const subscriber = await connectClient(broker.port, 5);
    const publisher = await connectClient(broker.port, 5);
    await subscriber.subscribeAsync('props/x', { qos: 1 });
    const received = nextMessage(subscriber, 'props/x');
    await publisher.publishAsync('props/x', '{}', {
      qos: 1,
      properties: {
        contentType: 'application/json',
        responseTopic: 'props/reply',
        correlationData: Buffer.from('c1'),
        userProperties: { k: 'v' },
        messageExpiryInterval: 60,
      },
    });
    const { packet } = await received;
    assert.equal(packet.properties?.contentType, 'application/json');
    assert.equal(packet.properties?.responseTopic, 'props/reply');
    assert.deepEqual(packet.properties?.correlationData, Buffer.from('c1'));
    assert.deepEqual({ ...packet.properties?.userProperties }, { k: 'v' });
    assert.ok((packet.properties?.messageExpiryInterval ?? 0) > 55);
    await Promise.all([subscriber.endAsync(), publisher.endAsync()]);
  });

  test('wildcards: + one level, # the rest and the parent; `$` topics are out of a leading wildcard’s reach', async () => {
    const subscriber = await connectClient(broker.port, 4);
    const publisher = await connectClient(broker.port, 4);
    await subscriber.subscribeAsync(['wild/+/temp', 'deep/#', '#', '+/dollar'], { qos: 0 });
    await subscriber.subscribeAsync('$aws/things/t1/#', { qos: 0 });
    const seen = topicsUntil(subscriber, 'marker/wildcards');
    for (const topic of [
      'wild/a/temp',
      'wild/a/b/temp',
      'deep',
      'deep/x/y',
      '$SYS/load',
      '$aws/things/t1/shadow/get',
      '$aws/other',
    ]) {
      await publisher.publishAsync(topic, topic, { qos: 1 });
    }
    await publisher.publishAsync('marker/wildcards', 'end', { qos: 1 });
    const topics = await seen;
    // '#' receives every non-$ topic once (one delivery per message per client, whatever the overlaps).
    assert.deepEqual(topics.sort(), ['$aws/things/t1/shadow/get', 'deep', 'deep/x/y', 'wild/a/b/temp', 'wild/a/temp']);
    await Promise.all([subscriber.endAsync(), publisher.endAsync()]);
  });

  test('overlapping subscriptions deliver once, at the highest QoS', async () => {
    const subscriber = await connectClient(broker.port, 5);
    const publisher = await connectClient(broker.port, 5);
    await subscriber.subscribeAsync('overlap/#', { qos: 0 });
    await subscriber.subscribeAsync('overlap/+', { qos: 1 });
    const seen = receivedUntil(subscriber, 'overlap/marker');
    await publisher.publishAsync('overlap/a', 'x', { qos: 1 });
    await publisher.publishAsync('overlap/marker', 'end', { qos: 1 });
    assert.deepEqual(
      (await seen).map((packet) => packet.qos),
      [1],
    );
    await Promise.all([subscriber.endAsync(), publisher.endAsync()]);
  });

  test('MQTT 5 No Local: a client’s own messages skip its no-local subscription', async () => {
    const client = await connectClient(broker.port, 5);
    const other = await connectClient(broker.port, 5);
    await client.subscribeAsync('local/x', { qos: 1, nl: true });
    await client.subscribeAsync('local/marker', { qos: 1 });
    await other.subscribeAsync('local/x', { qos: 1 });
    const own = topicsUntil(client, 'local/marker');
    const received = nextMessage(other, 'local/x');
    await client.publishAsync('local/x', 'mine', { qos: 1 });
    assert.equal((await received).payload, 'mine');
    // Published once the PUBACK said 'mine' was routed: had it reached its own publisher, it would come first.
    await other.publishAsync('local/marker', 'end', { qos: 1 });
    assert.deepEqual(await own, []);
    await Promise.all([client.endAsync(), other.endAsync()]);
  });
});

describe('publish decisions', () => {
  test('MQTT 5: a denied QoS 1 publish gets PUBACK 0x87, a denied QoS 0 is dropped; neither is routed', async () => {
    const subscriber = await connectClient(broker.port, 5);
    const publisher = await connectClient(broker.port, 5);
    await subscriber.subscribeAsync('denied/#', { qos: 1 }).catch(() => undefined);
    await subscriber.subscribeAsync('#', { qos: 1 });
    const seen = topicsUntil(subscriber, 'marker/denied');
    await assert.rejects(
      publisher.publishAsync('denied/a', 'x', { qos: 1 }),
      (err: { code?: number }) => err.code === 0x87,
    );
    await publisher.publishAsync('denied/b', 'x', { qos: 0 });
    await publisher.publishAsync('allowed/after', 'x', { qos: 1 });
    await publisher.publishAsync('marker/denied', 'end', { qos: 1 });
    assert.deepEqual(await seen, ['allowed/after']);
    assert.equal(publisher.connected, true);
    await Promise.all([subscriber.endAsync(), publisher.endAsync()]);
  });

  test('MQTT 3.1.1: a denied publish closes the connection', async () => {
    const publisher = await connectClient(broker.port, 4);
    const closed = closeOf(publisher);
    publisher.publish('denied/a', 'x', { qos: 0 });
    await closed;
  });

  test('a consumed publish is acknowledged but neither routed nor retained', async () => {
    const subscriber = await connectClient(broker.port, 4);
    const publisher = await connectClient(broker.port, 4);
    await subscriber.subscribeAsync(['consumed/#', 'marker/consumed'], { qos: 1 });
    const seen = topicsUntil(subscriber, 'marker/consumed');
    await publisher.publishAsync('consumed/request', 'x', { qos: 1, retain: true });
    await publisher.publishAsync('marker/consumed', 'end', { qos: 1 });
    assert.deepEqual(await seen, []);
    const late = await connectClient(broker.port, 4);
    const retained = topicsUntil(late, 'marker/late');
    await late.subscribeAsync(['consumed/#', 'marker/late'], { qos: 1 });
    // Retained messages follow SUBACK at once, so before the client's own marker.
    await late.publishAsync('marker/late', 'end', { qos: 1 });
    assert.deepEqual(await retained, []);
    await Promise.all([subscriber.endAsync(), publisher.endAsync(), late.endAsync()]);
  });

  test('QoS 2 is refused: MQTT 5 DISCONNECT 0x9B, MQTT 3.1.1 close', async () => {
    const v5 = await RawClient.connected(broker.port, 5);
    await v5.next('connack');
    v5.send({ cmd: 'publish', topic: 'q2/x', payload: 'x', qos: 2, messageId: 1, retain: false, dup: false });
    assert.equal((await v5.next('disconnect')).reasonCode, 0x9b);
    await v5.waitClosed();
    const v4 = await RawClient.connected(broker.port, 4);
    await v4.next('connack');
    v4.send({ cmd: 'publish', topic: 'q2/x', payload: 'x', qos: 2, messageId: 1, retain: false, dup: false });
    await v4.waitClosed();
    assert.deepEqual(v4.packets, []);
  });

  test('MQTT 5 topic alias: DISCONNECT 0x94 (Topic Alias Maximum is 0)', async () => {
    const client = await RawClient.connected(broker.port, 5);
    await client.next('connack');
    client.send({
      cmd: 'publish',
      topic: 'alias/x',
      payload: 'x',
      qos: 0,
      retain: false,
      dup: false,
      properties: { topicAlias: 1 },
    });
    assert.equal((await client.next('disconnect')).reasonCode, 0x94);
    await client.waitClosed();
  });

  test('a wildcard in a topic name: MQTT 5 DISCONNECT 0x90, MQTT 3.1.1 close', async () => {
    const v5 = await RawClient.connected(broker.port, 5);
    await v5.next('connack');
    v5.send({ cmd: 'publish', topic: 'bad/+', payload: 'x', qos: 0, retain: false, dup: false });
    assert.equal((await v5.next('disconnect')).reasonCode, 0x90);
    const v4 = await RawClient.connected(broker.port, 4);
    await v4.next('connack');
    v4.send({ cmd: 'publish', topic: 'bad/#', payload: 'x', qos: 0, retain: false, dup: false });
    await v4.waitClosed();
  });

  test('QoS 2 flow packets from a client are protocol errors (MQTT 5 DISCONNECT 0x82)', async () => {
    const client = await connectClient(broker.port, 5);
    const reason = disconnectOf(client);
    client.stream.write(Buffer.from([0x62, 0x02, 0x00, 0x01])); // PUBREL 1
    assert.equal(await reason, 0x82);
  });
});

describe('subscriptions', () => {
  test('granted QoS is capped at 1 and at what the hook allows', async () => {
    for (const version of [4, 5] as const) {
      const client = await connectClient(broker.port, version);
      assert.deepEqual(await subackCodes(client, ['grant/a'], { qos: 2 }), [1], `MQTT ${version}`);
      assert.deepEqual(await subackCodes(client, ['qos0/a'], { qos: 1 }), [0], `MQTT ${version}`);
      await client.endAsync();
    }
  });

  test('failure codes: MQTT 5 says why (0x87, 0x9E shared, 0x8F invalid), MQTT 3.1.1 says 0x80', async () => {
    // MQTT.js checks filters itself; a raw client sends them as they are.
    const subscriptions = ['denied/a', '$share/group/t', 'bad/#/filter', 'bad+/x', 'fine/+'].map((topic) => ({
      topic,
      qos: 1 as const,
    }));
    const v5 = await RawClient.connected(broker.port, 5);
    await v5.next('connack');
    v5.send({ cmd: 'subscribe', messageId: 1, subscriptions });
    assert.deepEqual((await v5.next('suback')).granted, [0x87, 0x9e, 0x8f, 0x8f, 1]);
    const v4 = await RawClient.connected(broker.port, 4);
    await v4.next('connack');
    v4.send({ cmd: 'subscribe', messageId: 1, subscriptions });
    assert.deepEqual((await v4.next('suback')).granted, [0x80, 0x80, 0x80, 0x80, 1]);
    v4.destroy();
    v5.destroy();
  });

  test('MQTT 5 subscription identifiers are refused with DISCONNECT 0xA1', async () => {
    const client = await RawClient.connected(broker.port, 5);
    await client.next('connack');
    client.send({
      cmd: 'subscribe',
      messageId: 3,
      subscriptions: [{ topic: 'sid/x', qos: 0 }],
      properties: { subscriptionIdentifier: 4 },
    });
    assert.equal((await client.next('disconnect')).reasonCode, 0xa1);
  });

  test('UNSUBSCRIBE: MQTT 5 codes 0x00 / 0x11, and the subscription is gone', async () => {
    const client = await RawClient.connected(broker.port, 5);
    await client.next('connack');
    client.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'unsub/x', qos: 1 }] });
    await client.next('suback');
    client.send({ cmd: 'unsubscribe', messageId: 2, unsubscriptions: ['unsub/x', 'never/subscribed'] });
    assert.deepEqual((await client.next('unsuback')).granted, [0x00, 0x11]);
    const publisher = await connectClient(broker.port, 4);
    await publisher.publishAsync('unsub/x', 'x', { qos: 1 });
    client.send({ cmd: 'pingreq' });
    await client.next('pingresp');
    assert.equal(
      client.packets.some((p) => p.cmd === 'publish'),
      false,
    );
    client.destroy();
    await publisher.endAsync();
  });

  test('MQTT 3.1.1 UNSUBACK', async () => {
    const client = await connectClient(broker.port, 4);
    await client.subscribeAsync('unsub4/x');
    await client.unsubscribeAsync('unsub4/x');
    await client.subscribeAsync('marker/unsub4', { qos: 1 });
    const publisher = await connectClient(broker.port, 4);
    const seen = topicsUntil(client, 'marker/unsub4');
    await publisher.publishAsync('unsub4/x', 'x', { qos: 1 });
    await publisher.publishAsync('marker/unsub4', 'end', { qos: 1 });
    assert.deepEqual(await seen, []);
    await Promise.all([client.endAsync(), publisher.endAsync()]);
  });
});

describe('the receive hook (iot:Receive)', () => {
  for (const version of [4, 5] as const) {
    test(`MQTT ${version}: a subscription to # gets only what the hook lets through, routed or retained`, async () => {
      const subscriber = await connectClient(broker.port, version, { clientId: `receiver-${version}` });
      const publisher = await connectClient(broker.port, 5);
      await publisher.publishAsync('unreceivable/retained', 'kept', { qos: 1, retain: true });
      await publisher.publishAsync('receivable/retained', 'kept', { qos: 1, retain: true });
      const marker = `marker/${version}`;
      const arrived = topicsUntil(subscriber, marker);
      await subscriber.subscribeAsync('#', { qos: 1 });
      for (const topic of ['receivable/a', 'unreceivable/a', 'receive-throws/a', 'receivable/b']) {
        await publisher.publishAsync(topic, 'x', { qos: 1 });
      }
      await publisher.publishAsync(marker, 'end', { qos: 1 });
      assert.deepEqual((await arrived).sort(), ['receivable/a', 'receivable/b', 'receivable/retained']);
      await Promise.all([subscriber.endAsync(), publisher.endAsync()]);
    });
  }
});
