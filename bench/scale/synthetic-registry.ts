/**
 * The certificates of the scale benchmark, each a pure function of its index, so the loader, the requests and
 * the checks agree without keeping a million rows in memory.
 *
 * One real device certificate, issued by the data directory's CA, is the template: row i's DER is that
 * certificate with the low six bytes of its serial number replaced by i. Every DER therefore differs, and
 * certificate_id = SHA-256(DER) is unique as fleetca requires; the signatures no longer verify, which does not
 * matter to the store.
 */

import { createHash } from 'node:crypto';
import { expectTag, readChildren, readWhole, Tag } from '../../src/ca/der.js';
import { toPem } from '../../src/ca/pem.js';
import type { CertificateRowValues } from '../../src/registry/certificate-row.js';

const DAY_MS = 86_400_000;
/** Creation dates spread over the year before the newest one. */
export const SPAN_MS = 365 * DAY_MS;
/** AWS's fixed notAfter for device certificates (see src/ca/leaf-certificate.ts). */
const NOT_AFTER_MS = Date.parse('2049-12-31T23:59:59Z');
/** Bytes of the serial number that carry the row index (2^48 rows is plenty). */
const INDEX_BYTES = 6;

/** Everything the rows derive from; saved with a loaded store so that a later run can measure it again. */
export interface FixtureSpec {
  readonly rows: number;
  readonly accountId: string;
  readonly region: string;
  /** The template certificate, DER in base64. */
  readonly templateDer: string;
  /** The newest creation date, epoch ms. */
  readonly endMs: number;
  /** Varies statuses and generation ids between loads. */
  readonly seed: number;
}

/** A row's sort key in ListCertificates: (creation_date, certificate_id). */
export interface SortKey {
  readonly index: number;
  readonly creationDate: number;
  readonly certificateId: string;
}

const STATUS_SHARES: readonly (readonly [string, number])[] = [
  ['ACTIVE', 0.8],
  ['INACTIVE', 0.12],
  ['REVOKED', 0.05],
  ['PENDING_TRANSFER', 0.01],
  ['REGISTER_INACTIVE', 0.01],
  ['PENDING_ACTIVATION', 0.01],
];

/** 32-bit integer hash (lowbias32): cheap, well mixed, deterministic per (index, field). */
function hash32(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

export class SyntheticRegistry {
  readonly spec: FixtureSpec;
  readonly #template: Buffer;
  /** Offset of the serial bytes that hold the index. */
  readonly #indexOffset: number;
  readonly #startMs: number;
  readonly #stepMs: number;
  /** Registered CA certificates (ids only) that a tenth of the rows name. */
  readonly #caIds: readonly string[];

  constructor(spec: FixtureSpec) {
    if (!Number.isSafeInteger(spec.rows) || spec.rows < 1) throw new RangeError(`rows: ${spec.rows}`);
    // Distinct tie groups must get distinct dates: at least one millisecond apart.
    if (spec.rows > SPAN_MS) throw new RangeError(`at most ${SPAN_MS} rows`);
    this.spec = spec;
    this.#template = Buffer.from(spec.templateDer, 'base64');
    this.#indexOffset = serialEnd(this.#template) - INDEX_BYTES;
    this.#startMs = spec.endMs - SPAN_MS;
    this.#stepMs = SPAN_MS / spec.rows;
    this.#caIds = [1, 2, 3].map((k) => sha256Hex(`bench-ca-${spec.seed}-${k}`));
  }

  get rows(): number {
    return this.spec.rows;
  }

  /** Row i's certificate, DER (a fresh buffer). */
  der(index: number): Buffer {
    const der = Buffer.from(this.#template);
    der.writeUIntBE(index, this.#indexOffset, INDEX_BYTES);
    return der;
  }

  certificateId(index: number): string {
    return sha256Hex(this.der(index));
  }

  /**
   * Creation dates increase with the index, with ties as a real fleet has them: the first 20 of every 1,000 rows
   * share one millisecond (a batch provisioned at once), and every tenth row shares its predecessor's.
   */
  creationDate(index: number): number {
    return this.#startMs + Math.floor(tieGroupStart(index) * this.#stepMs);
  }

  row(index: number): CertificateRowValues {
    const der = this.der(index);
    const creationDate = this.creationDate(index);
    const status = this.status(index);
    const sniOnly = this.#fraction(index, 2) < 0.05;
    const caId = !sniOnly && this.#fraction(index, 3) < 0.1 ? this.#caIds[this.#field(index, 4) % 3] : undefined;
    const changed = status !== 'ACTIVE';
    return {
      account_id: this.spec.accountId,
      region: this.spec.region,
      certificate_id: sha256Hex(der),
      status,
      certificate_pem: toPem('CERTIFICATE', der),
      ca_certificate_id: caId ?? null,
      owned_by: this.spec.accountId,
      previous_owned_by: null,
      creation_date: creationDate,
      last_modified_date: changed
        ? Math.min(this.spec.endMs, creationDate + (this.#field(index, 5) % (30 * DAY_MS)))
        : creationDate,
      customer_version: changed ? 2 : 1,
      generation_id: this.#uuid(index),
      not_before: Math.floor(creationDate / 1000) * 1000 - 120_000,
      not_after: NOT_AFTER_MS,
      certificate_mode: sniOnly ? 'SNI_ONLY' : 'DEFAULT',
      // Marked as rows the issuer index could not read (their PEMs are synthetic), so no server start re-reads them.
      issuer_key_id: sniOnly ? null : '',
      serial_number: sniOnly ? null : '',
      revocation_reason: null,
    };
  }

  status(index: number): string {
    let r = this.#fraction(index, 1);
    for (const [status, share] of STATUS_SHARES) {
      if (r < share) return status;
      r -= share;
    }
    return 'ACTIVE';
  }

  /**
   * The rows at positions [from, to) of the ascending (creation_date, certificate_id) order. Dates never decrease
   * with the index, so only the order inside each tie group has to be worked out.
   */
  sortedSlice(from: number, to: number): SortKey[] {
    if (!(0 <= from && from <= to && to <= this.rows)) throw new RangeError(`slice ${from}..${to} of ${this.rows}`);
    if (from === to) return [];
    const lo = tieGroupStart(from);
    let hi = to;
    while (hi < this.rows && tieGroupStart(hi) === tieGroupStart(to - 1)) hi++;
    const keys: SortKey[] = [];
    for (let index = lo; index < hi; index++) {
      keys.push({ index, creationDate: this.creationDate(index), certificateId: this.certificateId(index) });
    }
    keys.sort((a, b) =>
      a.creationDate !== b.creationDate
        ? a.creationDate - b.creationDate
        : a.certificateId < b.certificateId
          ? -1
          : a.certificateId > b.certificateId
            ? 1
            : 0,
    );
    return keys.slice(from - lo, to - lo);
  }

  #field(index: number, field: number): number {
    return hash32(hash32(index * 8 + field) ^ this.spec.seed);
  }

  #fraction(index: number, field: number): number {
    return this.#field(index, field) / 2 ** 32;
  }

  #uuid(index: number): string {
    const hex = [10, 11, 12, 13].map((f) => this.#field(index, f).toString(16).padStart(8, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}

/** First index of the tie group (rows sharing one creation date) that `index` belongs to. */
function tieGroupStart(index: number): number {
  if (index % 1000 < 20) return index - (index % 1000);
  if (index % 10 === 9) return index - 1;
  return index;
}

/** End offset of the serial number's content: Certificate → TBSCertificate → [0] version, serialNumber. */
function serialEnd(der: Buffer): number {
  const certificate = expectTag(readWhole(der), Tag.SEQUENCE, 'Certificate');
  const [tbs] = readChildren(der, certificate);
  if (!tbs) throw new Error('template certificate has no TBSCertificate');
  const [, serial] = readChildren(der, expectTag(tbs, Tag.SEQUENCE, 'TBSCertificate'));
  if (!serial) throw new Error('template certificate has no serial number');
  expectTag(serial, Tag.INTEGER, 'serialNumber');
  // fleetca's serials are 20 random bytes with a non-zero first byte: the index never reaches the sign bit.
  if (serial.contentEnd - serial.contentStart < INDEX_BYTES + 2) throw new Error('template serial number too short');
  return serial.contentEnd;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
