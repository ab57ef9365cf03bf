/**
 * Distinguished-name strings to DER Names.
 *
 * The string syntax is RFC 4514's (`CN=x,O=y`, backslash escapes), but the RDNs are encoded in the order they
 * are written — the order people type and OpenSSL's `-subj` uses — not RFC 4514's reversed order.
 */

import { Tag } from './der.js';
import { oid, sequence, set, tlv } from './der-writer.js';

/** Attribute types fleetca accepts by name, with their OIDs and the string type each is written as. */
const ATTRIBUTE_TYPES: Readonly<Record<string, { readonly oid: string; readonly kind: ValueKind }>> = {
  cn: { oid: '2.5.4.3', kind: 'utf8' },
  o: { oid: '2.5.4.10', kind: 'utf8' },
  ou: { oid: '2.5.4.11', kind: 'utf8' },
  c: { oid: '2.5.4.6', kind: 'country' },
  l: { oid: '2.5.4.7', kind: 'utf8' },
  st: { oid: '2.5.4.8', kind: 'utf8' },
  serialnumber: { oid: '2.5.4.5', kind: 'printable' },
  dc: { oid: '0.9.2342.19200300.100.1.25', kind: 'ia5' },
  emailaddress: { oid: '1.2.840.113549.1.9.1', kind: 'ia5' },
};

type ValueKind = 'utf8' | 'printable' | 'country' | 'ia5';

/** X.680's PrintableString repertoire. */
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/** One attribute of a parsed distinguished name. */
export interface NameAttribute {
  /** The type as written (e.g. `CN`, `2.5.4.3`). */
  readonly type: string;
  /** Dotted object identifier of the type. */
  readonly oid: string;
  /** The unescaped value. */
  readonly value: string;
}

/** Splits an RFC 4514-style string into attributes, unescaping values. Throws on bad syntax or empty values. */
export function parseName(text: string): NameAttribute[] {
  if (text.trim() === '') throw new Error('distinguished name is empty');
  const attributes: NameAttribute[] = [];
  let pos = 0;
  while (true) {
    const eq = text.indexOf('=', pos);
    if (eq < 0) throw new Error(`distinguished name "${text}": expected TYPE=value at position ${pos + 1}`);
    const rawType = text.slice(pos, eq);
    if (/[,+\\"]/.test(rawType)) {
      throw new Error(`distinguished name "${text}": expected TYPE=value at position ${pos + 1}`);
    }
    const type = rawType.trim();
    const spec = lookupType(type, text);
    const { value, end } = readValue(text, eq + 1);
    if (value === '') throw new Error(`distinguished name "${text}": ${type} has an empty value`);
    attributes.push({ type, oid: spec, value });
    if (end >= text.length) break;
    pos = end + 1; // skip the ','
  }
  return attributes;
}

function lookupType(type: string, text: string): string {
  if (type === '') throw new Error(`distinguished name "${text}": missing attribute type before "="`);
  const known = ATTRIBUTE_TYPES[type.toLowerCase()];
  if (known) return known.oid;
  if (/^[0-2](\.(0|[1-9][0-9]*))+$/.test(type)) return type;
  throw new Error(
    `distinguished name "${text}": unknown attribute type "${type}" (use CN, O, OU, C, L, ST, serialNumber, DC, emailAddress or a dotted OID)`,
  );
}

/** Reads an escaped value up to the next unescaped ',' (or the end); unescaped outer whitespace is dropped. */
function readValue(text: string, start: number): { value: string; end: number } {
  const bytes: number[] = [];
  // Indexes into `bytes` bounding the content that must be kept: escaped characters are never trimmed.
  let keepFrom = -1;
  let keepTo = 0;
  let pos = start;
  const push = (chunk: Buffer, significant: boolean) => {
    if (significant || keepFrom >= 0) {
      if (keepFrom < 0) keepFrom = bytes.length;
      for (const b of chunk) bytes.push(b);
      if (significant) keepTo = bytes.length;
    }
  };
  while (pos < text.length) {
    const ch = text[pos] as string;
    if (ch === ',') break;
    if (ch === '+')
      throw new Error(`distinguished name "${text}": multi-valued RDNs ("+") are not supported; escape it as "\\+"`);
    if (ch === '"' || ch === ';' || ch === '<' || ch === '>' || ch === '\0') {
      throw new Error(
        `distinguished name "${text}": character '${ch}' at position ${pos + 1} must be escaped with "\\"`,
      );
    }
    if (ch === '#' && keepFrom < 0) {
      throw new Error(
        `distinguished name "${text}": hex-encoded values ("#...") are not supported; escape it as "\\#"`,
      );
    }
    if (ch === '\\') {
      const next = text[pos + 1];
      if (next === undefined) throw new Error(`distinguished name "${text}": dangling "\\" at the end`);
      if (/[0-9a-fA-F]/.test(next)) {
        const pair = text.slice(pos + 1, pos + 3);
        if (!/^[0-9a-fA-F]{2}$/.test(pair)) {
          throw new Error(`distinguished name "${text}": "\\${pair}" is not a valid hex escape`);
        }
        push(Buffer.from([Number.parseInt(pair, 16)]), true);
        pos += 3;
        continue;
      }
      if (!' "#+,;<=>\\'.includes(next)) {
        throw new Error(`distinguished name "${text}": "\\${next}" is not a valid escape`);
      }
      push(Buffer.from(next, 'utf8'), true);
      pos += 2;
      continue;
    }
    const cp = text.codePointAt(pos) as number;
    const char = String.fromCodePoint(cp);
    push(Buffer.from(char, 'utf8'), !/\s/.test(char));
    pos += char.length;
  }
  const kept = keepFrom < 0 ? Buffer.alloc(0) : Buffer.from(bytes.slice(keepFrom, keepTo));
  try {
    return { value: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(kept), end: pos };
  } catch {
    throw new Error(`distinguished name "${text}": escaped bytes are not valid UTF-8`);
  }
}

/**
 * Encodes an RFC 4514-style string (`CN=AWS IoT Certificate`, `CN=x,O=y,C=US`) as a DER Name: one attribute
 * per RDN in the written order; UTF8String except C and serialNumber (PrintableString) and DC/emailAddress
 * (IA5String). Throws an Error with a readable message on bad syntax, empty values or invalid characters.
 */
export function encodeName(text: string): Buffer {
  const attributes = parseName(text);
  const rdns = attributes.map((attribute) => {
    // By OID, so that `2.5.4.6=US` gets the same PrintableString as `C=US`.
    const kind = Object.values(ATTRIBUTE_TYPES).find((t) => t.oid === attribute.oid)?.kind ?? 'utf8';
    return set(sequence(oid(attribute.oid), encodeValue(kind, attribute, text)));
  });
  return sequence(...rdns);
}

function encodeValue(kind: ValueKind, attribute: NameAttribute, text: string): Buffer {
  const { type, value } = attribute;
  switch (kind) {
    case 'utf8':
      return tlv(Tag.UTF8_STRING, Buffer.from(value, 'utf8'));
    case 'country':
      if (!/^[A-Za-z]{2}$/.test(value)) {
        throw new Error(`distinguished name "${text}": ${type} must be a two-letter country code, got "${value}"`);
      }
      return tlv(Tag.PRINTABLE_STRING, Buffer.from(value, 'ascii'));
    case 'printable':
      if (!PRINTABLE.test(value)) {
        throw new Error(
          `distinguished name "${text}": ${type} may only hold letters, digits, space and '()+,-./:=? (PrintableString), got "${value}"`,
        );
      }
      return tlv(Tag.PRINTABLE_STRING, Buffer.from(value, 'ascii'));
    case 'ia5':
      // biome-ignore lint/suspicious/noControlCharactersInRegex: IA5 is exactly the 7-bit range.
      if (!/^[\x00-\x7f]*$/.test(value)) {
        throw new Error(`distinguished name "${text}": ${type} must be ASCII (IA5String), got "${value}"`);
      }
      return tlv(Tag.IA5_STRING, Buffer.from(value, 'ascii'));
  }
}
