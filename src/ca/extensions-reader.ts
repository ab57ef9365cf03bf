/**
 * Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension, as certificates carry them and CSRs request them: each
 * extension at most once (RFC 5280 §4.2), `critical` present only when TRUE (DER omits a DEFAULT value).
 */

import { type DerElement, DerError, decodeOid, expectTag, readChildren, Tag } from './der.js';

/** One extension as encoded. */
export interface CertificateExtension {
  readonly oid: string;
  readonly critical: boolean;
  /** The extnValue OCTET STRING's contents. */
  readonly value: Buffer;
}

/** Reads an Extensions SEQUENCE. Throws DerError on any departure from the rules above. */
export function readExtensions(buffer: Buffer, list: DerElement): CertificateExtension[] {
  const elements = readChildren(buffer, expectTag(list, Tag.SEQUENCE, 'Extensions'));
  if (elements.length === 0) throw new DerError('Extensions must not be empty');
  const seen = new Set<string>();
  return elements.map((element) => {
    const parts = readChildren(buffer, expectTag(element, Tag.SEQUENCE, 'Extension'));
    const [id, middle, last] = parts;
    if (!id || !middle || parts.length > 3) throw new DerError('malformed Extension');
    const oid = decodeOid(buffer.subarray(expectTag(id, Tag.OID, 'extnID').contentStart, id.contentEnd));
    if (seen.has(oid)) throw new DerError(`extension ${oid} appears more than once`);
    seen.add(oid);
    let critical = false;
    if (last) {
      expectTag(middle, Tag.BOOLEAN, 'critical');
      if (buffer[middle.contentStart] !== 0xff || middle.contentEnd - middle.contentStart !== 1) {
        throw new DerError(`extension ${oid}: critical FALSE must be omitted in DER`);
      }
      critical = true;
    }
    const value = expectTag(last ?? middle, Tag.OCTET_STRING, 'extnValue');
    return { oid, critical, value: buffer.subarray(value.contentStart, value.contentEnd) };
  });
}
