/** Reads attribute values back out of a DER Name (the inverse of distinguished-name.ts, for the few types fleetca needs). */

import { contentBytes, DerError, decodeOid, expectTag, readChildren, readWhole, Tag } from './der.js';

const BMP_STRING = 0x1e;

/** Every value of the attribute type `oid` in a DER Name, in encoded order. Throws DerError on malformed input. */
export function nameAttributeValues(name: Buffer, oid: string): string[] {
  const values: string[] = [];
  for (const rdn of readChildren(name, expectTag(readWhole(name), Tag.SEQUENCE, 'Name'))) {
    for (const attribute of readChildren(name, expectTag(rdn, Tag.SET, 'RelativeDistinguishedName'))) {
      const [type, value] = readChildren(name, expectTag(attribute, Tag.SEQUENCE, 'AttributeTypeAndValue'));
      if (!type || !value) throw new DerError('AttributeTypeAndValue: expected a type and a value');
      if (decodeOid(contentBytes(name, expectTag(type, Tag.OID, 'attribute type'))) !== oid) continue;
      values.push(decodeString(value.tag, contentBytes(name, value)));
    }
  }
  return values;
}

function decodeString(tag: number, content: Buffer): string {
  switch (tag) {
    case Tag.UTF8_STRING:
      return content.toString('utf8');
    case Tag.PRINTABLE_STRING:
    case Tag.IA5_STRING:
    case 0x14: // TeletexString: in practice Latin-1 when it appears at all
      return content.toString('latin1');
    case BMP_STRING:
      return Buffer.from(content).swap16().toString('utf16le');
    default:
      throw new DerError(`unsupported string type 0x${tag.toString(16).padStart(2, '0')} in a Name`);
  }
}
