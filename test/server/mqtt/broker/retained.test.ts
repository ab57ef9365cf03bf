import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { MqttClient } from 'mqtt';
import {
  connectClient,
  nextMessage,
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

/**
 * The topics of the retained messages `client` gets for subscribing as `subscribe` does: they follow SUBACK at
 * once, so they come before a marker the client publishes to itself afterwards.
 */
async function retainedOnSubscribe(client: MqttClient, subscribe: () => Promise<unknown>): Promise<string[]> {
  const marker = `marker/${client.options.clientId}`;
  await client.subscribeAsync(marker, { qos: 1 });
  const seen = topicsUntil(client, marker);
  await subscribe();
  await client.publishAsync(marker, 'end', { qos: 1 });
  return seen;
}

describe('retained messages', () => {
  for (const version of [4, 5] as const) {
    test(`MQTT ${version}: kept, delivered on subscribe with the retain flag, cleared by an empty payload`, async () => {
      const topic = `ret${version}/state`;
      const publisher = await connectClient(broker.port, version);
      await publisher.publishAsync(topic, 'on', { qos: 1, retain: true });

      const late = await connectClient(broker.port, version);
      const received = nextMessage(late, topic);
      await late.subscribeAsync(`ret${version}/+`, { qos: 1 });
      const { payload, packet } = await received;
      assert.equal(payload, 'on');
      assert.equal(packet.retain, true);
      assert.equal(packet.qos, 1);

      const lateQos0 = await connectClient(broker.port, version);
      const receivedQos0 = nextMessage(lateQos0, topic);
      await lateQos0.subscribeAsync(topic, { qos: 0 });
      assert.equal((await receivedQos0).packet.qos, 0);

      // A subscriber present when a retained message is published gets it without the retain flag.
      const live = nextMessage(late, topic);
      await publisher.publishAsync(topic, 'off', { qos: 1, retain: true });
      assert.equal((await live).packet.retain, false);

      await publisher.publishAsync(topic, '', { qos: 1, retain: true });
      const afterClear = await connectClient(broker.port, version);
      assert.deepEqual(await retainedOnSubscribe(afterClear, () => afterClear.subscribeAsync(topic, { qos: 1 })), []);
      await Promise.all([publisher, late, lateQos0, afterClear].map((c) => c.endAsync()));
    });
  }

  test('MQTT 5 Retain As Published keeps the flag for live subscribers', async () => {
    const subscriber = await connectClient(broker.port, 5);
    await subscriber.subscribeAsync('rap/x', { qos: 1, rap: true });
    const received = nextMessage(subscriber, 'rap/x');
    const publisher = await connectClient(broker.port, 5);
    await publisher.publishAsync('rap/x', 'x', { qos: 1, retain: true });
    assert.equal((await received).packet.retain, true);
    await publisher.publishAsync('rap/x', '', { qos: 1, retain: true });
    await Promise.all([subscriber.endAsync(), publisher.endAsync()]);
  });

  test('MQTT 5 Retain Handling: 0 always, 1 only for a new subscription, 2 never', async () => {
    const publisher = await connectClient(broker.port, 5);
    await publisher.publishAsync('rh/x', 'kept', { qos: 1, retain: true });
    const client = await connectClient(broker.port, 5);
    const subscribed = (rh: number) => retainedOnSubscribe(client, () => subackCodes(client, ['rh/x'], { qos: 1, rh }));

    assert.equal((await subscribed(2)).length, 0, 'rh 2: none');
    await client.unsubscribeAsync('rh/x');

    assert.equal((await subscribed(1)).length, 1, 'rh 1, new subscription: sent');
    assert.equal((await subscribed(1)).length, 0, 'rh 1, existing subscription: not sent');

    assert.equal((await subscribed(0)).length, 1, 'rh 0: sent again');
    await publisher.publishAsync('rh/x', '', { qos: 1, retain: true });
    await Promise.all([client.endAsync(), publisher.endAsync()]);
  });

  test('a retained `$` topic does not reach a leading wildcard', async () => {
    const publisher = await connectClient(broker.port, 4);
    await publisher.publishAsync('$ret/x', 'dollar', { qos: 1, retain: true });
    await publisher.publishAsync('plain-ret/x', 'plain', { qos: 1, retain: true });
    const client = await connectClient(broker.port, 4);
    const topics = await retainedOnSubscribe(client, () => client.subscribeAsync('#', { qos: 1 }));
    assert.ok(topics.includes('plain-ret/x'));
    assert.equal(topics.includes('$ret/x'), false);
    const dollar = nextMessage(client, '$ret/x');
    await client.subscribeAsync('$ret/#', { qos: 1 });
    assert.equal((await dollar).payload, 'dollar');
    await publisher.publishAsync('$ret/x', '', { qos: 1, retain: true });
    await publisher.publishAsync('plain-ret/x', '', { qos: 1, retain: true });
    await Promise.all([client.endAsync(), publisher.endAsync()]);
  });

  test('a full retained store: MQTT 5 PUBACK 0x97 (not routed); MQTT 3.1.1 routed, not retained', async () => {
    const small = await startBroker({ retainedMax: 2 });
    try {
      const v5 = await connectClient(small.port, 5);
      const v4 = await connectClient(small.port, 4);
      const subscriber = await connectClient(small.port, 4);
      await subscriber.subscribeAsync('full/#', { qos: 1 });
      const live = topicsUntil(subscriber, 'full/marker');
      await v5.publishAsync('full/a', 'a', { qos: 1, retain: true });
      await v5.publishAsync('full/b', 'b', { qos: 1, retain: true });
      await v5.publishAsync('full/a', 'a2', { qos: 1, retain: true });
      await assert.rejects(
        v5.publishAsync('full/c', 'c', { qos: 1, retain: true }),
        (err: { code?: number }) => err.code === 0x97,
      );
      await v4.publishAsync('full/d', 'd', { qos: 1, retain: true });
      await v4.publishAsync('full/marker', 'end', { qos: 1 });
      assert.deepEqual(await live, ['full/a', 'full/b', 'full/a', 'full/d']);
      const late = await connectClient(small.port, 4);
      // Retained messages follow SUBACK at once, so before the client's own (unretained) marker.
      const retained = receivedUntil(late, 'full/marker');
      await late.subscribeAsync('full/#', { qos: 1 });
      await late.publishAsync('full/marker', 'end', { qos: 1 });
      assert.deepEqual((await retained).map((p) => `${p.topic}=${p.payload.toString()}`).sort(), [
        'full/a=a2',
        'full/b=b',
      ]);
      await Promise.all([v5, v4, subscriber, late].map((c) => c.endAsync()));
    } finally {
      await small.stop();
    }
  });
});
