/**
 * The parts every fleetca certificate shares: random serials, SubjectPublicKeyInfo, key identifiers, the
 * extensions fleetca writes, and the TBSCertificate → Certificate signing step.
 */

import { createHash, type KeyObject, randomBytes } from 'node:crypto';
import type { IssuedCertificate } from './authority.js';
import { contentBytes, expectTag, readChildren, readWhole, Tag } from './der.js';
import {
  bitString,
  boolean,
  explicit,
  namedBitString,
  nullValue,
  octetString,
  oid,
  sequence,
  smallInteger,
  time,
  tlv,
  unsignedInteger,
} from './der-writer.js';
import { Oid } from './oids.js';
import { toPem } from './pem.js';
import { checkRevocationUrls, type RevocationUrls } from './revocation-urls.js';
import type { Signer } from './signer.js';

/**
 * A fresh serial number as a DER INTEGER: 20 bytes from the CSPRNG with a non-zero first byte (so the value
 * always has 153–160 significant bits), plus a leading 00 when the top bit is set — 20 or 21 content octets.
 */
export function randomSerial(): Buffer {
  const bytes = randomBytes(20);
  while (bytes[0] === 0) bytes[0] = randomBytes(1)[0] as number;
  return unsignedInteger(bytes);
}

/**
 * SubjectPublicKeyInfo encodings known for key objects without asking OpenSSL to encode them again (see
 * rememberSubjectPublicKeyInfo). Weak: an entry lives exactly as long as its key.
 */
const knownSubjectPublicKeyInfo = new WeakMap<KeyObject, Buffer>();

/**
 * Records that `spki` is, byte for byte, what `publicKey.export({ type: 'spki', format: 'der' })` returns — for
 * a key just imported from those very bytes, when the caller has checked they are the canonical DER encoding
 * (csr.ts does, for the forms it imports directly). subjectPublicKeyInfo() then returns a copy of them.
 */
export function rememberSubjectPublicKeyInfo(publicKey: KeyObject, spki: Buffer): void {
  knownSubjectPublicKeyInfo.set(publicKey, Buffer.from(spki));
}

/** DER SubjectPublicKeyInfo of an RSA or EC public key. */
export function subjectPublicKeyInfo(publicKey: KeyObject): Buffer {
  if (publicKey.type !== 'public') throw new TypeError(`expected a public key, got a ${publicKey.type} key`);
  const type = publicKey.asymmetricKeyType;
  if (type !== 'rsa' && type !== 'ec') throw new TypeError(`only RSA and EC keys can be certified, got ${type}`);
  const known = knownSubjectPublicKeyInfo.get(publicKey);
  if (known !== undefined) return Buffer.from(known);
  return publicKey.export({ type: 'spki', format: 'der' });
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING contents (without the unused-bits octet). */
export function keyIdentifier(spki: Buffer): Buffer {
  const root = expectTag(readWhole(spki), Tag.SEQUENCE, 'SubjectPublicKeyInfo');
  const [, key] = readChildren(spki, root);
  if (!key) throw new TypeError('SubjectPublicKeyInfo has no subjectPublicKey');
  const bits = contentBytes(spki, expectTag(key, Tag.BIT_STRING, 'subjectPublicKey'));
  if (bits[0] !== 0) throw new TypeError('subjectPublicKey has unused bits');
  return createHash('sha1').update(bits.subarray(1)).digest();
}

/** Encoded OBJECT IDENTIFIERs of extensions, by dotted form: a few fixed ones, encoded once. */
const extensionIds = new Map<string, Buffer>();

function extensionId(extnId: string): Buffer {
  let encoded = extensionIds.get(extnId);
  if (encoded === undefined) {
    encoded = oid(extnId);
    // Only the handful of extension OIDs fleetca writes ever get here; the bound is a safety net.
    if (extensionIds.size < 64) extensionIds.set(extnId, encoded);
  }
  return encoded;
}

const TRUE = boolean(true);

/** One Extension: SEQUENCE { extnID, critical (only when TRUE, DER omits the default), extnValue }. */
export function extension(extnId: string, critical: boolean, value: Buffer): Buffer {
  return critical
    ? sequence(extensionId(extnId), TRUE, octetString(value))
    : sequence(extensionId(extnId), octetString(value));
}

/** AuthorityKeyIdentifier with the keyIdentifier [0] only, non-critical. */
export function authorityKeyIdentifierExtension(keyId: Buffer): Buffer {
  return extension(Oid.authorityKeyIdentifier, false, sequence(tlv(0x80, keyId)));
}

/** SubjectKeyIdentifier, non-critical. */
export function subjectKeyIdentifierExtension(keyId: Buffer): Buffer {
  return extension(Oid.subjectKeyIdentifier, false, octetString(keyId));
}

/**
 * BasicConstraints, critical. CA:FALSE is the empty SEQUENCE (DER omits the default), as AWS writes it;
 * `pathLength` only applies to a CA.
 */
export function basicConstraintsExtension(ca: boolean, pathLength?: number): Buffer {
  const fields: Buffer[] = [];
  if (ca) fields.push(boolean(true));
  if (ca && pathLength !== undefined) fields.push(smallInteger(pathLength));
  return extension(Oid.basicConstraints, true, sequence(...fields));
}

/** KeyUsage bit numbers (RFC 5280 §4.2.1.3). */
export const KeyUsage = {
  digitalSignature: 0,
  keyEncipherment: 2,
  keyCertSign: 5,
  cRLSign: 6,
} as const;

/** KeyUsage, critical. */
export function keyUsageExtension(bits: readonly number[]): Buffer {
  return extension(Oid.keyUsage, true, namedBitString(bits));
}

/** GeneralName uniformResourceIdentifier [6] IMPLICIT IA5String. */
function uriName(url: string): Buffer {
  return tlv(0x86, Buffer.from(url, 'ascii'));
}

/**
 * CRLDistributionPoints (one DistributionPoint, distributionPoint [0] → fullName [0] → the CRL's URI) and
 * AuthorityInfoAccess (one AccessDescription, id-ad-ocsp → the responder's URI), both non-critical.
 */
export function revocationUrlExtensions(urls: RevocationUrls): readonly [Buffer, Buffer] {
  checkRevocationUrls(urls);
  return [
    extension(Oid.crlDistributionPoints, false, sequence(sequence(explicit(0, tlv(0xa0, uriName(urls.crlUrl)))))),
    extension(Oid.authorityInfoAccess, false, sequence(sequence(oid(Oid.adOcsp), uriName(urls.ocspUrl)))),
  ];
}

const SHA256_WITH_RSA_ENCRYPTION = sequence(oid(Oid.sha256WithRSAEncryption), nullValue());

/** The AlgorithmIdentifier of a signer's algorithm: sha256WithRSAEncryption with explicit NULL parameters. */
export function signatureAlgorithm(signer: Signer): Buffer {
  if (signer.algorithm !== 'sha256WithRSAEncryption') throw new TypeError(`unsupported signer ${signer.algorithm}`);
  // A copy: the encoding is fixed, but a caller may do what it likes with the buffer it gets.
  return Buffer.from(SHA256_WITH_RSA_ENCRYPTION);
}

/** What goes into a TBSCertificate. */
export interface CertificateFields {
  /** DER INTEGER, see randomSerial(). */
  readonly serial: Buffer;
  /** DER Name of the issuer, copied verbatim. */
  readonly issuer: Buffer;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** DER Name of the subject, copied verbatim. */
  readonly subject: Buffer;
  /** DER SubjectPublicKeyInfo. */
  readonly subjectPublicKeyInfo: Buffer;
  /** Encoded Extension elements, in the order they must appear. */
  readonly extensions: readonly Buffer[];
}

/** `[0] EXPLICIT Version ::= v3`. */
const VERSION_3 = explicit(0, smallInteger(2));

/** Builds a v3 TBSCertificate, signs it and returns the Certificate DER. */
export async function signCertificate(fields: CertificateFields, signer: Signer): Promise<Buffer> {
  const algorithm = signatureAlgorithm(signer);
  const tbs = sequence(
    VERSION_3,
    fields.serial,
    algorithm,
    fields.issuer,
    sequence(time(fields.notBefore), time(fields.notAfter)),
    fields.subject,
    fields.subjectPublicKeyInfo,
    explicit(3, sequence(...fields.extensions)),
  );
  const signature = await signer.sign(tbs);
  return sequence(tbs, algorithm, bitString(signature));
}

/** A signed certificate as the authority hands it out: DER, PEM, its id (SHA-256 of the DER) and validity. */
/** Lowercase hex of a DER INTEGER's magnitude (tag, length and a leading 00 dropped), as CRLs and OCSP name it. */
export function serialHex(serialInteger: Buffer): string {
  const content = serialInteger.subarray(2);
  return (content.length > 1 && content[0] === 0 ? content.subarray(1) : content).toString('hex');
}

/** What a builder returns: the DER with the handles the registry keeps (id, validity, issuer and serial). */
export function issuedCertificate(
  der: Buffer,
  fields: { readonly serial: Buffer; readonly issuerKeyId: Buffer; readonly notBefore: Date; readonly notAfter: Date },
): IssuedCertificate {
  return {
    der,
    pem: toPem('CERTIFICATE', der),
    certificateId: createHash('sha256').update(der).digest('hex'),
    notBefore: fields.notBefore,
    notAfter: fields.notAfter,
    issuedBy: { issuerKeyId: fields.issuerKeyId.toString('hex'), serialNumber: serialHex(fields.serial) },
  };
}
