/**
 * OCSP requests written with fleetca's DER writer and OCSP responses read back field by field, so the responder's
 * tests can assert on each status, time, reason and nonce (openssl checks the signatures in the tests themselves).
 */

import { type DerElement, readChildren, readWhole, Tag } from '../../src/ca/der.js';
import { decodeTime } from '../../src/ca/der-time.js';
import { nullValue, octetString, oid, sequence, tlv, unsignedInteger } from '../../src/ca/der-writer.js';
import { CERT_ID_HASHES, type CertIdHash, issuerHashes } from '../../src/ca/ocsp/cert-id-hashes.js';
import { Oid } from '../../src/ca/oids.js';

const HASH_OIDS = new Map<CertIdHash, string>([...CERT_ID_HASHES].map(([dotted, hash]) => [hash, dotted]));

/** The CertID of `serial` (lowercase hex magnitude) under the CA whose certificate is `issuerDer`. */
export function certId(issuerDer: Buffer, serial: string, hash: CertIdHash = 'sha1'): Buffer {
  const { nameHash, keyHash } = issuerHashes(issuerDer, hash);
  const digits = serial.length % 2 === 0 ? serial : `0${serial}`;
  return sequence(
    sequence(oid(HASH_OIDS.get(hash) as string), nullValue()),
    octetString(nameHash),
    octetString(keyHash),
    unsignedInteger(Buffer.from(digits, 'hex')),
  );
}

/** OCSPRequest for the CertIDs, with a nonce extension (RFC 8954: an OCTET STRING in the extnValue) when given. */
export function ocspRequest(certIds: readonly Buffer[], nonce?: Buffer): Buffer {
  const tbs = [sequence(...certIds.map((id) => sequence(id)))];
  if (nonce !== undefined) {
    tbs.push(tlv(0xa2, sequence(sequence(oid(Oid.ocspNonce), octetString(octetString(nonce))))));
  }
  return sequence(sequence(...tbs));
}

/** One SingleResponse as read. */
export interface SingleStatus {
  readonly certIdDer: Buffer;
  readonly kind: 'good' | 'revoked' | 'unknown';
  readonly revokedAt?: Date;
  readonly reason?: number;
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
}

export interface OcspReading {
  /** OCSPResponseStatus: 0 successful, 1 malformedRequest, 2 internalError, 3 tryLater, 6 unauthorized. */
  readonly responseStatus: number;
  readonly producedAt?: Date;
  readonly responses: readonly SingleStatus[];
  /** The nonce the response carries: the inner OCTET STRING's contents. */
  readonly nonce?: Buffer;
}

const SUCCESSFUL = 0;

export function readOcspResponse(der: Buffer): OcspReading {
  const [statusElement, bytes] = readChildren(der, readWhole(der));
  const responseStatus = (der[(statusElement as DerElement).contentStart] as number) ?? -1;
  if (responseStatus !== SUCCESSFUL || bytes === undefined) return { responseStatus, responses: [] };
  // responseBytes [0] EXPLICIT SEQUENCE { responseType, response OCTET STRING (BasicOCSPResponse) }.
  const [responseBytes] = readChildren(der, bytes);
  const [, basicOctets] = readChildren(der, responseBytes as DerElement);
  const basic = content(der, basicOctets as DerElement);
  const [tbs] = readChildren(basic, readWhole(basic));
  const fields = readChildren(basic, tbs as DerElement);
  let index = fields[0]?.tag === 0xa0 ? 1 : 0; // version, when present
  index++; // responderID
  const producedAt = timeOf(basic, fields[index++] as DerElement);
  const responses = readChildren(basic, fields[index++] as DerElement).map((single) => readSingle(basic, single));
  const extensions = fields[index];
  return {
    responseStatus,
    producedAt,
    responses,
    ...(extensions !== undefined && { nonce: nonceOf(basic, extensions) }),
  };
}

function readSingle(der: Buffer, single: DerElement): SingleStatus {
  const [id, status, thisUpdate, next] = readChildren(der, single) as [DerElement, DerElement, DerElement, DerElement?];
  const base = {
    certIdDer: der.subarray(id.start, id.contentEnd),
    thisUpdate: timeOf(der, thisUpdate),
    ...(next?.tag === 0xa0 && { nextUpdate: timeOf(der, readChildren(der, next)[0] as DerElement) }),
  };
  if (status.tag === 0x80) return { ...base, kind: 'good' };
  if (status.tag === 0x82) return { ...base, kind: 'unknown' };
  const [revokedAt, reason] = readChildren(der, status);
  const reasonCode = reason === undefined ? undefined : readChildren(der, reason)[0];
  return {
    ...base,
    kind: 'revoked',
    revokedAt: timeOf(der, revokedAt as DerElement),
    ...(reasonCode !== undefined && { reason: der[reasonCode.contentStart] as number }),
  };
}

function nonceOf(der: Buffer, extensions: DerElement): Buffer | undefined {
  for (const extension of readChildren(der, readChildren(der, extensions)[0] as DerElement)) {
    const [id, value] = readChildren(der, extension) as [DerElement, DerElement];
    if (!content(der, id).equals(oid(Oid.ocspNonce).subarray(2))) continue;
    const inner = content(der, value);
    const octets = readWhole(inner);
    if (octets.tag !== Tag.OCTET_STRING) throw new Error('the nonce is not an OCTET STRING');
    return content(inner, octets);
  }
  return undefined;
}

function content(der: Buffer, element: DerElement): Buffer {
  return der.subarray(element.contentStart, element.contentEnd);
}

function timeOf(der: Buffer, element: DerElement): Date {
  return decodeTime(element.tag, content(der, element));
}
