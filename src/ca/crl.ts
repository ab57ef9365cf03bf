/**
 * X.509 v2 CRLs (RFC 5280 §5) of fleetca's issuing CA: every certificate it issued that is not good right now,
 * with the reason the domain's mapping gives (`domain/certificates/revocation.ts`), signed like its certificates.
 *
 * A CRL may list every certificate of a large fleet, so its entries are written straight into one growing buffer
 * (each entry is at most MAX_ENTRY octets, so its header is always two octets) rather than as a tree of small
 * buffers concatenated level by level.
 */

import { CRL_REASONS } from '../domain/certificates/revocation.js';
import { authorityKeyIdentifierExtension, extension, signatureAlgorithm } from './certificate-builder.js';
import { Tag } from './der.js';
import { bitString, enumerated, explicit, sequence, smallInteger, time, tlv, unsignedInteger } from './der-writer.js';
import { Oid } from './oids.js';
import { toPem } from './pem.js';
import type { Signer } from './signer.js';

/** The issuing CA as a CRL needs it. */
export interface CrlIssuer {
  /** Its subject Name, DER, copied verbatim into the CRL's issuer (OpenSSL matches CRL and certificate by it). */
  readonly name: Buffer;
  /** Its SubjectKeyIdentifier, which becomes the CRL's AuthorityKeyIdentifier. */
  readonly keyIdentifier: Buffer;
  readonly signer: Signer;
}

/** One revoked certificate. */
export interface CrlEntry {
  /** The serial number's magnitude in lowercase hex, as `IssuerAndSerial` names it. */
  readonly serialNumber: string;
  readonly revokedAt: Date;
  /** An RFC 5280 CRLReason code; without one the entry carries no reason (preferred to `unspecified`). */
  readonly reason?: number;
}

export interface CrlInput {
  readonly issuer: CrlIssuer;
  /** Monotonically increasing across the CRLs of this issuer (RFC 5280 §5.2.3), at most 20 octets. */
  readonly crlNumber: bigint;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly entries: Iterable<CrlEntry>;
}

/** Serial numbers longer than this (in octets of magnitude) are not any fleetca issues (RFC 5280 §4.1.2.2). */
const MAX_SERIAL_OCTETS = 20;

/** The reasons a complete CRL's entry may carry: every CRLReason but removeFromCRL, which only delta CRLs use. */
const REASON_EXTENSIONS = new Map<number, Buffer>(
  Object.values(CRL_REASONS)
    .filter((code) => code !== CRL_REASONS.removeFromCRL)
    .map((code) => [code, sequence(extension(Oid.crlReason, false, enumerated(code)))]),
);

/**
 * The longest entry: SEQUENCE header 2 + INTEGER 2 + 21 (a 20-octet magnitude with its sign octet) +
 * GeneralizedTime 17 + the reason's crlEntryExtensions 14.
 */
const MAX_ENTRY = 56;

const VERSION_2 = smallInteger(1);

/**
 * IssuingDistributionPoint, critical, with only onlyContainsUserCerts [1] TRUE. No distributionPoint name:
 * OpenSSL refuses a CRL whose IDP names a point for a certificate that carries no CRLDistributionPoints, and
 * fleetca's certificates carry none unless revocation URLs are configured.
 */
const ISSUING_DISTRIBUTION_POINT = extension(
  Oid.issuingDistributionPoint,
  true,
  sequence(tlv(0x81, Buffer.from([0xff]))),
);

/** Builds and signs the CRL. Throws RangeError for an entry or field it cannot encode. */
export async function buildCrl(input: CrlInput): Promise<Buffer> {
  const { issuer } = input;
  const thisUpdate = wholeSeconds(input.thisUpdate, 'thisUpdate');
  const nextUpdate = wholeSeconds(input.nextUpdate, 'nextUpdate');
  if (nextUpdate <= thisUpdate) throw new RangeError("a CRL's nextUpdate must be later than its thisUpdate");
  const algorithm = signatureAlgorithm(issuer.signer);
  const fields = [VERSION_2, algorithm, issuer.name, time(input.thisUpdate), time(input.nextUpdate)];
  const revoked = revokedCertificates(input.entries);
  // An empty revokedCertificates is left out entirely (RFC 5280 §5.1.2.6).
  if (revoked !== undefined) fields.push(revoked);
  fields.push(
    explicit(
      0,
      sequence(
        authorityKeyIdentifierExtension(issuer.keyIdentifier),
        extension(Oid.crlNumber, false, crlNumberInteger(input.crlNumber)),
        ISSUING_DISTRIBUTION_POINT,
      ),
    ),
  );
  const tbs = sequence(...fields);
  const signature = await issuer.signer.sign(tbs);
  return sequence(tbs, algorithm, bitString(signature));
}

/** The CRL as PEM (`X509 CRL`, what Mosquitto's `crlfile` and nginx's `ssl_crl` read). */
export function crlToPem(der: Buffer): string {
  return toPem('X509 CRL', der);
}

function wholeSeconds(date: Date, what: string): number {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`${what} is not a valid date`);
  return Math.floor(ms / 1000);
}

function crlNumberInteger(crlNumber: bigint): Buffer {
  if (crlNumber < 0n) throw new RangeError('a CRL number cannot be negative');
  const hex = crlNumber.toString(16);
  const integer = unsignedInteger(Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex'));
  // RFC 5280 §5.2.3: at most 20 octets of content.
  if (integer.length - 2 > 20) throw new RangeError('a CRL number is at most 20 octets');
  return integer;
}

/** The revokedCertificates SEQUENCE, or undefined when there is no entry. */
function revokedCertificates(entries: Iterable<CrlEntry>): Buffer | undefined {
  let out = Buffer.allocUnsafe(Array.isArray(entries) ? Math.max(entries.length, 1) * MAX_ENTRY : 64 * 1024);
  let pos = 0;
  for (const entry of entries) {
    if (pos + MAX_ENTRY > out.length) {
      const bigger = Buffer.allocUnsafe(out.length * 2);
      out.copy(bigger, 0, 0, pos);
      out = bigger;
    }
    pos = writeEntry(out, pos, entry);
  }
  return pos === 0 ? undefined : tlv(Tag.SEQUENCE, out.subarray(0, pos));
}

/** Writes one entry at `pos` (room for MAX_ENTRY octets is there) and returns the position after it. */
function writeEntry(out: Buffer, pos: number, entry: CrlEntry): number {
  const serial = entry.serialNumber;
  if (typeof serial !== 'string') throw new RangeError('a serial number must be lowercase hex');
  // Leading zero digits are not part of the magnitude (DER INTEGERs are minimal).
  let first = 0;
  while (first < serial.length && serial.charCodeAt(first) === 0x30) first++;
  const digits = serial.length - first;
  if (serial.length === 0) throw new RangeError('a serial number must be lowercase hex');
  const magnitudeOctets = Math.ceil(digits / 2);
  if (magnitudeOctets > MAX_SERIAL_OCTETS) throw new RangeError(`serial number ${serial} is longer than 20 octets`);
  // A magnitude whose top bit is set takes a 00 in front, or the INTEGER would read as negative.
  const signOctet = digits % 2 === 0 && digits > 0 && hexValue(serial, first) >= 8 ? 1 : 0;
  const integerLength = Math.max(magnitudeOctets, 1) + signOctet;
  const revokedAt = entry.revokedAt;
  const year = revokedAt instanceof Date ? revokedAt.getUTCFullYear() : Number.NaN;
  if (!(year >= 1950 && year <= 9999)) throw new RangeError(`serial number ${serial}: revokedAt cannot be encoded`);
  const timeLength = year < 2050 ? 15 : 17;
  let reasonExtensions: Buffer | undefined;
  if (entry.reason !== undefined) {
    reasonExtensions = REASON_EXTENSIONS.get(entry.reason);
    if (reasonExtensions === undefined) {
      throw new RangeError(`serial number ${serial}: ${entry.reason} is not a CRLReason a complete CRL may carry`);
    }
  }
  out[pos++] = Tag.SEQUENCE;
  out[pos++] = 2 + integerLength + timeLength + (reasonExtensions?.length ?? 0);
  out[pos++] = Tag.INTEGER;
  out[pos++] = integerLength;
  if (signOctet === 1 || digits === 0) out[pos++] = 0;
  pos = writeMagnitude(out, pos, serial, first);
  pos = writeTime(out, pos, revokedAt, year);
  if (reasonExtensions !== undefined) {
    for (let i = 0; i < reasonExtensions.length; i++) out[pos++] = reasonExtensions[i] as number;
  }
  return pos;
}

/** Hex digit values by character code; -1 for everything that is not a lowercase hex digit. */
const HEX_VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX_VALUES[0x30 + i] = i;
for (let i = 0; i < 6; i++) HEX_VALUES[0x61 + i] = 10 + i;

function hexValue(hex: string, index: number): number {
  const c = hex.charCodeAt(index);
  return c < 128 ? (HEX_VALUES[c] as number) : -1;
}

/**
 * The hex digits of `hex` from `first` on as big-endian octets (an odd count starts with a half octet); throws on
 * anything but lowercase hex.
 */
function writeMagnitude(out: Buffer, pos: number, hex: string, first: number): number {
  let i = first;
  let invalid = 0;
  if ((hex.length - i) % 2 === 1) {
    const digit = hexValue(hex, i++);
    invalid |= digit;
    out[pos++] = digit;
  }
  for (; i < hex.length; i += 2) {
    const high = hexValue(hex, i);
    const low = hexValue(hex, i + 1);
    invalid |= high | low;
    out[pos++] = (high << 4) | low;
  }
  if (invalid < 0) throw new RangeError(`serial number ${JSON.stringify(hex)} is not lowercase hex`);
  return pos;
}

/** The same encoding as der-writer's time() (UTCTime through 2049), written in place. */
function writeTime(out: Buffer, pos: number, date: Date, year: number): number {
  if (year < 2050) {
    out[pos++] = Tag.UTC_TIME;
    out[pos++] = 13;
    pos = twoDigits(out, pos, year % 100);
  } else {
    out[pos++] = Tag.GENERALIZED_TIME;
    out[pos++] = 15;
    pos = twoDigits(out, pos, Math.floor(year / 100));
    pos = twoDigits(out, pos, year % 100);
  }
  pos = twoDigits(out, pos, date.getUTCMonth() + 1);
  pos = twoDigits(out, pos, date.getUTCDate());
  pos = twoDigits(out, pos, date.getUTCHours());
  pos = twoDigits(out, pos, date.getUTCMinutes());
  pos = twoDigits(out, pos, date.getUTCSeconds());
  out[pos++] = 0x5a; // Z
  return pos;
}

function twoDigits(out: Buffer, pos: number, value: number): number {
  out[pos] = 0x30 + Math.floor(value / 10);
  out[pos + 1] = 0x30 + (value % 10);
  return pos + 2;
}
