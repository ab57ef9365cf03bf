/**
 * Reads the raw parts of an X.509 certificate that node:crypto's X509Certificate does not expose as bytes:
 * the issuer and subject Names (to copy them verbatim) and the extensions (to take the CA's key identifier).
 */

import {
  contentBytes,
  type DerElement,
  DerError,
  decodeOid,
  elementBytes,
  expectTag,
  readChildren,
  readWhole,
  Tag,
} from './der.js';
import { Oid } from './oids.js';

/** One certificate extension as encoded. */
export interface CertificateExtension {
  readonly oid: string;
  readonly critical: boolean;
  /** The extnValue OCTET STRING's contents. */
  readonly value: Buffer;
}

/** Raw slices of a certificate (views into the input). */
export interface CertificateParts {
  /** The whole TBSCertificate TLV, as signed. */
  readonly tbs: Buffer;
  /** Content octets of the serialNumber INTEGER. */
  readonly serial: Buffer;
  /** DER Name TLV. */
  readonly issuer: Buffer;
  /** DER Name TLV. */
  readonly subject: Buffer;
  /** DER SubjectPublicKeyInfo TLV. */
  readonly subjectPublicKeyInfo: Buffer;
  /** In encoded order; empty for v1 certificates. */
  readonly extensions: readonly CertificateExtension[];
}

/** Splits certificate DER into its parts. Throws DerError when the structure is not a certificate. */
export function readCertificateParts(der: Buffer): CertificateParts {
  const certificate = expectTag(readWhole(der), Tag.SEQUENCE, 'Certificate');
  const [tbsElement] = readChildren(der, certificate);
  if (!tbsElement) throw new DerError('Certificate: missing TBSCertificate');
  expectTag(tbsElement, Tag.SEQUENCE, 'TBSCertificate');
  const fields = readChildren(der, tbsElement);
  let index = fields[0]?.tag === 0xa0 ? 1 : 0;
  const next = (what: string, tag: number): DerElement => {
    const element = fields[index++];
    if (!element) throw new DerError(`TBSCertificate: missing ${what}`);
    return expectTag(element, tag, `TBSCertificate ${what}`);
  };
  const serial = next('serialNumber', Tag.INTEGER);
  next('signature', Tag.SEQUENCE);
  const issuer = next('issuer', Tag.SEQUENCE);
  next('validity', Tag.SEQUENCE);
  const subject = next('subject', Tag.SEQUENCE);
  const spki = next('subjectPublicKeyInfo', Tag.SEQUENCE);
  const extensions: CertificateExtension[] = [];
  for (const element of fields.slice(index)) {
    if (element.tag !== 0xa3) continue; // issuerUniqueID / subjectUniqueID: never used by fleetca
    const [list] = readChildren(der, element);
    if (!list) throw new DerError('TBSCertificate: empty extensions');
    for (const ext of readChildren(der, expectTag(list, Tag.SEQUENCE, 'Extensions'))) {
      const parts = readChildren(der, expectTag(ext, Tag.SEQUENCE, 'Extension'));
      const id = parts[0];
      const last = parts[parts.length - 1];
      if (!id || !last || parts.length < 2 || parts.length > 3) throw new DerError('malformed Extension');
      const critical =
        parts.length === 3 && contentBytes(der, expectTag(parts[1] as DerElement, Tag.BOOLEAN, 'critical'))[0] === 0xff;
      extensions.push({
        oid: decodeOid(contentBytes(der, expectTag(id, Tag.OID, 'extnID'))),
        critical,
        value: contentBytes(der, expectTag(last, Tag.OCTET_STRING, 'extnValue')),
      });
    }
  }
  return {
    tbs: elementBytes(der, tbsElement),
    serial: contentBytes(der, serial),
    issuer: elementBytes(der, issuer),
    subject: elementBytes(der, subject),
    subjectPublicKeyInfo: elementBytes(der, spki),
    extensions,
  };
}

/** The keyIdentifier carried by a SubjectKeyIdentifier extension, if there is one. */
export function subjectKeyIdentifierOf(parts: CertificateParts): Buffer | undefined {
  const ext = parts.extensions.find((e) => e.oid === Oid.subjectKeyIdentifier);
  if (!ext) return undefined;
  return contentBytes(ext.value, expectTag(readWhole(ext.value), Tag.OCTET_STRING, 'SubjectKeyIdentifier'));
}
