/**
 * The hashes that name a certificate's issuer in an OCSP CertID (RFC 6960 §4.1.1) and the responder in
 * ResponderID byKey (§4.2.1): hashes of the issuer's subject Name DER and of its subjectPublicKey BIT STRING's
 * contents (without the unused-bits octet).
 */

import { createHash } from 'node:crypto';
import { readCertificateParts } from '../certificate-reader.js';
import { contentBytes, DerError, expectTag, readChildren, readWhole, Tag } from '../der.js';
import { Oid } from '../oids.js';

export type CertIdHash = 'sha1' | 'sha256' | 'sha384' | 'sha512';

/** The CertID hash algorithms fleetca can match, by dotted OID → node:crypto's name for them. */
export const CERT_ID_HASHES: ReadonlyMap<string, CertIdHash> = new Map([
  [Oid.sha1, 'sha1'],
  [Oid.sha256, 'sha256'],
  [Oid.sha384, 'sha384'],
  [Oid.sha512, 'sha512'],
]);

/** Digest length in octets of each, which a CertID's two hashes must have. */
export const CERT_ID_HASH_OCTETS: Readonly<Record<CertIdHash, number>> = {
  sha1: 20,
  sha256: 32,
  sha384: 48,
  sha512: 64,
};

/** The subjectPublicKey BIT STRING's contents (whole octets) of a SubjectPublicKeyInfo. */
function subjectPublicKeyBits(spki: Buffer): Buffer {
  const root = expectTag(readWhole(spki), Tag.SEQUENCE, 'SubjectPublicKeyInfo');
  const [, key] = readChildren(spki, root);
  if (!key) throw new DerError('SubjectPublicKeyInfo has no subjectPublicKey');
  const bits = contentBytes(spki, expectTag(key, Tag.BIT_STRING, 'subjectPublicKey'));
  if (bits[0] !== 0) throw new DerError('subjectPublicKey has unused bits');
  return bits.subarray(1);
}

/** issuerNameHash and issuerKeyHash of the certificates `issuingCertificateDer` issued, with `hashAlgorithm`. */
export function issuerHashes(
  issuingCertificateDer: Buffer,
  hashAlgorithm: CertIdHash,
): { readonly nameHash: Buffer; readonly keyHash: Buffer } {
  const parts = readCertificateParts(issuingCertificateDer);
  return {
    nameHash: createHash(hashAlgorithm).update(parts.subject).digest(),
    keyHash: createHash(hashAlgorithm).update(subjectPublicKeyBits(parts.subjectPublicKeyInfo)).digest(),
  };
}

/** ResponderID byKey: SHA-1 of the responder certificate's subjectPublicKey BIT STRING contents. */
export function responderKeyHash(certificateDer: Buffer): Buffer {
  const parts = readCertificateParts(certificateDer);
  return createHash('sha1').update(subjectPublicKeyBits(parts.subjectPublicKeyInfo)).digest();
}
