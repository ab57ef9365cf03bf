/**
 * Whole-tree DER conformance (X.690 §10–11) for untrusted input: every element is read with the strict length
 * rules of der.ts, every universal primitive has the one encoding DER allows, strings hold what their type may
 * hold, SET OF members are in DER order. One pass, each octet looked at a bounded number of times, so the cost is
 * linear in the input. OCTET STRING and BIT STRING contents are opaque here (the structure readers check the
 * encapsulated values they use).
 */

import { type DerElement, DerError, decodeOid, readChildren, readWhole } from './der.js';
import { decodeTime } from './der-time.js';

/** Deeper than any certificate or CSR nests; deeper input is an attack on the stack. */
const MAX_DEPTH = 32;

/** Checks that `buffer` is exactly one DER element, conforming throughout. */
export function checkDer(buffer: Uint8Array): DerElement {
  const root = readWhole(buffer);
  checkElement(buffer, root, 0);
  return root;
}

function checkElement(buffer: Uint8Array, element: DerElement, depth: number): void {
  if (depth > MAX_DEPTH) throw new DerError(`DER nested deeper than ${MAX_DEPTH} levels`);
  if (element.tagClass === 0) checkUniversalForm(element);
  if (element.constructed) {
    const children = readChildren(buffer, element);
    for (const child of children) checkElement(buffer, child, depth + 1);
    if (element.tagClass === 0 && element.tagNumber === 17) checkSetOrder(buffer, children, element);
    return;
  }
  if (element.tagClass === 0)
    checkPrimitive(element.tagNumber, buffer.subarray(element.contentStart, element.contentEnd));
}

/** Universal types that may be constructed in DER: SEQUENCE and SET only (constructed strings are BER). */
function checkUniversalForm(element: DerElement): void {
  const { tagNumber, constructed, start } = element;
  if (tagNumber === 0) throw new DerError(`end-of-contents octets at offset ${start} (indefinite length is not DER)`);
  if (tagNumber >= 31) throw new DerError(`unknown universal tag ${tagNumber} at offset ${start}`);
  const structured = tagNumber === 16 || tagNumber === 17;
  if (structured && !constructed) throw new DerError(`primitive SEQUENCE or SET at offset ${start}`);
  if (!structured && constructed) {
    throw new DerError(`constructed encoding of universal type ${tagNumber} at offset ${start} is not DER`);
  }
}

/** X.690 §11.6: the members of a SET OF in ascending order of their encodings. */
function checkSetOrder(buffer: Uint8Array, children: readonly DerElement[], set: DerElement): void {
  for (let i = 1; i < children.length; i++) {
    const a = children[i - 1] as DerElement;
    const b = children[i] as DerElement;
    const order = Buffer.compare(buffer.subarray(a.start, a.contentEnd), buffer.subarray(b.start, b.contentEnd));
    if (order > 0) throw new DerError(`SET at offset ${set.start} is not in DER order`);
  }
}

function checkPrimitive(tagNumber: number, content: Uint8Array): void {
  switch (tagNumber) {
    case 1: // BOOLEAN
      if (content.length !== 1 || (content[0] !== 0x00 && content[0] !== 0xff)) {
        throw new DerError('BOOLEAN must be one octet, 00 or FF');
      }
      return;
    case 2: // INTEGER
    case 10: // ENUMERATED
      checkMinimalInteger(content);
      return;
    case 3:
      checkBitString(content);
      return;
    case 5:
      if (content.length !== 0) throw new DerError('NULL with content');
      return;
    case 6:
      decodeOid(content);
      return;
    case 12:
      checkUtf8(content);
      return;
    case 18:
      checkRange(content, /^[0-9 ]*$/, 'NumericString');
      return;
    case 19:
      // X.680's PrintableString lacks '*', '@', '_' and '&', which real certificates have carried for decades and
      // OpenSSL reads; visible ASCII is the line drawn.
      checkRange(content, /^[\x20-\x7e]*$/, 'PrintableString');
      return;
    case 22:
      // biome-ignore lint/suspicious/noControlCharactersInRegex: IA5 is exactly the 7-bit range.
      checkRange(content, /^[\x00-\x7f]*$/, 'IA5String');
      return;
    case 26:
      checkRange(content, /^[\x20-\x7e]*$/, 'VisibleString');
      return;
    case 28:
      checkUniversalString(content);
      return;
    case 30:
      checkBmpString(content);
      return;
    case 23: // UTCTime
    case 24: // GeneralizedTime
      decodeTime(tagNumber, content);
      return;
    default:
      return; // OCTET STRING, TeletexString and the rest: any octets
  }
}

export function checkMinimalInteger(content: Uint8Array): void {
  if (content.length === 0) throw new DerError('empty INTEGER');
  const b0 = content[0] as number;
  const b1 = content[1];
  if (b1 !== undefined && ((b0 === 0x00 && (b1 & 0x80) === 0) || (b0 === 0xff && (b1 & 0x80) !== 0))) {
    throw new DerError('non-minimal INTEGER encoding');
  }
}

/** X.690 §11.2: at most 7 unused bits, none in an empty string, and the unused bits zero. */
function checkBitString(content: Uint8Array): void {
  const unused = content[0];
  if (unused === undefined) throw new DerError('empty BIT STRING');
  if (unused > 7) throw new DerError('BIT STRING with more than 7 unused bits');
  if (content.length === 1 && unused !== 0) throw new DerError('empty BIT STRING with unused bits');
  const last = content[content.length - 1] as number;
  if (content.length > 1 && (last & ((1 << unused) - 1)) !== 0) throw new DerError('BIT STRING unused bits not zero');
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function checkUtf8(content: Uint8Array): void {
  try {
    UTF8.decode(content);
  } catch {
    throw new DerError('UTF8String is not valid UTF-8');
  }
}

function checkRange(content: Uint8Array, pattern: RegExp, type: string): void {
  if (!pattern.test(Buffer.from(content).toString('latin1'))) throw new DerError(`${type} holds characters it may not`);
}

/** BMPString: UCS-2, two octets per character, no surrogates (they would not be characters of the BMP). */
function checkBmpString(content: Uint8Array): void {
  if (content.length % 2 !== 0) throw new DerError('BMPString of odd length');
  for (let i = 0; i < content.length; i += 2) {
    const unit = ((content[i] as number) << 8) | (content[i + 1] as number);
    if (unit >= 0xd800 && unit <= 0xdfff) throw new DerError('BMPString holds a surrogate');
  }
}

/** UniversalString: UCS-4, four octets per character, each a Unicode scalar value. */
function checkUniversalString(content: Uint8Array): void {
  if (content.length % 4 !== 0) throw new DerError('UniversalString length is not a multiple of 4');
  const view = new DataView(content.buffer, content.byteOffset, content.byteLength);
  for (let i = 0; i < content.length; i += 4) {
    const cp = view.getUint32(i);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw new DerError('UniversalString holds a non-character');
  }
}

/** For callers that hold an element already read: checks it and everything inside. */
export function checkDerElement(buffer: Uint8Array, element: DerElement): void {
  checkElement(buffer, element, 0);
}
