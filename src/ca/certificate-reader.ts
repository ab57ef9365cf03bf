/**
 * Reads an X.509 certificate's structure (RFC 5280 §4.1) strictly, and the raw parts node:crypto's
 * X509Certificate does not expose as bytes: the issuer and subject Names (to copy or compare them), the validity
 * and the extensions (to take the CA's key identifier). Untrusted certificates are read here before OpenSSL sees
 * them: DER throughout (der-check.ts), fields in order, the version that the fields present need, Names of the
 * shape RFC 5280 allows, extensions unique, the two signature algorithm fields identical.
 */

import {
  contentBytes,
  type DerElement,
  DerError,
  decodeSmallInteger,
  elementBytes,
  expectTag,
  readChildren,
  readWhole,
  Tag,
} from './der.js';
import { checkDer } from './der-check.js';
import { decodeCertificateTime } from './der-time.js';
import { type CertificateExtension, readExtensions } from './extensions-reader.js';
import { checkName } from './name-check.js';
import { Oid } from './oids.js';

export type { CertificateExtension } from './extensions-reader.js';

/** Raw slices of a certificate (views into the input). */
export interface CertificateParts {
  /** The whole TBSCertificate TLV, as signed. */
  readonly tbs: Buffer;
  /** Content octets of the serialNumber INTEGER. */
  readonly serial: Buffer;
  /** DER Name TLV. */
  readonly issuer: Buffer;
  /** The Validity SEQUENCE TLV. */
  readonly validity: Buffer;
  /** DER Name TLV. */
  readonly subject: Buffer;
  /** DER SubjectPublicKeyInfo TLV. */
  readonly subjectPublicKeyInfo: Buffer;
  /** In encoded order; empty for v1 certificates. */
  readonly extensions: readonly CertificateExtension[];
}

/** Context-specific tags of the optional TBSCertificate fields, with the version each needs. */
const VERSION_FIELD = 0xa0;
const OPTIONAL_FIELDS: readonly { readonly tag: number; readonly name: string; readonly minVersion: number }[] = [
  { tag: 0x81, name: 'issuerUniqueID', minVersion: 1 },
  { tag: 0x82, name: 'subjectUniqueID', minVersion: 1 },
  { tag: 0xa3, name: 'extensions', minVersion: 2 },
];

/** Splits certificate DER into its parts. Throws DerError when it is not a DER certificate of RFC 5280's shape. */
export function readCertificateParts(der: Buffer): CertificateParts {
  const certificate = expectTag(checkDer(der), Tag.SEQUENCE, 'Certificate');
  const [tbsElement, signatureAlgorithm, signatureValue, extra] = readChildren(der, certificate);
  if (!tbsElement || !signatureAlgorithm || !signatureValue || extra) {
    throw new DerError('Certificate must be TBSCertificate, signatureAlgorithm and signatureValue');
  }
  expectTag(tbsElement, Tag.SEQUENCE, 'TBSCertificate');
  checkAlgorithmIdentifier(der, signatureAlgorithm, 'signatureAlgorithm');
  expectTag(signatureValue, Tag.BIT_STRING, 'signatureValue');
  const fields = readChildren(der, tbsElement);
  let index = 0;
  let version = 0;
  if (fields[0]?.tag === VERSION_FIELD) {
    const [versionElement, more] = readChildren(der, fields[0]);
    if (!versionElement || more) throw new DerError('TBSCertificate version must hold one INTEGER');
    version = decodeSmallInteger(contentBytes(der, expectTag(versionElement, Tag.INTEGER, 'version')));
    // v1 is the DEFAULT, which DER leaves out; only v2 (1) and v3 (2) are written.
    if (version !== 1 && version !== 2) throw new DerError(`TBSCertificate version ${version} is not v2 or v3`);
    index = 1;
  }
  const next = (what: string, tag: number): DerElement => {
    const element = fields[index++];
    if (!element) throw new DerError(`TBSCertificate: missing ${what}`);
    return expectTag(element, tag, `TBSCertificate ${what}`);
  };
  const serial = next('serialNumber', Tag.INTEGER);
  const innerAlgorithm = next('signature', Tag.SEQUENCE);
  const issuer = next('issuer', Tag.SEQUENCE);
  const validity = next('validity', Tag.SEQUENCE);
  const subject = next('subject', Tag.SEQUENCE);
  const spki = next('subjectPublicKeyInfo', Tag.SEQUENCE);
  checkAlgorithmIdentifier(der, innerAlgorithm, 'TBSCertificate signature');
  // RFC 5280 §4.1.1.2: the algorithm inside the signed part and the one outside it MUST be the same.
  if (!elementBytes(der, innerAlgorithm).equals(elementBytes(der, signatureAlgorithm))) {
    throw new DerError('signatureAlgorithm differs from the TBSCertificate signature field');
  }
  checkName(der, issuer, 'issuer');
  checkName(der, subject, 'subject');
  checkValidityShape(der, validity);
  checkSpkiShape(der, spki);
  let extensions: CertificateExtension[] = [];
  let optional = 0;
  for (const element of fields.slice(index)) {
    while (optional < OPTIONAL_FIELDS.length && OPTIONAL_FIELDS[optional]?.tag !== element.tag) optional++;
    const field = OPTIONAL_FIELDS[optional++];
    if (!field) {
      throw new DerError(`TBSCertificate: unexpected field with tag 0x${element.tag.toString(16).padStart(2, '0')}`);
    }
    if (version < field.minVersion) throw new DerError(`TBSCertificate: ${field.name} needs a later version`);
    if (field.tag === 0xa3) {
      const [list, more] = readChildren(der, element);
      if (!list || more) throw new DerError('TBSCertificate extensions must hold one Extensions SEQUENCE');
      extensions = readExtensions(der, list);
    }
  }
  return {
    tbs: elementBytes(der, tbsElement),
    serial: contentBytes(der, serial),
    issuer: elementBytes(der, issuer),
    validity: elementBytes(der, validity),
    subject: elementBytes(der, subject),
    subjectPublicKeyInfo: elementBytes(der, spki),
    extensions,
  };
}

/** AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }. */
export function checkAlgorithmIdentifier(der: Buffer, element: DerElement, what: string): void {
  const [id, , extra] = readChildren(der, expectTag(element, Tag.SEQUENCE, what));
  if (!id || extra) throw new DerError(`${what}: malformed AlgorithmIdentifier`);
  expectTag(id, Tag.OID, what);
}

function checkValidityShape(der: Buffer, validity: DerElement): void {
  const [notBefore, notAfter, extra] = readChildren(der, validity);
  if (!notBefore || !notAfter || extra) throw new DerError('Validity: expected notBefore and notAfter');
  decodeCertificateTime(notBefore.tag, contentBytes(der, notBefore));
  decodeCertificateTime(notAfter.tag, contentBytes(der, notAfter));
}

function checkSpkiShape(der: Buffer, spki: DerElement): void {
  const [algorithm, key, extra] = readChildren(der, spki);
  if (!algorithm || !key || extra) throw new DerError('SubjectPublicKeyInfo: expected algorithm and key');
  checkAlgorithmIdentifier(der, algorithm, 'SubjectPublicKeyInfo algorithm');
  expectTag(key, Tag.BIT_STRING, 'subjectPublicKey');
}

/** The keyIdentifier carried by a SubjectKeyIdentifier extension, if there is one. */
export function subjectKeyIdentifierOf(parts: CertificateParts): Buffer | undefined {
  const ext = parts.extensions.find((e) => e.oid === Oid.subjectKeyIdentifier);
  if (!ext) return undefined;
  return contentBytes(ext.value, expectTag(readWhole(ext.value), Tag.OCTET_STRING, 'SubjectKeyIdentifier'));
}
