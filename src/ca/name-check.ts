/**
 * The shape RFC 5280 §4.1.2.4 gives a Name, checked before a Name is trusted or copied into a certificate:
 * SEQUENCE OF non-empty SET OF (type OID, value), every value one of the string types a Name may carry. The
 * octets inside are checked by der-check.ts, which every untrusted input goes through first.
 */

import { type DerElement, DerError, decodeOid, expectTag, readChildren, Tag } from './der.js';

/**
 * DirectoryString's five types (X.520), IA5String (emailAddress, domainComponent) and NumericString — the string
 * types OpenSSL accepts in a Name, less BIT STRING and SEQUENCE, which it cannot print and RFC 5280 never uses.
 */
export const NAME_VALUE_TAGS: ReadonlySet<number> = new Set([
  Tag.UTF8_STRING,
  0x12, // NumericString
  Tag.PRINTABLE_STRING,
  0x14, // TeletexString
  Tag.IA5_STRING,
  0x1c, // UniversalString
  0x1e, // BMPString
]);

/** Throws DerError unless `name` is a Name with the shape above; `what` names it in the message. */
export function checkName(buffer: Uint8Array, name: DerElement, what: string): void {
  expectTag(name, Tag.SEQUENCE, what);
  for (const rdn of readChildren(buffer, name)) {
    const attributes = readChildren(buffer, expectTag(rdn, Tag.SET, `${what} RDN`));
    if (attributes.length === 0) throw new DerError(`${what} has an empty RDN`);
    for (const attribute of attributes) {
      const [type, value, extra] = readChildren(buffer, expectTag(attribute, Tag.SEQUENCE, `${what} attribute`));
      if (!type || !value || extra) throw new DerError(`${what} attribute must be a type and a value`);
      expectTag(type, Tag.OID, `${what} attribute type`);
      decodeOid(buffer.subarray(type.contentStart, type.contentEnd));
      if (!NAME_VALUE_TAGS.has(value.tag)) {
        throw new DerError(
          `${what} attribute value has tag 0x${value.tag.toString(16).padStart(2, '0')}, not a string type a Name may hold`,
        );
      }
    }
  }
}
