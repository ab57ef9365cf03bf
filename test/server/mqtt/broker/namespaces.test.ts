import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connect } from 'mqtt';
import {
  clientOptions,
  connectClient,
  nextMessage,
  startBroker,
  type TestBroker,
  topicsUntil,
  uniqueId,
} from './broker-support.js';

let broker: TestBroker;
before(async () => {
  broker = await startBroker();
});
after(() => broker.stop());

for (const version of [4, 5] as const) {
  test(`MQTT ${version === 4 ? '3.1.1' : '5'}: routing and retained messages stay within a namespace`, async () => {
    const a = await connectClient(broker.port, version, { username: 'device@account-a' });
    const alsoA = await connectClient(broker.port, version, { username: 'device@account-a' });
    const b = await connectClient(broker.port, version, { username: 'device@account-b' });
    try {
      await Promise.all([a.subscribeAsync('#', { qos: 1 }), b.subscribeAsync('#', { qos: 1 })]);
      const heardByB = topicsUntil(b, 'marker/b');
      const heardByA = nextMessage(a, 'shared/topic');
      await alsoA.publishAsync('shared/topic', 'for a only', { qos: 1, retain: true });
      assert.equal((await heardByA).payload.toString(), 'for a only');
      // Published once the PUBACK said the message was routed; B hears its own marker through `#`.
      await b.publishAsync('marker/b', 'end', { qos: 1 });
      assert.deepEqual(await heardByB, [], 'another namespace hears nothing');

      const lateB = await connectClient(broker.port, version, { username: 'device@account-b' });
      const lateA = await connectClient(broker.port, version, { username: 'device@account-a' });
      try {
        const retainedForB = topicsUntil(lateB, 'marker/lateB');
        await lateB.subscribeAsync(['shared/#', 'marker/lateB']);
        await lateB.publishAsync('marker/lateB', 'end', { qos: 1 });
        assert.deepEqual(await retainedForB, [], 'no retained message from another namespace');
        const retainedForA = nextMessage(lateA, 'shared/topic');
        await lateA.subscribeAsync('shared/#');
        assert.equal((await retainedForA).payload.toString(), 'for a only');
      } finally {
        await Promise.all([lateA.endAsync(), lateB.endAsync()]);
      }
    } finally {
      await alsoA.publishAsync('shared/topic', '', { retain: true });
      await Promise.all([a.endAsync(), alsoA.endAsync(), b.endAsync()]);
    }
  });

  test(`MQTT ${version === 4 ? '3.1.1' : '5'}: one client id in two namespaces is two clients (no takeover)`, async () => {
    const clientId = uniqueId('same');
    const a = await connectClient(broker.port, version, { username: 'device@account-a', clientId });
    const b = await connectClient(broker.port, version, { username: 'device@account-b', clientId });
    try {
      const stillA = nextMessage(a, 'ping/a');
      await a.subscribeAsync('ping/a');
      await a.publishAsync('ping/a', 'alive');
      assert.equal((await stillA).payload.toString(), 'alive', 'the first connection was not taken over');
      assert.equal(b.connected, true);
    } finally {
      await Promise.all([a.endAsync(), b.endAsync()]);
    }
  });
}

test('a persistent session (and its queued messages) goes back only to the owner that made it', async () => {
  const clientId = uniqueId('persistent');
  const owner = await connectClient(broker.port, 4, { username: 'device@ns#owner-1', clientId, clean: false });
  await owner.subscribeAsync('queued/topic', { qos: 1 });
  await owner.endAsync();

  const publisher = await connectClient(broker.port, 4, { username: 'device@ns#publisher' });
  await publisher.publishAsync('queued/topic', 'secret for owner-1', { qos: 1 });
  await publisher.endAsync();

  const intruder = connect(clientOptions(broker.port, 4, { username: 'device@ns#owner-2', clientId, clean: false }));
  // Queued messages would follow CONNACK at once: before the intruder's own marker.
  const messages = topicsUntil(intruder, 'marker/intruder');
  const connack = await new Promise<{ sessionPresent: boolean }>((resolve, reject) => {
    intruder.once('connect', (packet) => resolve(packet as { sessionPresent: boolean }));
    intruder.once('error', reject);
  });
  await intruder.subscribeAsync('marker/intruder', { qos: 1 });
  await intruder.publishAsync('marker/intruder', 'end', { qos: 1 });
  assert.equal(connack.sessionPresent, false, 'another owner starts afresh');
  assert.deepEqual(await messages, [], 'and receives nothing queued for the owner');
  await intruder.endAsync();
});
