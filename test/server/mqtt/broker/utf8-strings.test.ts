import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { MqttClient } from 'mqtt';
import { generate, type Packet } from 'mqtt-packet';
import { isValidMqttString } from '../../../../src/server/mqtt/broker/strict-parser.js';
import {
  ADMITTED,
  connectClient,
  RawClient,
  receivedUntil,
  startBroker,
  type TestBroker,
  uniqueId,
  until,
} from './broker-support.js';

/**
 * MQTT's UTF-8 rule (MQTT 3.1.1 §1.5.3, MQTT 5 §1.5.4) on every string a client sends: mqtt-packet would decode bad
 * bytes to U+FFFD, so these packets are written byte by byte (no MQTT client sends them).
 */

let broker: TestBroker;
/** Subscribed to `#` throughout: nothing built from a bad string may ever reach it. */
let everything: MqttClient;

before(async () => {
  broker = await startBroker();
  everything = await connectClient(broker.port, 5, { clientId: 'hears-everything' });
  await everything.subscribeAsync('#', { qos: 1 });
});
after(async () => {
  await everything.endAsync();
  await broker.stop();
});

const INVALID: ReadonlyArray<readonly [string, Buffer]> = [
  ['C3 28 (a lead byte without its continuation)', Buffer.from('c328', 'hex')],
  ['ED A0 80 (the surrogate U+D800)', Buffer.from('eda080', 'hex')],
  ['ED BF BF (the surrogate U+DFFF)', Buffer.from('edbfbf', 'hex')],
  ['00 (U+0000)', Buffer.from('00', 'hex')],
  ['C0 80 (an overlong U+0000)', Buffer.from('c080', 'hex')],
  ['E0 80 AF (an overlong "/")', Buffer.from('e080af', 'hex')],
  ['F4 90 80 80 (above U+10FFFF)', Buffer.from('f4908080', 'hex')],
  ['80 (a lone continuation byte)', Buffer.from('80', 'hex')],
  ['F0 9F 98 (a 4-byte character cut short)', Buffer.from('f09f98', 'hex')],
  ['FF (never in UTF-8)', Buffer.from('ff', 'hex')],
];

const VALID: ReadonlyArray<readonly [string, string]> = [
  ['U+1F600 (4 bytes)', '\u{1F600}'],
  ['U+FFFD itself (EF BF BD)', '\uFFFD'],
  ['U+FEFF (kept, not stripped)', '\uFEFF'],
  ['U+10FFFF (the last code point)', '\u{10FFFF}'],
  ['U+D7FF and U+E000 (either side of the surrogates)', '\uD7FF\uE000'],
  ['U+0001 and U+007F (control characters: discouraged, not malformed)', '\u0001\u007F'],
];

/** A placeholder of `n` bytes that the test finds again in the encoded packet. */
function placeholder(n: number): string {
  return `<<${'x'.repeat(n)}>>`;
}

/** `build(placeholder)` encoded, the placeholder's inside then overwritten with `bytes` (same length, so lengths hold). */
function encodeWith(build: (text: string) => Packet, version: 4 | 5, bytes: Buffer): Buffer {
  const marker = Buffer.from(placeholder(bytes.length));
  const encoded = generate(build(marker.toString()), { protocolVersion: version });
  const at = encoded.indexOf(marker);
  assert.ok(at >= 0 && encoded.indexOf(marker, at + 1) < 0, 'the placeholder appears once');
  bytes.copy(encoded, at + 2);
  return encoded;
}

/** `<<text>>`, the string the broker must see when the placeholder's inside is valid. */
function around(text: string): string {
  return `<<${text}>>`;
}

function connectWith(version: 4 | 5, fields: Partial<Extract<Packet, { cmd: 'connect' }>>): Packet {
  return {
    cmd: 'connect',
    protocolId: 'MQTT',
    protocolVersion: version,
    clientId: uniqueId('utf8'),
    clean: true,
    keepalive: 60,
    username: ADMITTED,
    ...fields,
  };
}

const WILL = { topic: 'wills/utf8', payload: Buffer.from('gone'), qos: 0, retain: false } as const;

interface Field {
  readonly name: string;
  readonly versions: readonly (4 | 5)[];
  readonly build: (version: 4 | 5, text: string) => Packet;
}

/** Every string a CONNECT carries. */
const CONNECT_FIELDS: readonly Field[] = [
  { name: 'client identifier', versions: [4, 5], build: (v, text) => connectWith(v, { clientId: text }) },
  { name: 'user name', versions: [4, 5], build: (v, text) => connectWith(v, { username: `device@${text}` }) },
  {
    name: 'will topic',
    versions: [4, 5],
    build: (v, text) => connectWith(v, { will: { ...WILL, topic: `wills/${text}` } }),
  },
  {
    name: 'user property name',
    versions: [5],
    build: (v, text) => connectWith(v, { properties: { userProperties: { [text]: 'v' } } }),
  },
  {
    name: 'user property value',
    versions: [5],
    build: (v, text) => connectWith(v, { properties: { userProperties: { k: text } } }),
  },
  {
    name: 'will content type',
    versions: [5],
    build: (v, text) => connectWith(v, { will: { ...WILL, properties: { contentType: text } } }),
  },
  {
    name: 'will response topic',
    versions: [5],
    build: (v, text) => connectWith(v, { will: { ...WILL, properties: { responseTopic: `replies/${text}` } } }),
  },
  {
    name: 'will user property',
    versions: [5],
    build: (v, text) => connectWith(v, { will: { ...WILL, properties: { userProperties: { [text]: 'v' } } } }),
  },
];

/** Every string the packets of an admitted connection carry. */
const LATER_FIELDS: readonly Field[] = [
  {
    name: 'PUBLISH topic name',
    versions: [4, 5],
    build: (_v, text) => ({
      cmd: 'publish',
      topic: `t/${text}`,
      payload: Buffer.from('p'),
      qos: 0,
      retain: false,
      dup: false,
    }),
  },
  {
    name: 'PUBLISH content type',
    versions: [5],
    build: (_v, text) => ({
      cmd: 'publish',
      topic: 't/ct',
      payload: Buffer.from('p'),
      qos: 1,
      messageId: 7,
      retain: false,
      dup: false,
      properties: { contentType: text },
    }),
  },
  {
    name: 'PUBLISH response topic',
    versions: [5],
    build: (_v, text) => ({
      cmd: 'publish',
      topic: 't/rt',
      payload: Buffer.from('p'),
      qos: 0,
      retain: false,
      dup: false,
      properties: { responseTopic: `r/${text}` },
    }),
  },
  {
    name: 'PUBLISH user property',
    versions: [5],
    build: (_v, text) => ({
      cmd: 'publish',
      topic: 't/up',
      payload: Buffer.from('p'),
      qos: 0,
      retain: true,
      dup: false,
      properties: { userProperties: { k: text } },
    }),
  },
  {
    name: 'SUBSCRIBE topic filter',
    versions: [4, 5],
    build: (_v, text) => ({ cmd: 'subscribe', messageId: 3, subscriptions: [{ topic: `f/${text}/#`, qos: 1 }] }),
  },
  {
    name: 'SUBSCRIBE user property',
    versions: [5],
    build: (_v, text) => ({
      cmd: 'subscribe',
      messageId: 3,
      subscriptions: [{ topic: 'f/#', qos: 1 }],
      properties: { userProperties: { [text]: 'v' } },
    }),
  },
  {
    name: 'UNSUBSCRIBE topic filter',
    versions: [4, 5],
    build: (_v, text) => ({ cmd: 'unsubscribe', messageId: 4, unsubscriptions: [`f/${text}`] }),
  },
  {
    name: 'UNSUBSCRIBE user property',
    versions: [5],
    build: (_v, text) => ({
      cmd: 'unsubscribe',
      messageId: 4,
      unsubscriptions: ['f/x'],
      properties: { userProperties: { k: text } },
    }),
  },
  {
    name: 'PUBACK reason string',
    versions: [5],
    build: (_v, text) => ({ cmd: 'puback', messageId: 9, reasonCode: 0x80, properties: { reasonString: text } }),
  },
  {
    name: 'DISCONNECT reason string',
    versions: [5],
    build: (_v, text) => ({ cmd: 'disconnect', reasonCode: 0, properties: { reasonString: text } }),
  },
];

/** Ends a "nothing arrived" check: the `#` subscriber's messages up to a marker published now. */
async function deliveredSoFar(): Promise<string[]> {
  const marker = `marker/${uniqueId()}`;
  const seen = receivedUntil(everything, marker);
  await everything.publishAsync(marker, 'end', { qos: 1 });
  return (await seen).map((packet) => packet.topic);
}

describe('isValidMqttString', () => {
  test('refuses every invalid sequence, accepts the valid edge cases', () => {
    for (const [name, bytes] of INVALID) assert.equal(isValidMqttString(bytes), false, name);
    for (const [name, text] of VALID) assert.equal(isValidMqttString(Buffer.from(text)), true, name);
    assert.equal(isValidMqttString(Buffer.alloc(0)), true, 'the empty string');
  });
});

describe('a CONNECT with an invalid string', () => {
  for (const field of CONNECT_FIELDS) {
    for (const version of field.versions) {
      test(`${field.name}, MQTT ${version === 5 ? '5: CONNACK 0x81' : '3.1.1: closed without CONNACK'}, never admitted`, async () => {
        for (const [name, bytes] of INVALID) {
          const admittedBefore = broker.admissions.length;
          const reportsBefore = broker.malformed.length;
          const client = await RawClient.open(broker.port, version);
          client.write(encodeWith((text) => field.build(version, text), version, bytes));
          if (version === 5) {
            const connack = await client.next('connack');
            assert.equal(connack.reasonCode, 0x81, name);
          }
          await client.waitClosed();
          assert.deepEqual(client.packets, [], `${name}: nothing else was sent`);
          assert.equal(broker.admissions.length, admittedBefore, `${name}: the admission hook never saw it`);
          assert.equal(broker.malformed.length, reportsBefore + 1, `${name}: reported once`);
          assert.equal(broker.malformed.at(-1)?.reason, 'invalid UTF-8 string in connect', name);
        }
        // The wills of connections never admitted are never published.
        assert.deepEqual(await deliveredSoFar(), []);
      });
    }
  }

  test('an invalid protocol name is malformed too (MQTT 3.1.1: closed)', async () => {
    const client = await RawClient.open(broker.port, 4);
    const packet = generate(connectWith(4, {}), { protocolVersion: 4 });
    packet.write('\u00ff', 4, 'latin1'); // "MQTT" → FF "QTT"
    client.write(packet);
    await client.waitClosed();
    assert.deepEqual(client.packets, []);
  });
});

describe('a CONNECT with valid edge-case strings', () => {
  for (const field of CONNECT_FIELDS) {
    for (const version of field.versions) {
      test(`${field.name}, MQTT ${version}: admitted, the strings intact`, async () => {
        for (const [name, text] of VALID) {
          const client = await RawClient.open(broker.port, version);
          client.write(encodeWith((inner) => field.build(version, inner), version, Buffer.from(text)));
          const connack = await client.next('connack');
          assert.equal(version === 5 ? connack.reasonCode : connack.returnCode, 0, name);
          const info = broker.admissions.at(-1)?.info;
          if (field.name === 'client identifier') assert.equal(info?.clientId, around(text), name);
          if (field.name === 'user name') assert.equal(info?.username, `device@${around(text)}`, name);
          client.send({ cmd: 'disconnect' });
          await client.waitClosed();
        }
      });
    }
  }
});

describe('packets of an admitted connection with an invalid string', () => {
  for (const field of LATER_FIELDS) {
    for (const version of field.versions) {
      test(`${field.name}, MQTT ${version === 5 ? '5: DISCONNECT 0x81' : '3.1.1: closed'}; nothing routed`, async () => {
        for (const [name, bytes] of INVALID) {
          const clientId = uniqueId('bad');
          const client = await RawClient.connected(broker.port, version, { clientId });
          await client.next('connack');
          const publishesBefore = broker.publishes.length;
          client.write(encodeWith((text) => field.build(version, text), version, bytes));
          if (version === 5) assert.equal((await client.next('disconnect')).reasonCode, 0x81, name);
          await client.waitClosed();
          assert.deepEqual(client.packets, [], `${name}: no SUBACK, UNSUBACK or PUBACK`);
          assert.equal(broker.publishes.length, publishesBefore, `${name}: the publish hook never saw it`);
          const report = broker.malformed.at(-1);
          assert.equal(report?.connection.clientId, clientId, name);
          assert.match(
            report?.reason ?? '',
            /^invalid UTF-8 string in (publish|subscribe|unsubscribe|puback|disconnect)$/,
          );
        }
        assert.deepEqual(await deliveredSoFar(), [], 'nothing reached the # subscriber');
      });
    }
  }
});

describe('packets of an admitted connection with valid edge-case strings', () => {
  test('PUBLISH topic names reach a # subscriber byte for byte (MQTT 3.1.1 and 5)', async () => {
    for (const version of [4, 5] as const) {
      const client = await RawClient.connected(broker.port, version);
      await client.next('connack');
      const expected: string[] = [];
      const seen = receivedUntil(everything, `end/${version}`);
      for (const [, text] of VALID) {
        const build = LATER_FIELDS[0]?.build as Field['build'];
        client.write(encodeWith((inner) => build(version, inner), version, Buffer.from(text)));
        expected.push(`t/${around(text)}`);
      }
      client.send({
        cmd: 'publish',
        topic: `end/${version}`,
        payload: Buffer.from('x'),
        qos: 0,
        retain: false,
        dup: false,
      });
      const topics = (await seen).map((packet) => packet.topic);
      assert.deepEqual(topics, expected);
      client.send({ cmd: 'disconnect' });
      await client.waitClosed();
    }
  });

  test('MQTT 5 properties (content type, response topic, user properties) are forwarded intact', async () => {
    const client = await RawClient.connected(broker.port, 5);
    await client.next('connack');
    for (const [name, text] of VALID) {
      const seen = receivedUntil(everything, 'props/end');
      client.send({
        cmd: 'publish',
        topic: 'props/x',
        payload: Buffer.from('p'),
        qos: 0,
        retain: false,
        dup: false,
        properties: { contentType: text, responseTopic: `r/${text}`, userProperties: { [text]: text } },
      });
      client.send({ cmd: 'publish', topic: 'props/end', payload: Buffer.from('x'), qos: 0, retain: false, dup: false });
      const [message] = await seen;
      assert.equal(message?.properties?.contentType, text, name);
      assert.equal(message?.properties?.responseTopic, `r/${text}`, name);
      assert.deepEqual({ ...message?.properties?.userProperties }, { [text]: text }, name);
    }
    client.send({ cmd: 'disconnect' });
    await client.waitClosed();
  });

  test('SUBSCRIBE and UNSUBSCRIBE filters and user properties are accepted (MQTT 3.1.1 and 5)', async () => {
    for (const field of LATER_FIELDS.filter((f) => /SUBSCRIBE/.test(f.name))) {
      for (const version of field.versions) {
        const client = await RawClient.connected(broker.port, version);
        await client.next('connack');
        for (const [name, text] of VALID) {
          client.write(encodeWith((inner) => field.build(version, inner), version, Buffer.from(text)));
          const answer = field.name.startsWith('SUBSCRIBE')
            ? await client.next('suback')
            : await client.next('unsuback');
          assert.ok(answer, `${field.name}, ${name}`);
          if (answer.cmd === 'suback') assert.deepEqual(answer.granted, [1], `${field.name}, ${name}`);
        }
        client.send({ cmd: 'disconnect' });
        await client.waitClosed();
      }
    }
  });
});

describe('the broker after all that', () => {
  test('still serves: every bad connection is gone, a client round-trips', async () => {
    await until(() => broker.broker.connectionCount === 1);
    const client = await connectClient(broker.port, 4);
    const seen = receivedUntil(everything, 'after/end');
    await client.publishAsync('after/ok', 'fine', { qos: 1 });
    await client.publishAsync('after/end', 'x', { qos: 1 });
    assert.deepEqual(
      (await seen).map((packet) => packet.topic),
      ['after/ok'],
    );
    await client.endAsync();
  });
});
