import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ApplicationMessage } from '../../../../src/server/mqtt/broker/message.js';
import {
  decodeMessage,
  decodeRetained,
  encodeHeaders,
  encodeRetained,
  HEADER,
  retainedKey,
  topicOfRetainedKey,
} from '../../../../src/server/mqtt/cluster/message-codec.js';

const FULL: ApplicationMessage = {
  topic: 'a/b',
  payload: Buffer.from([0, 1, 2, 255]),
  qos: 1,
  retain: true,
  receivedAt: 1_765_000_000_123,
  properties: {
    payloadFormatIndicator: true,
    messageExpiryInterval: 60,
    contentType: 'application/json; charset=é',
    responseTopic: 'reply/to',
    correlationData: Buffer.from([9, 8, 7, 0]),
    userProperties: { line: 'one\r\ntwo', many: ['x', 'y'] },
  },
};

function roundTrip(message: ApplicationMessage, envelope = { origin: 'node-1', sequence: 42 }) {
  const headers = new Map(encodeHeaders(message, envelope));
  for (const value of headers.values()) assert.match(value, /^[\x21-\x7e]*$/, 'header values are printable ASCII');
  return decodeMessage(message.topic, new Uint8Array(message.payload), (name) => headers.get(name));
}

describe('routed messages between replicas', () => {
  test('QoS, retain flag, receivedAt and every MQTT 5 forwarded property travel', () => {
    assert.deepEqual(roundTrip(FULL), { envelope: { origin: 'node-1', sequence: 42 }, message: FULL });
  });

  test('a message without properties stays without', () => {
    const plain: ApplicationMessage = { topic: 't', payload: Buffer.alloc(0), qos: 0, retain: false, receivedAt: 5 };
    assert.deepEqual(roundTrip(plain)?.message, plain);
  });

  test('missing or malformed headers are refused', () => {
    const good = new Map(encodeHeaders(FULL, { origin: 'n', sequence: 1 }));
    const broken: Array<[string, string | undefined]> = [
      [HEADER.origin, undefined],
      [HEADER.origin, ''],
      [HEADER.sequence, '-1'],
      [HEADER.sequence, 'x'],
      [HEADER.qos, '2'],
      [HEADER.qos, undefined],
      [HEADER.retain, 'yes'],
      [HEADER.receivedAt, '1.5'],
      [HEADER.properties, '!!!'],
      [HEADER.properties, Buffer.from('[1]').toString('base64url')],
    ];
    for (const [name, value] of broken) {
      const headers = new Map(good);
      if (value === undefined) headers.delete(name);
      else headers.set(name, value);
      assert.equal(
        decodeMessage('t', new Uint8Array(), (n) => headers.get(n)),
        undefined,
        `${name}=${value}`,
      );
    }
  });
});

describe('retained messages in the KV bucket', () => {
  test('a value round-trips', () => {
    assert.deepEqual(decodeRetained(FULL.topic, encodeRetained(FULL)), FULL);
  });

  test('garbage values are refused', () => {
    for (const text of ['', 'null', '{"qos":2,"receivedAt":1,"payload":""}', '{"qos":1,"payload":""}', '[]']) {
      assert.equal(decodeRetained('t', Buffer.from(text)), undefined, text);
    }
  });

  test('any topic gives a valid KV key that names its namespace and topic again', () => {
    const topics = ['a', '/', 'a//b', '$aws/x', 'sp ace', 'dot.ted', '*', '>', 'é/😀', 'a'.repeat(200)];
    for (const namespace of ['', '111122223333/us-east-1']) {
      for (const topic of topics) {
        const key = retainedKey(namespace, topic);
        assert.match(key, /^[-/_=.a-zA-Z0-9]+$/);
        assert.ok(!key.startsWith('.') && !key.endsWith('.'), key);
        assert.deepEqual(topicOfRetainedKey(key), { namespace, topic });
      }
    }
    assert.notEqual(retainedKey('a', 'b'), retainedKey('b', 'a'));
    for (const key of ['x', 'a.b.c', '_.', '_YQ', '_YQ._']) assert.equal(topicOfRetainedKey(key), undefined, key);
  });
});
