/**
 * OCSPRequest (RFC 6960 §4.1) read from untrusted bytes: the size bounded before anything is parsed, the whole
 * input checked as DER (der-check.ts), then its structure field by field. Anything wrong is one error,
 * OcspMalformedRequest, which the responder answers with `malformedRequest`.
 *
 * What is accepted and ignored: requestorName, singleRequestExtensions and optionalSignature (fleetca does not
 * require signed requests), unknown non-critical request extensions. What is kept: each CertID's exact DER (the
 * response echoes it) and its fields, and the nonce's value to echo.
 */

import {
  contentBytes,
  type DerElement,
  DerError,
  decodeOid,
  decodeSmallInteger,
  readChildren,
  readWhole,
  Tag,
} from '../der.js';
import { checkDer } from '../der-check.js';
import { readExtensions } from '../extensions-reader.js';
import { Oid } from '../oids.js';
import { CERT_ID_HASH_OCTETS, CERT_ID_HASHES } from './cert-id-hashes.js';

/** Raised for every request that is not one fleetca can answer: the responder's `malformedRequest`. */
export class OcspMalformedRequest extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'OcspMalformedRequest';
  }
}

/** Larger requests are refused unread: ten CertIDs with a signature and its certificates fit many times over. */
export const MAX_OCSP_REQUEST_OCTETS = 64 * 1024;
/** The most CertIDs one request may ask about. */
export const MAX_OCSP_REQUESTS = 10;
/** RFC 8954 §2.1: a nonce is 1 to 32 octets. */
export const MAX_NONCE_OCTETS = 32;
/** A hash of an algorithm fleetca does not know is still bounded: SHA-512's length. */
const MAX_UNKNOWN_HASH_OCTETS = 64;

export interface OcspCertId {
  /** The CertID's whole DER, to echo verbatim in the SingleResponse. */
  readonly der: Buffer;
  /** Dotted OID of the hash algorithm (see CERT_ID_HASHES for the ones fleetca can match). */
  readonly hashAlgorithm: string;
  readonly issuerNameHash: Buffer;
  readonly issuerKeyHash: Buffer;
  /** The serial number's magnitude in lowercase hex (as `IssuerAndSerial` names certificates). */
  readonly serialNumber: string;
}

export interface OcspRequest {
  /** One to MAX_OCSP_REQUESTS, in request order. */
  readonly certIds: readonly OcspCertId[];
  /** The nonce extension's extnValue contents (an OCTET STRING's DER), to echo byte for byte. */
  readonly nonce?: Buffer;
}

/** Parses a DER OCSPRequest. Throws OcspMalformedRequest, and nothing else, for input that is not one. */
export function parseOcspRequest(input: Uint8Array): OcspRequest {
  if (input.length > MAX_OCSP_REQUEST_OCTETS) {
    throw new OcspMalformedRequest(`OCSP request of ${input.length} octets is larger than ${MAX_OCSP_REQUEST_OCTETS}`);
  }
  const buffer = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  try {
    return readRequest(buffer);
  } catch (err) {
    if (err instanceof DerError)
      throw new OcspMalformedRequest(`malformed OCSP request: ${err.message}`, { cause: err });
    throw err;
  }
}

function malformed(message: string): never {
  throw new DerError(message);
}

/** The children of `element`, which must carry `tag` and be constructed. */
function childrenOf(buffer: Buffer, element: DerElement | undefined, tag: number, what: string): DerElement[] {
  if (element?.tag !== tag) malformed(`${what} missing or of the wrong type`);
  return readChildren(buffer, element);
}

/** The one element inside an EXPLICIT [n] tag. */
function explicitInner(buffer: Buffer, element: DerElement, what: string): DerElement {
  const inner = readChildren(buffer, element);
  if (inner.length !== 1) malformed(`${what} must hold exactly one element`);
  return inner[0] as DerElement;
}

function readRequest(buffer: Buffer): OcspRequest {
  const [tbs, signature, ...extra] = childrenOf(buffer, checkDer(buffer), Tag.SEQUENCE, 'OCSPRequest');
  if (extra.length > 0) malformed('OCSPRequest has fields after optionalSignature');
  // optionalSignature [0] EXPLICIT Signature: accepted and not checked.
  if (
    signature !== undefined &&
    (signature.tag !== 0xa0 || explicitInner(buffer, signature, 'optionalSignature').tag !== Tag.SEQUENCE)
  ) {
    malformed('optionalSignature must be [0] EXPLICIT SEQUENCE');
  }
  const fields = childrenOf(buffer, tbs, Tag.SEQUENCE, 'tbsRequest');
  let index = 0;
  if (fields[index]?.tag === 0xa0) {
    const version = explicitInner(buffer, fields[index++] as DerElement, 'version');
    if (version.tag !== Tag.INTEGER) malformed('version must be an INTEGER');
    // v1 is the DEFAULT, which DER leaves out; an explicit v1 is tolerated rather than refusing a client over it.
    if (decodeSmallInteger(contentBytes(buffer, version)) !== 0) malformed('only OCSP request version v1 is known');
  }
  // requestorName [1] EXPLICIT GeneralName: accepted, not used.
  if (fields[index]?.tag === 0xa1) explicitInner(buffer, fields[index++] as DerElement, 'requestorName');
  const requests = childrenOf(buffer, fields[index++], Tag.SEQUENCE, 'requestList');
  if (requests.length === 0) malformed('requestList is empty');
  if (requests.length > MAX_OCSP_REQUESTS) malformed(`more than ${MAX_OCSP_REQUESTS} requests in one OCSP request`);
  let nonce: Buffer | undefined;
  if (fields[index]?.tag === 0xa2) {
    nonce = requestNonce(buffer, explicitInner(buffer, fields[index++] as DerElement, 'requestExtensions'));
  }
  if (index !== fields.length) malformed('tbsRequest has unexpected fields');
  const certIds = requests.map((request) => readCertId(buffer, request));
  return nonce === undefined ? { certIds } : { certIds, nonce };
}

/** Request ::= SEQUENCE { reqCert CertID, singleRequestExtensions [0] EXPLICIT Extensions OPTIONAL (ignored) }. */
function readCertId(buffer: Buffer, request: DerElement): OcspCertId {
  const [certId, singleExtensions, ...extra] = childrenOf(buffer, request, Tag.SEQUENCE, 'Request');
  if (extra.length > 0) malformed('Request has unexpected fields');
  if (singleExtensions !== undefined) {
    if (singleExtensions.tag !== 0xa0) malformed('singleRequestExtensions must be [0] EXPLICIT');
    readExtensions(buffer, explicitInner(buffer, singleExtensions, 'singleRequestExtensions'));
  }
  if (certId === undefined) malformed('Request has no CertID');
  const parts = childrenOf(buffer, certId, Tag.SEQUENCE, 'CertID');
  const [algorithm, nameHash, keyHash, serial] = parts;
  if (parts.length !== 4) malformed('CertID must be hashAlgorithm, issuerNameHash, issuerKeyHash, serialNumber');
  const hashAlgorithm = readHashAlgorithm(buffer, algorithm as DerElement);
  const known = CERT_ID_HASHES.get(hashAlgorithm);
  const octets = known === undefined ? undefined : CERT_ID_HASH_OCTETS[known];
  const hash = (element: DerElement | undefined, what: string): Buffer => {
    if (element?.tag !== Tag.OCTET_STRING) malformed(`${what} must be an OCTET STRING`);
    const value = contentBytes(buffer, element);
    const fits =
      octets === undefined ? value.length > 0 && value.length <= MAX_UNKNOWN_HASH_OCTETS : value.length === octets;
    if (!fits) malformed(`${what} of ${value.length} octets does not fit hash algorithm ${hashAlgorithm}`);
    return Buffer.from(value);
  };
  const issuerNameHash = hash(nameHash, 'issuerNameHash');
  const issuerKeyHash = hash(keyHash, 'issuerKeyHash');
  if (serial?.tag !== Tag.INTEGER) malformed('serialNumber must be an INTEGER');
  // The INTEGER is minimal (checkDer), so a leading 00 is only the sign octet of a positive value.
  const magnitude = contentBytes(buffer, serial);
  if (((magnitude[0] as number) & 0x80) !== 0) malformed('serialNumber is negative');
  const serialNumber = (magnitude.length > 1 && magnitude[0] === 0 ? magnitude.subarray(1) : magnitude).toString('hex');
  return {
    der: Buffer.from(buffer.subarray(certId.start, certId.contentEnd)),
    hashAlgorithm,
    issuerNameHash,
    issuerKeyHash,
    serialNumber,
  };
}

/** AlgorithmIdentifier { algorithm OID, parameters absent or NULL } → the dotted OID. */
function readHashAlgorithm(buffer: Buffer, element: DerElement): string {
  const [id, parameters, ...extra] = childrenOf(buffer, element, Tag.SEQUENCE, 'hashAlgorithm');
  if (id?.tag !== Tag.OID) malformed('hashAlgorithm has no algorithm OBJECT IDENTIFIER');
  if (extra.length > 0 || (parameters !== undefined && parameters.tag !== Tag.NULL)) {
    malformed('hashAlgorithm parameters must be absent or NULL');
  }
  return decodeOid(contentBytes(buffer, id));
}

/**
 * The nonce of requestExtensions (RFC 8954: its extnValue holds an OCTET STRING of 1 to 32 octets), or undefined.
 * Other extensions are ignored unless critical: one fleetca does not know then makes the request unanswerable.
 */
function requestNonce(buffer: Buffer, list: DerElement): Buffer | undefined {
  let nonce: Buffer | undefined;
  for (const extension of readExtensions(buffer, list)) {
    if (extension.oid !== Oid.ocspNonce) {
      if (extension.critical) malformed(`critical request extension ${extension.oid} is not supported`);
      continue;
    }
    const value = readWhole(extension.value);
    if (value.tag !== Tag.OCTET_STRING) malformed('the nonce must be an OCTET STRING');
    const length = value.contentEnd - value.contentStart;
    if (length < 1 || length > MAX_NONCE_OCTETS) {
      malformed(`a nonce of ${length} octets is outside the 1 to ${MAX_NONCE_OCTETS} RFC 8954 allows`);
    }
    nonce = Buffer.from(extension.value);
  }
  return nonce;
}
