import assert from 'node:assert/strict';
import { createHash, createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { CreateProvisioningClaimCommand, CreateProvisioningTemplateCommand, type IoTClient } from '@aws-sdk/client-iot';
import { Decoder, Encoder } from 'cbor-x';
import type { MqttClient } from 'mqtt';
import { EVENTUALLY_MS } from './eventually.js';
import type { DeviceIdentity } from './mqtt-devices.js';
import { deviceOptions, tryConnect } from './mqtt-devices.js';

/** The role a fleet template names; fleetca stores it and assumes nothing. */
export const PROVISIONING_ROLE_ARN = 'arn:aws:iam::123456789012:role/FleetProvisioningRole';

export type PayloadFormat = 'json' | 'cbor';

/**
 * A typical fleet-provisioning template (AWS's documented example, reduced): the thing is named after the
 * SerialNumber parameter, the certificate is the one the ownership token names and becomes ACTIVE.
 */
/** The provisioned device's policy: connect as its thing, and use every topic. */
const DEVICE_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 'iot:Connect', Resource: 'arn:aws:iot:*:*:client/device-*' },
    { Effect: 'Allow', Action: ['iot:Publish', 'iot:Subscribe', 'iot:Receive', 'iot:RetainPublish'], Resource: '*' },
  ],
});

export function fleetTemplateBody(deviceConfiguration: Record<string, string> = { Fallback: 'false' }): string {
  return JSON.stringify({
    Parameters: { SerialNumber: { Type: 'String' } },
    Resources: {
      thing: {
        Type: 'AWS::IoT::Thing',
        Properties: {
          ThingName: { 'Fn::Join': ['', ['device-', { Ref: 'SerialNumber' }]] },
          AttributePayload: { serial: { Ref: 'SerialNumber' } },
        },
        OverrideSettings: { AttributePayload: 'MERGE' },
      },
      certificate: {
        Type: 'AWS::IoT::Certificate',
        Properties: { CertificateId: { Ref: 'AWS::IoT::Certificate::Id' }, Status: 'ACTIVE' },
      },
      // As AWS's fleet-provisioning templates do: the new certificate gets a policy, or it may not even connect.
      policy: { Type: 'AWS::IoT::Policy', Properties: { PolicyDocument: DEVICE_POLICY } },
    },
    DeviceConfiguration: deviceConfiguration,
  });
}

/** CreateProvisioningTemplate over REST, enabled. */
export async function createFleetTemplate(
  iot: IoTClient,
  templateName: string,
  body = fleetTemplateBody(),
): Promise<void> {
  const created = await iot.send(
    new CreateProvisioningTemplateCommand({
      templateName,
      templateBody: body,
      enabled: true,
      provisioningRoleArn: PROVISIONING_ROLE_ARN,
    }),
  );
  assert.equal(created.templateName, templateName);
}

export interface ClaimIdentity extends DeviceIdentity {
  readonly certificateId: string;
}

/** CreateProvisioningClaim over REST: the claim certificate and its key. */
export async function createClaim(iot: IoTClient, templateName: string): Promise<ClaimIdentity> {
  const claim = await iot.send(new CreateProvisioningClaimCommand({ templateName }));
  assert.ok(claim.certificateId && claim.certificatePem && claim.keyPair?.PrivateKey, 'a complete claim');
  return {
    certificateId: claim.certificateId,
    certificatePem: claim.certificatePem,
    privateKey: claim.keyPair.PrivateKey,
  };
}

/** The three request topics (reference §4.1). */
export const topics = {
  create: (format: PayloadFormat) => `$aws/certificates/create/${format}`,
  createFromCsr: (format: PayloadFormat) => `$aws/certificates/create-from-csr/${format}`,
  registerThing: (templateName: string, format: PayloadFormat) =>
    `$aws/provisioning-templates/${templateName}/provision/${format}`,
};

const cborEncoder = new Encoder({ useRecords: false, mapsAsObjects: true, tagUint8Array: false });
const cborDecoder = new Decoder({ useRecords: false, mapsAsObjects: true });

/** A request payload as a device sends it. */
export function encodeRequest(format: PayloadFormat, value: unknown): Buffer {
  return format === 'json' ? Buffer.from(JSON.stringify(value)) : Buffer.from(cborEncoder.encode(value));
}

/**
 * An answer as a device reads it. CBOR answers must be plain RFC 8949: one definite-length map at the top
 * (first byte 0xa0–0xbb) and no tag anywhere (cbor-x's record extension, tag 0xdfff, would be one).
 */
export function decodeAnswer(format: PayloadFormat, payload: Buffer): Record<string, unknown> {
  if (format === 'json') {
    const value: unknown = JSON.parse(payload.toString('utf8'));
    assert.ok(typeof value === 'object' && value !== null && !Array.isArray(value), 'a JSON object');
    return value as Record<string, unknown>;
  }
  const first = payload[0] as number;
  assert.ok(first >= 0xa0 && first <= 0xbb, `a definite-length CBOR map, first byte 0x${first.toString(16)}`);
  assertPlainCbor(payload);
  const value: unknown = cborDecoder.decode(payload);
  assert.ok(typeof value === 'object' && value !== null && !Array.isArray(value), 'a CBOR map');
  return value as Record<string, unknown>;
}

/** Walks one CBOR data item and everything in it; fails on a tag (major type 6) or trailing bytes. */
export function assertPlainCbor(payload: Buffer): void {
  const end = walkCbor(payload, 0);
  assert.equal(end, payload.length, 'exactly one CBOR data item');
}

function walkCbor(buf: Buffer, at: number): number {
  assert.ok(at < buf.length, 'truncated CBOR');
  const initial = buf[at] as number;
  const major = initial >> 5;
  const info = initial & 0x1f;
  assert.notEqual(major, 6, `a CBOR tag at offset ${at}`);
  assert.ok(info !== 31, `an indefinite-length CBOR item at offset ${at}`);
  let pos = at + 1;
  let argument: number;
  if (info < 24) argument = info;
  else if (info === 24) argument = buf.readUInt8(pos);
  else if (info === 25) argument = buf.readUInt16BE(pos);
  else if (info === 26) argument = buf.readUInt32BE(pos);
  else if (info === 27) argument = Number(buf.readBigUInt64BE(pos));
  else assert.fail(`reserved CBOR additional information ${info} at offset ${at}`);
  if (info >= 24) pos += 2 ** (info - 24);
  switch (major) {
    case 0:
    case 1:
    case 7:
      return pos;
    case 2:
    case 3:
      return pos + argument;
    case 4:
      for (let i = 0; i < argument; i++) pos = walkCbor(buf, pos);
      return pos;
    default:
      for (let i = 0; i < 2 * argument; i++) pos = walkCbor(buf, pos);
      return pos;
  }
}

export interface Answer {
  readonly outcome: 'accepted' | 'rejected';
  readonly topic: string;
  readonly payload: Buffer;
}

/**
 * A fleet-provisioning connection driven with MQTT.js: subscribes to the answer topics, publishes requests
 * and hands each answer to the request that waits for it, in arrival order per request topic. Every message
 * it receives is also kept, so a test can count what reached the connection.
 */
export class ProvisioningConnection {
  readonly received: Answer[] = [];
  readonly #waiting = new Map<string, ((answer: Answer) => void)[]>();
  readonly #unclaimed = new Map<string, Answer[]>();

  private constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload) => {
      const match = /^(.*)\/(accepted|rejected)$/.exec(topic);
      const answer: Answer = {
        outcome: match?.[2] === 'rejected' ? 'rejected' : 'accepted',
        topic,
        payload: Buffer.from(payload),
      };
      this.received.push(answer);
      const requestTopic = match?.[1] ?? topic;
      const waiter = this.#waiting.get(requestTopic)?.shift();
      if (waiter) waiter(answer);
      else this.#unclaimed.set(requestTopic, [...(this.#unclaimed.get(requestTopic) ?? []), answer]);
    });
  }

  static async connect(port: number, chain: string, identity: DeviceIdentity, clientId?: string) {
    const outcome = await tryConnect(deviceOptions(port, chain, identity, clientId ? { clientId } : {}));
    assert.ok(outcome.client, `connected (closed without CONNACK: ${outcome.closedWithoutConnack})`);
    return new ProvisioningConnection(outcome.client);
  }

  /** Subscribes to a request topic's accepted and rejected answers (QoS 1); returns the granted QoS of each. */
  async subscribeAnswers(requestTopic: string): Promise<number[]> {
    return this.subscribe([`${requestTopic}/accepted`, `${requestTopic}/rejected`]);
  }

  /** Subscribes at QoS 1; returns what SUBACK granted each filter (128: refused). */
  async subscribe(filters: string[]): Promise<number[]> {
    try {
      const granted = await this.client.subscribeAsync(filters, { qos: 1 });
      return granted.map((g) => g.qos);
    } catch (error) {
      // MQTT.js rejects when SUBACK refuses any filter; the packet still says what was granted.
      const granted = (error as { packet?: { granted?: number[] } }).packet?.granted;
      if (granted === undefined) throw error;
      return granted;
    }
  }

  /** Publishes a request (QoS 1) and waits for its answer. */
  async request(requestTopic: string, payload: Buffer | string, timeoutMs = EVENTUALLY_MS): Promise<Answer> {
    const answer = this.nextAnswer(requestTopic, timeoutMs);
    await this.client.publishAsync(requestTopic, payload, { qos: 1 });
    return answer;
  }

  /** The next answer to a request published on `requestTopic`. */
  nextAnswer(requestTopic: string, timeoutMs = EVENTUALLY_MS): Promise<Answer> {
    const early = this.#unclaimed.get(requestTopic)?.shift();
    if (early) return Promise.resolve(early);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const queue = this.#waiting.get(requestTopic) ?? [];
        this.#waiting.set(
          requestTopic,
          queue.filter((w) => w !== deliver),
        );
        reject(new Error(`no answer on ${requestTopic}/accepted|rejected within ${timeoutMs} ms`));
      }, timeoutMs);
      const deliver = (answer: Answer) => {
        clearTimeout(timer);
        resolve(answer);
      };
      this.#waiting.set(requestTopic, [...(this.#waiting.get(requestTopic) ?? []), deliver]);
    });
  }

  /** Resolves when the server closes the connection. */
  closed(timeoutMs = EVENTUALLY_MS): Promise<void> {
    if (!this.client.connected && this.client.disconnected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the connection stayed open ${timeoutMs} ms`)), timeoutMs);
      this.client.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async end(): Promise<void> {
    await this.client.endAsync(true);
  }
}

/** The fields of CreateKeysAndCertificate's accepted answer, checked as specified (reference §4.2). */
export function checkKeysAndCertificate(body: Record<string, unknown>): {
  certificateId: string;
  certificatePem: string;
  privateKey: string;
  certificateOwnershipToken: string;
} {
  assert.deepEqual(Object.keys(body), ['certificateId', 'certificatePem', 'privateKey', 'certificateOwnershipToken']);
  const { certificateId, certificatePem, privateKey, certificateOwnershipToken } = body;
  assert.ok(typeof certificateId === 'string' && typeof certificatePem === 'string');
  assert.ok(typeof privateKey === 'string' && typeof certificateOwnershipToken === 'string');
  checkCertificateId(certificateId, certificatePem);
  assert.match(privateKey, /^-----BEGIN RSA PRIVATE KEY-----\n[\s\S]+\n-----END RSA PRIVATE KEY-----\n$/);
  const certificate = new X509Certificate(certificatePem);
  assert.ok(certificate.checkPrivateKey(createPrivateKey(privateKey)), 'the private key is the certificate key');
  assert.ok(certificateOwnershipToken.length > 0);
  return { certificateId, certificatePem, privateKey, certificateOwnershipToken };
}

/** The fields of CreateCertificateFromCsr's accepted answer, checked as specified. */
export function checkCertificateFromCsr(
  body: Record<string, unknown>,
  csrPublicKeyPem: string,
): { certificateId: string; certificatePem: string; certificateOwnershipToken: string } {
  assert.deepEqual(Object.keys(body), ['certificateOwnershipToken', 'certificateId', 'certificatePem']);
  const { certificateId, certificatePem, certificateOwnershipToken } = body;
  assert.ok(typeof certificateId === 'string' && typeof certificatePem === 'string');
  assert.ok(typeof certificateOwnershipToken === 'string' && certificateOwnershipToken.length > 0);
  checkCertificateId(certificateId, certificatePem);
  const certificateKey = new X509Certificate(certificatePem).publicKey.export({ type: 'spki', format: 'pem' });
  assert.equal(certificateKey, createPublicKey(csrPublicKeyPem).export({ type: 'spki', format: 'pem' }));
  return { certificateId, certificatePem, certificateOwnershipToken };
}

/** The rejected answer's shape, exactly {statusCode, errorCode, errorMessage}. */
export function checkRejection(
  body: Record<string, unknown>,
  expected: { statusCode: number; errorCode: string; errorMessage?: string | RegExp },
): void {
  assert.deepEqual(Object.keys(body), ['statusCode', 'errorCode', 'errorMessage']);
  assert.equal(body.statusCode, expected.statusCode);
  assert.equal(body.errorCode, expected.errorCode);
  assert.equal(typeof body.errorMessage, 'string');
  if (typeof expected.errorMessage === 'string') assert.equal(body.errorMessage, expected.errorMessage);
  else if (expected.errorMessage) assert.match(body.errorMessage as string, expected.errorMessage);
}

function checkCertificateId(certificateId: string, certificatePem: string): void {
  const der = new X509Certificate(certificatePem).raw;
  assert.equal(
    certificateId,
    createHash('sha256').update(der).digest('hex'),
    'certificateId is the SHA-256 of the DER',
  );
}
