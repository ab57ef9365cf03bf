import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mosquittoSub } from '../../../helpers/mosquitto-sub.js';
import { ADMITTED, REFUSED_CLOSE, REFUSED_CONNACK, runTool, startBroker, type TestBroker } from './broker-support.js';

let broker: TestBroker;
before(async () => {
  broker = await startBroker();
});
after(() => broker.stop());

/** Debian's mosquitto clients, MQTT 3.1.1 and MQTT 5. */
for (const [version, label] of [
  ['mqttv311', 'MQTT 3.1.1'],
  ['mqttv5', 'MQTT 5'],
] as const) {
  const common = (username = ADMITTED) => ['-h', '127.0.0.1', '-p', String(broker.port), '-V', version, '-u', username];

  describe(`mosquitto_pub / mosquitto_sub ${label}`, () => {
    test('QoS 1 publish reaches a wildcard subscriber', async () => {
      const subscriber = mosquittoSub([...common(), '-t', `mosq/${version}/+`, '-q', '1', '-C', '1', '-v']);
      await subscriber.subscribed;
      const published = await runTool('mosquitto_pub', [
        ...common(),
        '-t',
        `mosq/${version}/a`,
        '-m',
        'hello',
        '-q',
        '1',
      ]);
      assert.equal(published.code, 0, published.stderr);
      const result = await subscriber.done;
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, `mosq/${version}/a hello\n`);
    });

    test('a CONNACK refusal is "not authorised"; a refusal by close fails too', async () => {
      const refused = await runTool('mosquitto_pub', [...common(REFUSED_CONNACK), '-t', 'x', '-m', 'x']);
      assert.equal(refused.code, version === 'mqttv5' ? 0x87 : 5, refused.stderr);
      assert.match(refused.stderr, /not authori[sz]ed/i);
      const closed = await runTool('mosquitto_pub', [...common(REFUSED_CLOSE), '-t', 'x', '-m', 'x']);
      assert.notEqual(closed.code, 0);
    });

    test('retained: set, delivered to a late subscriber, cleared', async () => {
      const topic = `mosq-ret/${version}`;
      const set = await runTool('mosquitto_pub', [...common(), '-t', topic, '-m', 'kept', '-q', '1', '-r']);
      assert.equal(set.code, 0, set.stderr);
      const got = await runTool('mosquitto_sub', [...common(), '-t', topic, '-C', '1']);
      assert.equal(got.stdout, 'kept\n');
      const clear = await runTool('mosquitto_pub', [...common(), '-t', topic, '-n', '-q', '1', '-r']);
      assert.equal(clear.code, 0, clear.stderr);
      // Retained messages come in the order of the filters of one SUBSCRIBE: the marker's alone proves none for topic.
      const marker = `mosq-ret-marker/${version}`;
      await runTool('mosquitto_pub', [...common(), '-t', marker, '-m', 'marker', '-q', '1', '-r']);
      const none = await runTool('mosquitto_sub', [...common(), '-t', topic, '-t', marker, '-C', '1', '-v']);
      await runTool('mosquitto_pub', [...common(), '-t', marker, '-n', '-q', '1', '-r']);
      assert.equal(none.stdout, `${marker} marker\n`);
    });

    test('a denied publish: MQTT 5 is told (PUBACK 0x87), MQTT 3.1.1 loses the connection', async () => {
      const denied = await runTool('mosquitto_pub', [...common(), '-t', 'denied/x', '-m', 'x', '-q', '1']);
      if (version === 'mqttv5') assert.match(denied.stderr, /Publish 1 failed: Not authori[sz]ed/i);
      else {
        assert.notEqual(denied.code, 0);
        assert.match(denied.stderr, /connection was lost/i);
      }
    });

    test('a denied subscription is reported', async () => {
      // It ends by itself on the refusal; -W only guards against a hang.
      const denied = await runTool('mosquitto_sub', [...common(), '-t', 'denied/x', '-W', '20']);
      assert.match(denied.stderr, /All subscription requests were denied/);
    });
  });
}
