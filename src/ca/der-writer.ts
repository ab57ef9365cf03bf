/**
 * Hand-rolled DER encoders for the few ASN.1 types fleetca writes.
 *
 * Certificates are small and their shape is fixed, so concatenating TLVs directly keeps every byte visible
 * (and is several times faster than a schema-driven serialiser on the issuing hot path).
 */

import { Tag } from './der.js';

/** Encodes a definite, minimal DER length. */
export function encodeLength(length: number): Buffer {
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`invalid DER length ${length}`);
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One TLV with a low-tag-number identifier octet. */
export function tlv(tag: number, ...content: Uint8Array[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), encodeLength(body.length), body]);
}

export function sequence(...elements: Uint8Array[]): Buffer {
  return tlv(Tag.SEQUENCE, ...elements);
}

export function set(...elements: Uint8Array[]): Buffer {
  return tlv(Tag.SET, ...elements);
}

/** EXPLICIT context-specific tag [n] around an already encoded element. */
export function explicit(tagNumber: number, element: Uint8Array): Buffer {
  if (tagNumber > 30) throw new RangeError('high tag numbers are not supported');
  return tlv(0xa0 | tagNumber, element);
}

export function boolean(value: boolean): Buffer {
  return tlv(Tag.BOOLEAN, Buffer.from([value ? 0xff : 0x00]));
}

export function nullValue(): Buffer {
  return Buffer.from([Tag.NULL, 0x00]);
}

/** A non-negative INTEGER from a JavaScript number. */
export function smallInteger(value: number): Buffer {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`invalid INTEGER ${value}`);
  const bytes: number[] = [];
  for (let n = value; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return unsignedInteger(Buffer.from(bytes));
}

/**
 * A non-negative INTEGER from big-endian magnitude bytes: leading zero octets are dropped and a single 00 is
 * prepended when the top bit is set, so the value stays positive.
 */
export function unsignedInteger(magnitude: Uint8Array): Buffer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = magnitude.length === 0 ? Buffer.from([0]) : Buffer.from(magnitude.subarray(start));
  const needsPad = ((trimmed[0] as number) & 0x80) !== 0;
  return tlv(Tag.INTEGER, needsPad ? Buffer.from([0]) : Buffer.alloc(0), trimmed);
}

/** The content octets of an OBJECT IDENTIFIER given in dotted form. */
export function encodeOidContent(dotted: string): Buffer {
  if (!/^[0-2](\.(0|[1-9][0-9]*))+$/.test(dotted)) throw new RangeError(`invalid object identifier "${dotted}"`);
  const arcs = dotted.split('.').map((arc) => BigInt(arc));
  const first = arcs[0] as bigint;
  const second = arcs[1] as bigint;
  if (first < 2n && second >= 40n) throw new RangeError(`invalid object identifier "${dotted}"`);
  const out: number[] = [];
  for (const arc of [first * 40n + second, ...arcs.slice(2)]) {
    const digits: number[] = [];
    let n = arc;
    do {
      digits.unshift(Number(n & 0x7fn));
      n >>= 7n;
    } while (n > 0n);
    for (let i = 0; i < digits.length - 1; i++) digits[i] = (digits[i] as number) | 0x80;
    out.push(...digits);
  }
  return Buffer.from(out);
}

export function oid(dotted: string): Buffer {
  return tlv(Tag.OID, encodeOidContent(dotted));
}

export function octetString(content: Uint8Array): Buffer {
  return tlv(Tag.OCTET_STRING, content);
}

/** A BIT STRING whose content is a whole number of octets (signatures, public keys). */
export function bitString(content: Uint8Array): Buffer {
  return tlv(Tag.BIT_STRING, Buffer.from([0]), content);
}

/**
 * A named-bit BIT STRING (KeyUsage): bit 0 is the most significant bit of the first octet, and DER drops
 * trailing zero bits, so the length and the unused-bits count follow from the highest bit set.
 */
export function namedBitString(bits: readonly number[]): Buffer {
  if (bits.length === 0) return tlv(Tag.BIT_STRING, Buffer.from([0]));
  const highest = Math.max(...bits);
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const bit of bits) {
    if (!Number.isInteger(bit) || bit < 0) throw new RangeError(`invalid bit number ${bit}`);
    const index = Math.floor(bit / 8);
    bytes[index] = (bytes[index] as number) | (0x80 >> (bit % 8));
  }
  const unused = 7 - (highest % 8);
  return tlv(Tag.BIT_STRING, Buffer.from([unused]), bytes);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** `MMDDHHMMSSZ` of an instant in UTC, whole seconds (sub-second parts are truncated). */
function monthToSecond(date: Date): string {
  return (
    pad(date.getUTCMonth() + 1, 2) +
    pad(date.getUTCDate(), 2) +
    pad(date.getUTCHours(), 2) +
    pad(date.getUTCMinutes(), 2) +
    pad(date.getUTCSeconds(), 2) +
    'Z'
  );
}

/** The UTC year of `date`, refused outside what fleetca's time encodings can carry. */
function encodableYear(date: Date, from: number): number {
  if (!Number.isFinite(date.getTime())) throw new RangeError('invalid date');
  const year = date.getUTCFullYear();
  if (year < from || year > 9999) throw new RangeError(`year ${year} cannot be encoded`);
  return year;
}

/**
 * A validity Time as RFC 5280 §4.1.2.5 requires: UTCTime through 2049, GeneralizedTime from 2050, always in
 * UTC with seconds and no fractions (sub-second parts are truncated).
 */
export function time(date: Date): Buffer {
  const year = encodableYear(date, 1950);
  if (year < 2050) return tlv(Tag.UTC_TIME, Buffer.from(`${pad(year % 100, 2)}${monthToSecond(date)}`, 'ascii'));
  return generalizedTime(date);
}

/** A GeneralizedTime `YYYYMMDDHHMMSSZ` whatever the year (OCSP's times), no fractions (truncated). */
export function generalizedTime(date: Date): Buffer {
  const year = encodableYear(date, 0);
  return tlv(Tag.GENERALIZED_TIME, Buffer.from(`${pad(year, 4)}${monthToSecond(date)}`, 'ascii'));
}

/** An ENUMERATED of a small non-negative value (OCSP's response status, CRLReason). */
export function enumerated(value: number): Buffer {
  const integer = smallInteger(value);
  integer[0] = Tag.ENUMERATED;
  return integer;
}
