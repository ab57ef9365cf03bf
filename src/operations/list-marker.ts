import { serviceErrors } from '../errors.js';
import type { ListCursor } from '../registry/certificate-record.js';

/**
 * ListCertificates markers: opaque base64 (the model's pattern) of the last row's sort key,
 * so the next page is a keyset seek that costs the same at any depth.
 */
const FORMAT = /^c1:(\d{1,16}):([0-9a-f]{64})$/;

export function encodeMarker(cursor: ListCursor): string {
  return Buffer.from(`c1:${cursor.creationDate}:${cursor.certificateId}`, 'utf8').toString('base64');
}

export function decodeMarker(marker: string): ListCursor {
  const match = FORMAT.exec(Buffer.from(marker, 'base64').toString('utf8'));
  if (!match?.[1] || !match[2]) throw serviceErrors.invalidRequest(`The marker is not valid: ${marker}`);
  return { creationDate: Number(match[1]), certificateId: match[2] };
}
