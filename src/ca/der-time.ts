/**
 * The two ASN.1 time types in the one shape RFC 5280 §4.1.2.5 allows (and DER requires): UTCTime
 * `YYMMDDHHMMSSZ`, GeneralizedTime `YYYYMMDDHHMMSSZ`, seconds present, Zulu, no fractions, every field in range.
 */

import { DerError, Tag } from './der.js';

const UTC_TIME = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;
const GENERALIZED_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;

/** Decodes a UTCTime or GeneralizedTime's content octets. Throws DerError for any other shape or a date that does not exist. */
export function decodeTime(tag: number, content: Uint8Array): Date {
  // Both forms are 13 or 15 ASCII octets; anything longer is refused before it is turned into text.
  if (content.length > 15) throw new DerError('time value is too long');
  const text = Buffer.from(content).toString('latin1');
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
    throw new DerError(`expected a time, found tag 0x${tag.toString(16).padStart(2, '0')}`);
  }
  if (!parts) throw new DerError(`malformed time "${printable(text)}"`);
  const [month, day, hour, minute, second] = parts.slice(2).map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
    throw new DerError(`time "${text}" is out of range`);
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  // Day 31 of a 30-day month rolls over into the next month; the round trip catches it.
  if (date.getUTCDate() !== day) throw new DerError(`time "${text}" is out of range`);
  return date;
}

/**
 * A certificate's validity time: RFC 5280 requires UTCTime through 2049 and GeneralizedTime from 2050 on, so
 * each instant has exactly one encoding.
 */
export function decodeCertificateTime(tag: number, content: Uint8Array): Date {
  const date = decodeTime(tag, content);
  const year = date.getUTCFullYear();
  if (tag === Tag.GENERALIZED_TIME && year < 2050) {
    throw new DerError(`time ${year} must be a UTCTime: GeneralizedTime is for 2050 and later (RFC 5280)`);
  }
  return date;
}

/** Error messages quote the value only when it is harmless text. */
function printable(text: string): string {
  return /^[\x20-\x7e]{0,15}$/.test(text) ? text : '(not printable)';
}
