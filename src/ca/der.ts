/**
 * A minimal, strict DER reader.
 *
 * It only locates elements; it never re-encodes them. Callers that need the exact bytes a signature covers
 * (a CSR's CertificationRequestInfo, a certificate's subject Name) take them as slices of the input, because
 * re-encoding a parsed structure would silently "fix" non-canonical input and break the signature.
 */

/** Raised for any input that is not well-formed DER. */
export class DerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DerError';
  }
}

/** Position and identity of one TLV (tag-length-value) element inside a buffer. */
export interface DerElement {
  /** The first identifier octet, e.g. 0x30 for SEQUENCE, 0xa0 for [0] constructed. */
  readonly tag: number;
  /** 0 universal, 1 application, 2 context-specific, 3 private. */
  readonly tagClass: number;
  readonly constructed: boolean;
  /** The tag number, decoded from the high-tag-number form when the low five bits are all ones. */
  readonly tagNumber: number;
  /** Identifier plus length octets. */
  readonly headerLength: number;
  /** Offset of the identifier octet. */
  readonly start: number;
  /** Offset of the first content octet. */
  readonly contentStart: number;
  /** Offset just past the last content octet, which is also the end of the element. */
  readonly contentEnd: number;
}

/** Common universal tags, as first identifier octets. */
export const Tag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  ENUMERATED: 0x0a,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/**
 * Reads the TLV that starts at `offset`, which must end at or before `limit`.
 * Rejects indefinite lengths, non-minimal lengths and lengths that run past `limit`.
 */
export function readTlv(buffer: Uint8Array, offset = 0, limit = buffer.length): DerElement {
  if (limit > buffer.length) throw new DerError('DER limit is past the end of the buffer');
  if (offset >= limit) throw new DerError(`DER element expected at offset ${offset}, found end of data`);
  let pos = offset;
  const tag = buffer[pos++] as number;
  const tagClass = tag >> 6;
  const constructed = (tag & 0x20) !== 0;
  let tagNumber = tag & 0x1f;
  if (tagNumber === 0x1f) {
    // High-tag-number form: base-128 digits, the first of which may not be 0 (minimal encoding).
    tagNumber = 0;
    for (let digits = 0; ; digits++) {
      if (pos >= limit) throw new DerError(`truncated DER tag at offset ${offset}`);
      const b = buffer[pos++] as number;
      if (digits === 0 && b === 0x80) throw new DerError(`non-minimal DER tag at offset ${offset}`);
      if (digits >= 4) throw new DerError(`DER tag number too large at offset ${offset}`);
      tagNumber = tagNumber * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
    if (tagNumber < 0x1f) throw new DerError(`non-minimal DER tag at offset ${offset}`);
  }
  if (pos >= limit) throw new DerError(`truncated DER length at offset ${offset}`);
  const first = buffer[pos++] as number;
  let length: number;
  if (first < 0x80) {
    length = first;
  } else if (first === 0x80) {
    throw new DerError(`indefinite length at offset ${offset} is not allowed in DER`);
  } else {
    const count = first & 0x7f;
    // Four octets already exceed anything a Buffer can hold; more would only be an attack on the arithmetic.
    if (count > 4) throw new DerError(`DER length of ${count} octets at offset ${offset} is too large`);
    if (pos + count > limit) throw new DerError(`truncated DER length at offset ${offset}`);
    if (buffer[pos] === 0) throw new DerError(`non-minimal DER length at offset ${offset}`);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (buffer[pos++] as number);
    if (length < 0x80) throw new DerError(`non-minimal DER length at offset ${offset}`);
  }
  const contentStart = pos;
  const contentEnd = contentStart + length;
  if (contentEnd > limit) {
    throw new DerError(
      `DER element at offset ${offset} claims ${length} content octets, past the end of its container`,
    );
  }
  return {
    tag,
    tagClass,
    constructed,
    tagNumber,
    headerLength: contentStart - offset,
    start: offset,
    contentStart,
    contentEnd,
  };
}

/** Reads a buffer that must hold exactly one element, with no trailing bytes. */
export function readWhole(buffer: Uint8Array): DerElement {
  const element = readTlv(buffer, 0, buffer.length);
  if (element.contentEnd !== buffer.length) {
    throw new DerError(`${buffer.length - element.contentEnd} trailing bytes after the DER element`);
  }
  return element;
}

/** The children of a constructed element; they must fill its contents exactly. */
export function readChildren(buffer: Uint8Array, parent: DerElement): DerElement[] {
  if (!parent.constructed) throw new DerError(`DER element at offset ${parent.start} is not constructed`);
  const children: DerElement[] = [];
  let pos = parent.contentStart;
  while (pos < parent.contentEnd) {
    const child = readTlv(buffer, pos, parent.contentEnd);
    children.push(child);
    pos = child.contentEnd;
  }
  return children;
}

/** The raw TLV bytes of each child of a constructed element (views into `buffer`, not copies). */
export function childSlices(buffer: Buffer, parent: DerElement): Buffer[] {
  return readChildren(buffer, parent).map((child) => elementBytes(buffer, child));
}

/** The whole TLV of an element (a view, not a copy). */
export function elementBytes(buffer: Buffer, element: DerElement): Buffer {
  return buffer.subarray(element.start, element.contentEnd);
}

/** The content octets of an element (a view, not a copy). */
export function contentBytes(buffer: Buffer, element: DerElement): Buffer {
  return buffer.subarray(element.contentStart, element.contentEnd);
}

/** Throws unless the element carries the expected first identifier octet. */
export function expectTag(element: DerElement, tag: number, what: string): DerElement {
  if (element.tag !== tag) {
    throw new DerError(
      `${what}: expected tag 0x${tag.toString(16).padStart(2, '0')}, found 0x${element.tag.toString(16).padStart(2, '0')}`,
    );
  }
  return element;
}

/**
 * The longest OBJECT IDENTIFIER arc decoded, in octets: 20 base-128 digits hold 140 bits, room for the 128-bit
 * UUID arcs under 2.25 (X.667), the longest arcs in use. A bound keeps decoding linear in the input: turning an
 * unbounded arc into decimal costs time quadratic in its length (a 45,000-octet arc took ~440 ms).
 */
export const MAX_OID_ARC_OCTETS = 20;

/** Arcs of up to this many octets (49 bits) are exact in a double; longer ones go through BigInt. */
const SAFE_ARC_OCTETS = 7;

/**
 * Decodes the content octets of an OBJECT IDENTIFIER into dotted form, rejecting non-minimal arcs and arcs longer
 * than MAX_OID_ARC_OCTETS (refused at the first octet past the bound, so the work is bounded by the input read).
 */
export function decodeOid(content: Uint8Array): string {
  if (content.length === 0) throw new DerError('empty OBJECT IDENTIFIER');
  const arcs: string[] = [];
  let arcStart = 0;
  for (let i = 0; i < content.length; i++) {
    const b = content[i] as number;
    if (i === arcStart && b === 0x80) throw new DerError('non-minimal OBJECT IDENTIFIER arc');
    if (i - arcStart >= MAX_OID_ARC_OCTETS) {
      throw new DerError(
        `OBJECT IDENTIFIER arc longer than ${MAX_OID_ARC_OCTETS} octets (refused at octet ${i + 1} of ${content.length})`,
      );
    }
    if ((b & 0x80) !== 0) continue;
    const digits = content.subarray(arcStart, i + 1);
    arcs.push(arcs.length === 0 ? firstTwoArcs(digits) : arcValue(digits).toString());
    arcStart = i + 1;
  }
  if (arcStart !== content.length) throw new DerError('truncated OBJECT IDENTIFIER');
  return arcs.join('.');
}

/** The value of one arc's base-128 digits (at most MAX_OID_ARC_OCTETS of them). */
function arcValue(digits: Uint8Array): number | bigint {
  if (digits.length <= SAFE_ARC_OCTETS) {
    let value = 0;
    for (const b of digits) value = value * 128 + (b & 0x7f);
    return value;
  }
  let value = 0n;
  for (const b of digits) value = (value << 7n) | BigInt(b & 0x7f);
  return value;
}

/** The first subidentifier encodes two arcs: 40 * X + Y, with X in 0..2 (Y < 40 unless X is 2). */
function firstTwoArcs(digits: Uint8Array): string {
  const head = arcValue(digits);
  if (typeof head === 'number') {
    const first = head < 40 ? 0 : head < 80 ? 1 : 2;
    return `${first}.${head - first * 40}`;
  }
  return `2.${head - 80n}`;
}

/**
 * Decodes a small, strictly minimal DER INTEGER (such as a version number).
 * Values outside the safe-integer range are refused: nothing that needs them is read this way.
 */
export function decodeSmallInteger(content: Uint8Array): number {
  if (content.length === 0) throw new DerError('empty INTEGER');
  const b0 = content[0] as number;
  const b1 = content[1];
  if (b1 !== undefined && ((b0 === 0x00 && (b1 & 0x80) === 0) || (b0 === 0xff && (b1 & 0x80) !== 0))) {
    throw new DerError('non-minimal INTEGER encoding');
  }
  if (content.length > 6) throw new DerError('INTEGER too large');
  let value = b0 & 0x80 ? -1 : 0;
  for (const b of content) value = value * 256 + b;
  // Two's complement for negatives: the loop above started from -1, which folds the sign in.
  return value;
}
