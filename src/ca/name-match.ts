/**
 * Whether two Names are the same name (RFC 5280 §7.1), not merely the same octets: RDN by RDN, each RDN the same
 * set of attributes, string values compared after the LDAP StringPrep steps that matter here (RFC 4518:
 * compatibility normalisation, case folding, insignificant space removed) and whatever string type encodes them.
 * Deliberately generous (OpenSSL's comparison folds only ASCII case): when a CA's names match, its self-signature
 * must verify, so a comparison that says "same" too often costs a signature check, never a missed one.
 */

import { type DerElement, readChildren, readWhole } from './der.js';

/** A key equal for two Names exactly when they match as names. The Name must have passed checkName. */
export function nameMatchKey(name: Uint8Array): string {
  const rdns = readChildren(name, readWhole(name)).map((rdn) =>
    readChildren(name, rdn)
      .map((attribute) => {
        const [type, value] = readChildren(name, attribute) as [DerElement, DerElement];
        const oid = Buffer.from(name.subarray(type.contentStart, type.contentEnd)).toString('hex');
        return `${oid}=${canonicalValue(value.tag, name.subarray(value.contentStart, value.contentEnd))}`;
      })
      .sort(),
  );
  return JSON.stringify(rdns);
}

/** Whether two DER Names match as names. */
export function namesMatch(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0 || nameMatchKey(a) === nameMatchKey(b);
}

function canonicalValue(tag: number, content: Uint8Array): string {
  const text = decodeString(tag, Buffer.from(content));
  return text.normalize('NFKC').toLowerCase().normalize('NFKC').trim().replace(/\s+/g, ' ');
}

function decodeString(tag: number, content: Buffer): string {
  switch (tag) {
    case 0x0c: // UTF8String
      return content.toString('utf8');
    case 0x1e: // BMPString: UCS-2, big-endian
      return Buffer.from(content).swap16().toString('utf16le');
    case 0x1c: {
      // UniversalString: UCS-4, big-endian
      let text = '';
      for (let i = 0; i + 3 < content.length; i += 4) text += String.fromCodePoint(content.readUInt32BE(i));
      return text;
    }
    default:
      return content.toString('latin1'); // Printable, IA5, Numeric, Teletex (Latin-1 in practice)
  }
}
