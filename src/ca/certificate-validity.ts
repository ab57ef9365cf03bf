/**
 * Reads a certificate's validity period from its DER (node:crypto only offers it as display text).
 * Both RFC 5280 time forms are accepted, in the strict shape RFC 5280 requires: seconds present, Zulu.
 */

import { contentBytes, DerError, expectTag, readChildren, readWhole, Tag } from './der.js';

export interface CertificateValidity {
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** notBefore and notAfter of certificate DER. Throws DerError when they cannot be read. */
export function readValidity(der: Buffer): CertificateValidity {
  const [tbs] = readChildren(der, expectTag(readWhole(der), Tag.SEQUENCE, 'Certificate'));
  if (!tbs) throw new DerError('Certificate: missing TBSCertificate');
  const fields = readChildren(der, expectTag(tbs, Tag.SEQUENCE, 'TBSCertificate'));
  // [0] version, serialNumber, signature, issuer, validity: validity is the fourth field after the version.
  const validity = fields[fields[0]?.tag === 0xa0 ? 4 : 3];
  if (!validity) throw new DerError('TBSCertificate: missing validity');
  const [notBefore, notAfter, extra] = readChildren(der, expectTag(validity, Tag.SEQUENCE, 'Validity'));
  if (!notBefore || !notAfter || extra) throw new DerError('Validity: expected notBefore and notAfter');
  return {
    notBefore: decodeTime(notBefore.tag, contentBytes(der, notBefore)),
    notAfter: decodeTime(notAfter.tag, contentBytes(der, notAfter)),
  };
}

const UTC_TIME = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;
const GENERALIZED_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;

function decodeTime(tag: number, content: Buffer): Date {
  const text = content.toString('latin1');
  let parts: RegExpExecArray | null;
  let year: number;
  if (tag === Tag.UTC_TIME) {
    parts = UTC_TIME.exec(text);
    // RFC 5280: two-digit years 50..99 are 19xx, 00..49 are 20xx.
    year = parts ? Number(parts[1]) + (Number(parts[1]) >= 50 ? 1900 : 2000) : 0;
  } else if (tag === Tag.GENERALIZED_TIME) {
    parts = GENERALIZED_TIME.exec(text);
    year = parts ? Number(parts[1]) : 0;
  } else {
    throw new DerError(`Validity: unexpected time tag 0x${tag.toString(16).padStart(2, '0')}`);
  }
  if (!parts) throw new DerError(`Validity: malformed time "${text}"`);
  const [month, day, hour, minute, second] = parts.slice(2).map(Number) as [number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls over out-of-range fields (month 13, day 32); a round trip catches them.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || date.getUTCHours() !== hour) {
    throw new DerError(`Validity: invalid time "${text}"`);
  }
  if (date.getUTCMinutes() !== minute || date.getUTCSeconds() !== second) {
    throw new DerError(`Validity: invalid time "${text}"`);
  }
  return date;
}
