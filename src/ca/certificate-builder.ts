/**
 * The parts every fleetca certificate shares: random serials, SubjectPublicKeyInfo, key identifiers, the
 * extensions fleetca writes, and the TBSCertificate → Certificate signing step.
 */

import { createHash, type KeyObject, randomBytes } from 'node:crypto';
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

/** DER SubjectPublicKeyInfo of an RSA or EC public key. */
export function subjectPublicKeyInfo(publicKey: KeyObject): Buffer {
  if (publicKey.type !== 'public') throw new TypeError(`expected a public key, got a ${publicKey.type} key`);
  const type = publicKey.asymmetricKeyType;
  if (type !== 'rsa' && type !== 'ec') throw new TypeError(`only RSA and EC keys can be certified, got ${type}`);
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

/** One Extension: SEQUENCE { extnID, critical (only when TRUE, DER omits the default), extnValue }. */
export function extension(extnId: string, critical: boolean, value: Buffer): Buffer {
  return critical
    ? sequence(oid(extnId), boolean(true), octetString(value))
    : sequence(oid(extnId), octetString(value));
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

/** The AlgorithmIdentifier of a signer's algorithm: sha256WithRSAEncryption with explicit NULL parameters. */
export function signatureAlgorithm(signer: Signer): Buffer {
  if (signer.algorithm !== 'sha256WithRSAEncryption') throw new TypeError(`unsupported signer ${signer.algorithm}`);
  return sequence(oid(Oid.sha256WithRSAEncryption), nullValue());
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

/** Builds a v3 TBSCertificate, signs it and returns the Certificate DER. */
export async function signCertificate(fields: CertificateFields, signer: Signer): Promise<Buffer> {
  const algorithm = signatureAlgorithm(signer);
  const tbs = sequence(
    explicit(0, smallInteger(2)),
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
