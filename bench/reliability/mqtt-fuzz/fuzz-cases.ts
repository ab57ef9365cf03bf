import { generate, type Packet } from 'mqtt-packet';
import type { Prng } from '../prng.js';
import { bodyOffset, field, frame, u16, u32, varint } from './wire.js';

/** How a packet was made: valid, or which part of it was broken. */
export const MUTATIONS = [
  'valid',
  'bit-flip',
  'remaining-length',
  'fixed-header',
  'bad-utf8',
  'string-length',
  'properties',
  'qos-retain-id',
  'random-bytes',
] as const;
/** Mutations only CONNECT gets: its flags byte, its protocol level. */
export const CONNECT_MUTATIONS = ['connect-flags', 'protocol-level'] as const;
export type Mutation = (typeof MUTATIONS)[number] | (typeof CONNECT_MUTATIONS)[number];

export type ProtocolVersion = 3 | 4 | 5;

export interface FuzzPacket {
  readonly mutation: Mutation;
  readonly bytes: Buffer;
}

/** One fuzz connection: a CONNECT (itself fuzzed or not), then packets sent once admitted (or straight after it). */
export interface FuzzCase {
  readonly index: number;
  readonly version: ProtocolVersion;
  readonly connect: FuzzPacket;
  readonly packets: readonly FuzzPacket[];
}

/** Byte sequences MQTT forbids in a string, and some random ones. */
const BAD_UTF8 = [
  'c328',
  'eda080',
  'edbfbf',
  '00',
  'c080',
  'e080af',
  'f4908080',
  '80',
  'f09f98',
  'ff',
  'fe',
  'c1bf',
].map((hex) => Buffer.from(hex, 'hex'));
const TOPIC_LEVELS = [
  'a',
  'b',
  'sensors',
  'fuzz',
  '+',
  '#',
  '',
  '$aws',
  '$SYS',
  'ü',
  '😀',
  '\uFFFD',
  '\uFEFF',
  '\u0001',
];
const AWS_TOPICS = [
  '$aws/certificates/create/json',
  '$aws/provisioning-templates/t/provision/json',
  '$aws/things/x/shadow',
];

/** The MQTT 5 properties and their wire types (MQTT 5 §2.2.2.2). */
const PROPERTY_TYPES: ReadonlyArray<
  readonly [number, 'byte' | 'int16' | 'int32' | 'var' | 'string' | 'binary' | 'pair']
> = [
  [0x01, 'byte'],
  [0x02, 'int32'],
  [0x03, 'string'],
  [0x08, 'string'],
  [0x09, 'binary'],
  [0x0b, 'var'],
  [0x11, 'int32'],
  [0x12, 'string'],
  [0x13, 'int16'],
  [0x15, 'string'],
  [0x16, 'binary'],
  [0x17, 'byte'],
  [0x18, 'int32'],
  [0x19, 'byte'],
  [0x1a, 'string'],
  [0x1c, 'string'],
  [0x1f, 'string'],
  [0x21, 'int16'],
  [0x22, 'int16'],
  [0x23, 'int16'],
  [0x24, 'byte'],
  [0x25, 'byte'],
  [0x26, 'pair'],
  [0x27, 'int32'],
  [0x28, 'byte'],
  [0x29, 'byte'],
  [0x2a, 'byte'],
];

/** Text the fuzzer finds again in an encoded packet to break (the same length as what replaces it). */
function placeholder(length: number): string {
  return `<<${'x'.repeat(length)}>>`;
}

/** Case `index` of a run, from its own generator. */
export function fuzzCase(random: Prng, index: number, fuzzConnectShare: number): FuzzCase {
  const version = random.pick([3, 4, 4, 5, 5] as const);
  const clientId = `fz-${index}`;
  const fuzzConnect = random.chance(fuzzConnectShare);
  const connect: FuzzPacket = fuzzConnect
    ? mutateConnect(random, version, clientId)
    : { mutation: 'valid', bytes: encode(validConnect(random, version, clientId), version) };
  const count = random.int(fuzzConnect ? 0 : 1, 4);
  const packets: FuzzPacket[] = [];
  for (let i = 0; i < count; i++) packets.push(mutatePacket(random, version));
  return { index, version, connect, packets };
}

function encode(packet: Packet, version: ProtocolVersion): Buffer {
  return generate(packet, { protocolVersion: version });
}

// --- valid packets ---

function topic(random: Prng, wildcards: boolean): string {
  if (random.chance(0.05)) return random.pick(AWS_TOPICS);
  const levels: string[] = [];
  const count = random.int(1, 4);
  for (let i = 0; i < count; i++) {
    let level = random.pick(TOPIC_LEVELS);
    if (!wildcards && (level === '+' || level === '#')) level = 'w';
    levels.push(level);
  }
  if (random.chance(0.02)) levels.push('x'.repeat(random.int(100, 2000)));
  const joined = levels.join('/');
  return joined === '' ? 'empty' : joined;
}

function userProperties(random: Prng): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = random.int(1, 3); i > 0; i--) out[topic(random, true)] = topic(random, true);
  return out;
}

function publishProperties(random: Prng): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  if (random.chance(0.3)) properties.payloadFormatIndicator = random.chance(0.5);
  if (random.chance(0.3)) properties.messageExpiryInterval = random.int(0, 100);
  if (random.chance(0.3)) properties.contentType = topic(random, true);
  if (random.chance(0.3)) properties.responseTopic = topic(random, false);
  if (random.chance(0.3)) properties.correlationData = random.bytes(random.int(0, 16));
  if (random.chance(0.3)) properties.userProperties = userProperties(random);
  if (random.chance(0.05)) properties.topicAlias = random.int(0, 5);
  if (random.chance(0.05)) properties.subscriptionIdentifier = random.int(1, 300);
  return properties;
}

export function validConnect(random: Prng, version: ProtocolVersion, clientId: string): Packet {
  const packet: Packet = {
    cmd: 'connect',
    protocolId: version === 3 ? 'MQIsdp' : 'MQTT',
    protocolVersion: version,
    clientId,
    clean: random.chance(0.8),
    keepalive: random.pick([0, 1, 30, 60, 65535]),
  };
  if (random.chance(0.3)) {
    packet.will = {
      topic: topic(random, false),
      payload: random.bytes(random.int(0, 32)),
      qos: random.pick([0, 1] as const),
      retain: random.chance(0.3),
      ...(version === 5 && random.chance(0.5) ? { properties: { willDelayInterval: random.int(0, 5) } } : {}),
    };
  }
  if (random.chance(0.3)) packet.username = topic(random, true);
  if (packet.username !== undefined && random.chance(0.5)) packet.password = random.bytes(random.int(0, 16));
  if (version === 5 && random.chance(0.5)) {
    packet.properties = {
      ...(random.chance(0.5) ? { sessionExpiryInterval: random.int(0, 7200) } : {}),
      ...(random.chance(0.3) ? { receiveMaximum: random.int(1, 100) } : {}),
      ...(random.chance(0.3) ? { maximumPacketSize: random.int(20, 100_000) } : {}),
      ...(random.chance(0.3) ? { userProperties: userProperties(random) } : {}),
    };
  }
  return packet;
}

function validPacket(random: Prng, version: ProtocolVersion, stringField?: string): Packet {
  const v5 = version === 5;
  const messageId = random.chance(0.02) ? 0 : random.int(1, 65535);
  const kind = random.pick([
    'publish',
    'publish',
    'publish',
    'subscribe',
    'subscribe',
    'unsubscribe',
    'puback',
    'pingreq',
    'pubrec',
    'pubrel',
    'pubcomp',
    'disconnect',
    'connect',
    'auth',
  ] as const);
  const name = (wildcards: boolean) => stringField ?? topic(random, wildcards);
  switch (kind) {
    case 'publish': {
      const qos = random.pick([0, 1, 1, 2] as const);
      return {
        cmd: 'publish',
        topic: name(false),
        payload: random.bytes(random.int(0, 64)),
        qos,
        retain: random.chance(0.2),
        dup: random.chance(0.1),
        ...(qos > 0 ? { messageId } : {}),
        ...(v5 && random.chance(0.5) ? { properties: publishProperties(random) } : {}),
      } as Packet;
    }
    case 'subscribe':
      return {
        cmd: 'subscribe',
        messageId,
        subscriptions: Array.from({ length: random.int(1, 3) }, () => ({
          topic: name(true),
          qos: random.pick([0, 1, 2] as const),
          ...(v5 ? { nl: random.chance(0.3), rap: random.chance(0.3), rh: random.int(0, 2) } : {}),
        })),
        ...(v5 && random.chance(0.3) ? { properties: { userProperties: userProperties(random) } } : {}),
      } as Packet;
    case 'unsubscribe':
      return {
        cmd: 'unsubscribe',
        messageId,
        unsubscriptions: Array.from({ length: random.int(1, 3) }, () => name(true)),
        ...(v5 && random.chance(0.3) ? { properties: { userProperties: userProperties(random) } } : {}),
      } as Packet;
    case 'puback':
      return {
        cmd: 'puback',
        messageId,
        ...(v5 ? { reasonCode: random.pick([0, 0x10, 0x80, 0x87]) } : {}),
        ...(v5 && random.chance(0.3) ? { properties: { reasonString: name(true) } } : {}),
      } as Packet;
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp':
      return { cmd: kind, messageId } as Packet;
    case 'disconnect':
      return {
        cmd: 'disconnect',
        ...(v5 ? { reasonCode: random.pick([0, 4, 0x80]) } : {}),
        ...(v5 && random.chance(0.5)
          ? { properties: { sessionExpiryInterval: random.int(0, 100), reasonString: name(true) } }
          : {}),
      } as Packet;
    case 'connect':
      return validConnect(random, version, 'second-connect');
    case 'auth':
      return v5
        ? ({ cmd: 'auth', reasonCode: 0x18, properties: { authenticationMethod: name(true) } } as Packet)
        : { cmd: 'pingreq' };
    default:
      return { cmd: 'pingreq' };
  }
}

/** A valid packet as bytes; a packet mqtt-packet will not encode becomes PINGREQ. */
function validBytes(random: Prng, version: ProtocolVersion, stringField?: string): Buffer {
  try {
    return encode(validPacket(random, version, stringField), version);
  } catch {
    return Buffer.from([0xc0, 0x00]);
  }
}

// --- mutations ---

function mutatePacket(random: Prng, version: ProtocolVersion): FuzzPacket {
  const mutation: (typeof MUTATIONS)[number] = random.pick(MUTATIONS);
  return { mutation, bytes: applyMutation(random, mutation, version, (text) => validBytes(random, version, text)) };
}

/**
 * Applies `mutation` to a packet made by `make` (called with a placeholder string when the mutation needs one).
 */
function applyMutation(
  random: Prng,
  mutation: (typeof MUTATIONS)[number],
  version: ProtocolVersion,
  make: (stringField?: string) => Buffer,
): Buffer {
  switch (mutation) {
    case 'valid':
      return make();
    case 'bit-flip':
      return bitFlip(random, make());
    case 'remaining-length':
      return breakRemainingLength(random, make());
    case 'fixed-header': {
      const bytes = Buffer.from(make());
      bytes[0] = random.chance(0.5) ? ((bytes[0] as number) & 0xf0) | random.int(0, 15) : random.int(0, 255);
      return bytes;
    }
    case 'bad-utf8':
    case 'string-length': {
      const bad = random.chance(0.8) ? random.pick(BAD_UTF8) : random.bytes(random.int(1, 6));
      const text = placeholder(bad.length);
      const bytes = Buffer.from(make(text));
      const at = bytes.indexOf(Buffer.from(text));
      if (at < 0) return bitFlip(random, bytes);
      if (mutation === 'bad-utf8') {
        bad.copy(bytes, at + 2);
      } else {
        // The length prefix of the string: past the packet, zero, or off by a little.
        const length = random.pick([0xffff, 0, bytes.length, text.length + random.int(1, 8), random.int(0, 3)]);
        bytes.writeUInt16BE(length, at - 2);
      }
      return bytes;
    }
    case 'properties':
      return version === 5 ? packetWithRawProperties(random) : bitFlip(random, make());
    case 'qos-retain-id':
      return qosRetainId(random, version);
    case 'random-bytes':
      return random.bytes(random.int(1, 64));
  }
}

function bitFlip(random: Prng, packet: Buffer): Buffer {
  const bytes = Buffer.from(packet);
  for (let i = random.int(1, 4); i > 0; i--) {
    const at = random.int(0, bytes.length - 1);
    bytes[at] = random.chance(0.5) ? (bytes[at] as number) ^ (1 << random.int(0, 7)) : random.int(0, 255);
  }
  return bytes;
}

function breakRemainingLength(random: Prng, packet: Buffer): Buffer {
  const start = bodyOffset(packet) ?? 2;
  const body = packet.subarray(start);
  const header = Buffer.from([packet[0] as number]);
  switch (random.int(0, 5)) {
    case 0: // five bytes, all with the continuation bit: longer than MQTT allows
      return Buffer.concat([header, Buffer.from([0xff, 0xff, 0xff, 0xff, 0x7f]), body]);
    case 1: // the true length, encoded with a redundant continuation byte
      return Buffer.concat([header, Buffer.from([(body.length & 0x7f) | 0x80, 0x00]), body]);
    case 2: // longer than what follows: the server waits for the rest
      return Buffer.concat([header, varint(body.length + random.int(1, 300)), body]);
    case 3: // shorter: the rest reads as another packet
      return Buffer.concat([header, varint(Math.max(0, body.length - random.int(1, 10))), body]);
    case 4: // the length field cut off
      return Buffer.concat([header, Buffer.from([0x80 | random.int(0, 127)])]);
    default: // a large announced length within the server's limit, then a little of it
      return Buffer.concat([header, varint(random.int(1_000, 120_000)), body]);
  }
}

function randomPropertyValue(random: Prng, type: (typeof PROPERTY_TYPES)[number][1]): Buffer {
  const text = () => (random.chance(0.3) ? random.pick(BAD_UTF8) : Buffer.from(topic(random, true)));
  switch (type) {
    case 'byte':
      return Buffer.from([random.pick([0, 1, 2, 255])]);
    case 'int16':
      return u16(random.pick([0, 1, 10, 65535]));
    case 'int32':
      return u32(random.pick([0, 1, 3600, 0xffffffff]));
    case 'var':
      return random.chance(0.8) ? varint(random.int(0, 268_435_455)) : Buffer.from([0xff, 0xff, 0xff, 0xff, 0x7f]);
    case 'string':
      return field(text());
    case 'binary':
      return field(random.bytes(random.int(0, 16)));
    case 'pair':
      return Buffer.concat([field(text()), field(text())]);
  }
}

/** A property section: known properties (some twice), unknown identifiers, values of the wrong size. */
function rawProperties(random: Prng): Buffer {
  const parts: Buffer[] = [];
  for (let i = random.int(0, 5); i > 0; i--) {
    if (random.chance(0.1)) {
      parts.push(Buffer.from([random.int(0, 255)]), random.bytes(random.int(0, 4)));
      continue;
    }
    const [id, type] = random.pick(PROPERTY_TYPES);
    const value = randomPropertyValue(random, type);
    parts.push(Buffer.from([id]), random.chance(0.1) ? value.subarray(0, random.int(0, value.length)) : value);
  }
  const properties = Buffer.concat(parts);
  // Sometimes the section says it is longer or shorter than it is.
  const announced = random.chance(0.2) ? Math.max(0, properties.length + random.int(-3, 3)) : properties.length;
  return Buffer.concat([varint(announced), properties]);
}

/** MQTT 5 PUBLISH, SUBSCRIBE, UNSUBSCRIBE, PUBACK or DISCONNECT written by hand around random properties. */
function packetWithRawProperties(random: Prng): Buffer {
  const properties = rawProperties(random);
  switch (random.int(0, 4)) {
    case 0: {
      const qos = random.int(0, 1);
      return frame(
        0x30 | (qos << 1),
        Buffer.concat([
          field(topic(random, false)),
          qos ? u16(random.int(1, 65535)) : Buffer.alloc(0),
          properties,
          random.bytes(8),
        ]),
      );
    }
    case 1:
      return frame(
        0x82,
        Buffer.concat([u16(random.int(1, 65535)), properties, field(topic(random, true)), Buffer.from([1])]),
      );
    case 2:
      return frame(0xa2, Buffer.concat([u16(random.int(1, 65535)), properties, field(topic(random, true))]));
    case 3:
      return frame(0x40, Buffer.concat([u16(random.int(1, 65535)), Buffer.from([0x80]), properties]));
    default:
      return frame(0xe0, Buffer.concat([Buffer.from([random.pick([0, 4])]), properties]));
  }
}

/** PUBLISH flags and identifiers at their edges: QoS 3 and 2, DUP on QoS 0, retain, packet id 0. */
function qosRetainId(random: Prng, version: ProtocolVersion): Buffer {
  const v5 = version === 5;
  const kind = random.int(0, 3);
  if (kind === 0) {
    const qos = random.int(0, 3);
    const dup = random.chance(0.5) ? 0x08 : 0;
    const retain = random.chance(0.5) ? 0x01 : 0;
    const id = qos > 0 ? u16(random.pick([0, 1, 65535])) : Buffer.alloc(0);
    const props = v5 ? Buffer.from([0]) : Buffer.alloc(0);
    return frame(
      0x30 | dup | (qos << 1) | retain,
      Buffer.concat([field(topic(random, false)), id, props, random.bytes(4)]),
    );
  }
  if (kind === 1) {
    // SUBSCRIBE with id 0, or options with reserved bits / QoS 3.
    const options = random.pick([0x03, 0xc0, 0x30, 0x0c, 0xff]);
    const props = v5 ? Buffer.from([0]) : Buffer.alloc(0);
    return frame(
      0x82,
      Buffer.concat([u16(random.pick([0, 1])), props, field(topic(random, true)), Buffer.from([options])]),
    );
  }
  if (kind === 2) return frame(0x40, u16(random.pick([0, 65535]))); // PUBACK of nothing sent
  // UNSUBSCRIBE with no filter at all.
  return frame(0xa2, Buffer.concat([u16(random.int(0, 3)), v5 ? Buffer.from([0]) : Buffer.alloc(0)]));
}

// --- CONNECT itself ---

function mutateConnect(random: Prng, version: ProtocolVersion, clientId: string): FuzzPacket {
  const make = (text?: string): Buffer => {
    const packet = validConnect(random, version, clientId) as Extract<Packet, { cmd: 'connect' }>;
    if (text !== undefined) {
      const where = random.int(0, version === 5 ? 4 : 2);
      if (where === 0) packet.clientId = `${clientId}${text}`;
      else if (where === 1) packet.username = text;
      else if (where === 2) packet.will = { topic: `w/${text}`, payload: Buffer.from('x'), qos: 0, retain: false };
      else if (where === 3) packet.properties = { userProperties: { k: text } };
      else
        packet.will = {
          topic: 'w',
          payload: Buffer.alloc(0),
          qos: 0,
          retain: false,
          properties: { contentType: text },
        };
    }
    return encode(packet, version);
  };
  const mutation = random.pick([...MUTATIONS, ...CONNECT_MUTATIONS]);
  if (mutation === 'connect-flags' || mutation === 'protocol-level') {
    const bytes = Buffer.from(make());
    const start = bodyOffset(bytes) ?? 2;
    const nameLength = bytes.readUInt16BE(start);
    const level = start + 2 + nameLength;
    if (mutation === 'protocol-level') bytes[level] = random.pick([0, 1, 2, 3, 4, 5, 6, 0x83, 0x84, 0x85, 255]);
    // Reserved bit, will QoS 3, will flags without a will, password without user name, or anything.
    else bytes[level + 1] = random.pick([0x01, 0x1c, 0x18, 0x20, 0x40, 0x42, random.int(0, 255)]);
    return { mutation, bytes };
  }
  if (mutation === 'properties') {
    if (version !== 5) return { mutation, bytes: bitFlip(random, make()) };
    const body = Buffer.concat([
      field('MQTT'),
      Buffer.from([5, 0x02]),
      u16(60),
      rawProperties(random),
      field(clientId),
    ]);
    return { mutation, bytes: frame(0x10, body) };
  }
  return { mutation, bytes: applyMutation(random, mutation, version, make) };
}
