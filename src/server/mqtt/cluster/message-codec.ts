import type { ApplicationMessage, ForwardedProperties } from '../broker/message.js';

/**
 * A routed message between replicas: the payload as is, the rest in NATS headers (the topic is the subject's).
 * Header values are ASCII only: the MQTT 5 properties (any UTF-8, binary correlation data) travel as base64url JSON.
 */
export const HEADER = {
  origin: 'Fleetca-Origin',
  sequence: 'Fleetca-Seq',
  qos: 'Fleetca-Qos',
  retain: 'Fleetca-Retain',
  receivedAt: 'Fleetca-Received-At',
  properties: 'Fleetca-Properties',
} as const;

/** Who sent a message (a replica's node id, new at each start) and its number among that replica's messages. */
export interface Envelope {
  readonly origin: string;
  readonly sequence: number;
}

export function encodeHeaders(message: ApplicationMessage, envelope: Envelope): Array<[string, string]> {
  const headers: Array<[string, string]> = [
    [HEADER.origin, envelope.origin],
    [HEADER.sequence, String(envelope.sequence)],
    [HEADER.qos, String(message.qos)],
    [HEADER.retain, message.retain ? '1' : '0'],
    [HEADER.receivedAt, String(message.receivedAt)],
  ];
  if (message.properties) headers.push([HEADER.properties, encodeProperties(message.properties)]);
  return headers;
}

/** The message and its envelope from headers (`get` reads one), or undefined when anything is missing or malformed. */
export function decodeMessage(
  topic: string,
  payload: Uint8Array,
  get: (name: string) => string | undefined,
): { readonly envelope: Envelope; readonly message: ApplicationMessage } | undefined {
  const origin = get(HEADER.origin);
  const sequence = wholeNumber(get(HEADER.sequence));
  const qos = get(HEADER.qos);
  const retain = get(HEADER.retain);
  const receivedAt = wholeNumber(get(HEADER.receivedAt));
  if (!origin || sequence === undefined || receivedAt === undefined) return undefined;
  if ((qos !== '0' && qos !== '1') || (retain !== '0' && retain !== '1')) return undefined;
  const encoded = get(HEADER.properties);
  const properties = encoded === undefined ? undefined : decodeProperties(encoded);
  if (encoded !== undefined && properties === undefined) return undefined;
  const message: ApplicationMessage = {
    topic,
    payload: Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength),
    qos: qos === '1' ? 1 : 0,
    retain: retain === '1',
    receivedAt,
    ...(properties ? { properties } : {}),
  };
  return { envelope: { origin, sequence }, message };
}

/** A retained message as a KV value (the key names its namespace and topic). */
export function encodeRetained(message: ApplicationMessage): Uint8Array {
  const value = {
    qos: message.qos,
    receivedAt: message.receivedAt,
    payload: message.payload.toString('base64'),
    ...(message.properties ? { properties: encodeProperties(message.properties) } : {}),
  };
  return Buffer.from(JSON.stringify(value));
}

export function decodeRetained(topic: string, value: Uint8Array): ApplicationMessage | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(value).toString('utf8')) as Record<string, unknown>;
    const { qos, receivedAt, payload, properties } = parsed;
    if ((qos !== 0 && qos !== 1) || !Number.isSafeInteger(receivedAt) || typeof payload !== 'string') return undefined;
    const decoded = typeof properties === 'string' ? decodeProperties(properties) : undefined;
    if (properties !== undefined && decoded === undefined) return undefined;
    return {
      topic,
      payload: Buffer.from(payload, 'base64'),
      qos,
      retain: true,
      receivedAt: receivedAt as number,
      ...(decoded ? { properties: decoded } : {}),
    };
  } catch {
    return undefined;
  }
}

/** The KV key of `topic` in `namespace`: base64url of both, which any topic gives a valid key (`[A-Za-z0-9_-]`). */
export function retainedKey(namespace: string, topic: string): string {
  return `${base64url(namespace)}.${base64url(topic)}`;
}

export function topicOfRetainedKey(key: string): { readonly namespace: string; readonly topic: string } | undefined {
  const parts = key.split('.');
  if (parts.length !== 2) return undefined;
  const [namespace, topic] = parts.map((part) => Buffer.from(part.slice(1), 'base64url').toString('utf8'));
  if (topic === '' || retainedKey(namespace as string, topic as string) !== key) return undefined;
  return { namespace: namespace as string, topic: topic as string };
}

/** `_` first so that an empty namespace still makes a non-empty token. */
function base64url(text: string): string {
  return `_${Buffer.from(text, 'utf8').toString('base64url')}`;
}

function encodeProperties(properties: ForwardedProperties): string {
  const { correlationData, ...rest } = properties;
  const json = correlationData ? { ...rest, correlationData: correlationData.toString('base64') } : rest;
  return Buffer.from(JSON.stringify(json)).toString('base64url');
}

function decodeProperties(encoded: string): ForwardedProperties | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    const { correlationData, ...rest } = parsed;
    if (correlationData !== undefined && typeof correlationData !== 'string') return undefined;
    const properties = rest as ForwardedProperties;
    return correlationData === undefined
      ? properties
      : { ...properties, correlationData: Buffer.from(correlationData, 'base64') };
  } catch {
    return undefined;
  }
}

function wholeNumber(text: string | undefined): number | undefined {
  if (text === undefined || !/^[0-9]{1,16}$/.test(text)) return undefined;
  return Number(text);
}
