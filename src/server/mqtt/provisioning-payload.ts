import { Decoder, Encoder } from 'cbor-x';
import { ServiceError } from '../../errors.js';
import type { PayloadFormat } from './provisioning-topics.js';

// Plain RFC 8949 maps both ways: cbor-x's record extension (tag 0xdfff) is something device decoders do not know.
const cborEncoder = new Encoder({ useRecords: false, mapsAsObjects: true, tagUint8Array: false });
const cborDecoder = new Decoder({ useRecords: false, mapsAsObjects: true });

/** A request payload as an object: empty means `{}` (the documented request of CreateKeysAndCertificate). */
export function decodeRequest(format: PayloadFormat, payload: Buffer): Record<string, unknown> {
  if (payload.length === 0) return {};
  let value: unknown;
  try {
    value = format === 'json' ? JSON.parse(payload.toString('utf8')) : cborDecoder.decode(payload);
  } catch {
    throw new ServiceError('InvalidPayload', `The request payload is not valid ${format.toUpperCase()}.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) {
    throw new ServiceError(
      'InvalidPayload',
      `The request payload must be a ${format === 'json' ? 'JSON object' : 'CBOR map'}.`,
    );
  }
  return value as Record<string, unknown>;
}

export function encodeResponse(format: PayloadFormat, value: object): Buffer {
  return format === 'json' ? Buffer.from(JSON.stringify(value)) : Buffer.from(cborEncoder.encode(value));
}
