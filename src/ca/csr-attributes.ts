/**
 * A CSR's attributes [0] (PKCS#10 §4.1, PKCS#9): SET OF Attribute { type, SET SIZE (1..MAX) OF value }, each
 * type at most once. An extensionRequest holds one Extensions value, read with the certificate rules (unique,
 * DER BOOLEANs); challengePassword and unstructuredName one string. fleetca signs none of what they ask for (as
 * AWS), but a request whose attributes are malformed is not a request OpenSSL or fleetca will vouch for.
 */

import { type DerElement, DerError, decodeOid, expectTag, readChildren, Tag } from './der.js';
import { readExtensions } from './extensions-reader.js';
import { checkKnownExtensions } from './known-extensions.js';

const EXTENSION_REQUEST = '1.2.840.113549.1.9.14';
const CHALLENGE_PASSWORD = '1.2.840.113549.1.9.7';
const UNSTRUCTURED_NAME = '1.2.840.113549.1.9.2';

/** The string types PKCS#9 allows these two attributes (DirectoryString, plus IA5String for unstructuredName). */
const PKCS9_STRING_TAGS: ReadonlySet<number> = new Set([0x0c, 0x13, 0x14, 0x16, 0x1c, 0x1e]);

/** Checks the attributes element (tag [0], constructed). Throws DerError with the first fault found. */
export function checkCsrAttributes(der: Buffer, attributes: DerElement): void {
  const seen = new Set<string>();
  for (const attribute of readChildren(der, attributes)) {
    const [type, values, extra] = readChildren(der, expectTag(attribute, Tag.SEQUENCE, 'CSR attribute'));
    if (!type || !values || extra) throw new DerError('CSR attribute must be a type and a SET of values');
    const oid = decodeOid(der.subarray(expectTag(type, Tag.OID, 'CSR attribute type').contentStart, type.contentEnd));
    if (seen.has(oid)) throw new DerError(`CSR attribute ${oid} appears more than once`);
    seen.add(oid);
    const members = readChildren(der, expectTag(values, Tag.SET, `CSR attribute ${oid} values`));
    if (members.length === 0) throw new DerError(`CSR attribute ${oid} has no value`);
    if (oid === EXTENSION_REQUEST || oid === CHALLENGE_PASSWORD || oid === UNSTRUCTURED_NAME) {
      if (members.length !== 1) throw new DerError(`CSR attribute ${oid} must have exactly one value`);
      const value = members[0] as DerElement;
      if (oid === EXTENSION_REQUEST) {
        checkKnownExtensions(readExtensions(der, value));
      } else if (!PKCS9_STRING_TAGS.has(value.tag)) {
        throw new DerError(`CSR attribute ${oid} must be a string`);
      }
    }
  }
}
