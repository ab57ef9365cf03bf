/**
 * The values of the extensions that decide how a certificate is used (RFC 5280 §4.2.1): BasicConstraints,
 * KeyUsage, SubjectKeyIdentifier, AuthorityKeyIdentifier, ExtendedKeyUsage, SubjectAltName. Each value must be
 * one DER element of its type: OpenSSL marks a certificate whose value does not decode as invalid and will not
 * chain it, so fleetca must not accept it either. Other extensions stay opaque.
 */

import { contentBytes, type DerElement, DerError, expectTag, readChildren, Tag } from './der.js';
import { checkDer } from './der-check.js';
import type { CertificateExtension } from './extensions-reader.js';
import { Oid } from './oids.js';

/** What the chain rules need from the extensions. */
export interface KeyIdentifiers {
  /** SubjectKeyIdentifier's keyIdentifier. */
  readonly subjectKeyId?: Buffer;
  /** AuthorityKeyIdentifier's keyIdentifier [0]. */
  readonly authorityKeyId?: Buffer;
  /** AuthorityKeyIdentifier's authorityCertSerialNumber [2] (content octets). */
  readonly authoritySerial?: Buffer;
}

/** Checks the known extensions' values; returns the key identifiers. Throws DerError naming the extension. */
export function checkKnownExtensions(extensions: readonly CertificateExtension[]): KeyIdentifiers {
  let ids: KeyIdentifiers = {};
  for (const { oid, value } of extensions) {
    const check = CHECKS[oid];
    if (!check) continue;
    let root: DerElement;
    try {
      root = checkDer(value);
      ids = { ...ids, ...check(value, root) };
    } catch (error) {
      if (error instanceof DerError) throw new DerError(`extension ${oid}: ${error.message}`);
      throw error;
    }
  }
  return ids;
}

type Check = (value: Buffer, root: DerElement) => KeyIdentifiers | undefined;

const CHECKS: Readonly<Record<string, Check>> = {
  [Oid.basicConstraints]: (value, root) => {
    // SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL }
    const fields = readChildren(value, expectTag(root, Tag.SEQUENCE, 'BasicConstraints'));
    let index = 0;
    if (fields[index]?.tag === Tag.BOOLEAN) {
      if (value[(fields[index] as DerElement).contentStart] !== 0xff) throw new DerError('cA FALSE must be omitted');
      index++;
    }
    if (fields[index]?.tag === Tag.INTEGER) {
      if (((value[(fields[index] as DerElement).contentStart] as number) & 0x80) !== 0) {
        throw new DerError('negative pathLenConstraint');
      }
      index++;
    }
    if (index !== fields.length) throw new DerError('malformed BasicConstraints');
    return undefined;
  },
  [Oid.keyUsage]: (value, root) => {
    const bits = contentBytes(value, expectTag(root, Tag.BIT_STRING, 'KeyUsage'));
    if (bits.length < 2) throw new DerError('KeyUsage asserts no usage');
    return undefined;
  },
  [Oid.subjectKeyIdentifier]: (value, root) => ({
    subjectKeyId: contentBytes(value, expectTag(root, Tag.OCTET_STRING, 'SubjectKeyIdentifier')),
  }),
  [Oid.authorityKeyIdentifier]: (value, root) => {
    // SEQUENCE { keyIdentifier [0] OPTIONAL, authorityCertIssuer [1] OPTIONAL, authorityCertSerialNumber [2] OPTIONAL }
    let last = -1;
    let ids: KeyIdentifiers = {};
    let hasIssuer = false;
    for (const field of readChildren(value, expectTag(root, Tag.SEQUENCE, 'AuthorityKeyIdentifier'))) {
      const allowed = field.tag === 0x80 || field.tag === 0xa1 || field.tag === 0x82;
      if (!allowed || field.tagNumber <= last) throw new DerError('malformed AuthorityKeyIdentifier');
      last = field.tagNumber;
      if (field.tag === 0x80) ids = { ...ids, authorityKeyId: contentBytes(value, field) };
      if (field.tag === 0xa1) hasIssuer = true;
      if (field.tag === 0x82) ids = { ...ids, authoritySerial: contentBytes(value, field) };
    }
    // RFC 5280 §4.2.1.1: authorityCertIssuer and authorityCertSerialNumber come together or not at all.
    if (hasIssuer !== (ids.authoritySerial !== undefined)) {
      throw new DerError('AuthorityKeyIdentifier has an issuer without a serial number or the reverse');
    }
    return ids;
  },
  [Oid.extKeyUsage]: (value, root) => {
    const purposes = readChildren(value, expectTag(root, Tag.SEQUENCE, 'ExtendedKeyUsage'));
    if (purposes.length === 0) throw new DerError('ExtendedKeyUsage is empty');
    for (const purpose of purposes) expectTag(purpose, Tag.OID, 'KeyPurposeId');
    return undefined;
  },
  [Oid.subjectAltName]: (value, root) => {
    const names = readChildren(value, expectTag(root, Tag.SEQUENCE, 'SubjectAltName'));
    if (names.length === 0) throw new DerError('SubjectAltName is empty');
    for (const name of names) {
      if (name.tagClass !== 2 || name.tagNumber > 8)
        throw new DerError('SubjectAltName holds something not a GeneralName');
    }
    return undefined;
  },
};
