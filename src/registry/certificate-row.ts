import type { CertificateRecord, CertificateSummary } from '../domain/certificates/certificate-record.js';
import type { CertificateMode, CertificateStatus } from '../domain/certificates/certificate-status.js';

/** The columns of `certificates` (see migrations.ts), in table order. */
export const CERTIFICATE_COLUMNS = [
  'account_id',
  'region',
  'certificate_id',
  'status',
  'certificate_pem',
  'ca_certificate_id',
  'owned_by',
  'previous_owned_by',
  'creation_date',
  'last_modified_date',
  'customer_version',
  'generation_id',
  'not_before',
  'not_after',
  'certificate_mode',
  // Migration 9: CRLs and OCSP.
  'issuer_key_id',
  'serial_number',
  'revocation_reason',
] as const;

/** Certificates by status over every account and region; both engines answer it from certificates_by_status. */
export const COUNT_BY_STATUS = 'SELECT status, COUNT(*) AS count FROM certificates GROUP BY status';

/** The columns a listing page reads (see CertificateSummary). */
export const CERTIFICATE_SUMMARY_COLUMNS = [
  'account_id',
  'region',
  'certificate_id',
  'status',
  'certificate_mode',
  'creation_date',
] as const;

/** A SQL integer as drivers hand it back: a number (SQLite), or a string or bigint (PostgreSQL BIGINT). */
export type SqlInteger = number | bigint | string;

/** One row of `certificates` as a driver returns it. Absent optional values are SQL NULL. */
export interface CertificateRow {
  readonly account_id: string;
  readonly region: string;
  readonly certificate_id: string;
  readonly status: string;
  readonly certificate_pem: string;
  readonly ca_certificate_id: string | null;
  readonly owned_by: string;
  readonly previous_owned_by: string | null;
  readonly creation_date: SqlInteger;
  readonly last_modified_date: SqlInteger;
  readonly customer_version: SqlInteger;
  readonly generation_id: string;
  readonly not_before: SqlInteger;
  readonly not_after: SqlInteger;
  readonly certificate_mode: string;
  readonly issuer_key_id: string | null;
  readonly serial_number: string | null;
  readonly revocation_reason: SqlInteger | null;
}

/** One row of a listing page. */
export type CertificateSummaryRow = Pick<CertificateRow, (typeof CERTIFICATE_SUMMARY_COLUMNS)[number]>;

export function summaryFromRow(row: CertificateSummaryRow): CertificateSummary {
  return {
    accountId: row.account_id,
    region: row.region,
    certificateId: row.certificate_id,
    status: row.status as CertificateStatus,
    certificateMode: row.certificate_mode as CertificateMode,
    creationDate: toNumber(row.creation_date, 'creation_date'),
  };
}

/** The values to write for a record, keyed by column; optional members become NULL. */
export type CertificateRowValues = { readonly [K in (typeof CERTIFICATE_COLUMNS)[number]]: string | number | null };

/** Maps a record to column values (named parameters in SQLite, an ordered array via CERTIFICATE_COLUMNS elsewhere). */
export function rowFromRecord(record: CertificateRecord): CertificateRowValues {
  return {
    account_id: record.accountId,
    region: record.region,
    certificate_id: record.certificateId,
    status: record.status,
    certificate_pem: record.certificatePem,
    ca_certificate_id: record.caCertificateId ?? null,
    owned_by: record.ownedBy,
    previous_owned_by: record.previousOwnedBy ?? null,
    creation_date: record.creationDate,
    last_modified_date: record.lastModifiedDate,
    customer_version: record.customerVersion,
    generation_id: record.generationId,
    not_before: record.notBefore,
    not_after: record.notAfter,
    certificate_mode: record.certificateMode,
    issuer_key_id: record.issuedBy?.issuerKeyId ?? null,
    serial_number: record.issuedBy?.serialNumber ?? null,
    revocation_reason: record.revocationReason ?? null,
  };
}

/** Maps a row back to a record; NULL optional columns leave the member out rather than set it to undefined. */
export function recordFromRow(row: CertificateRow): CertificateRecord {
  return {
    ...summaryFromRow(row),
    certificatePem: row.certificate_pem,
    ...(row.ca_certificate_id === null ? {} : { caCertificateId: row.ca_certificate_id }),
    ownedBy: row.owned_by,
    ...(row.previous_owned_by === null ? {} : { previousOwnedBy: row.previous_owned_by }),
    lastModifiedDate: toNumber(row.last_modified_date, 'last_modified_date'),
    customerVersion: toNumber(row.customer_version, 'customer_version'),
    generationId: row.generation_id,
    notBefore: toNumber(row.not_before, 'not_before'),
    notAfter: toNumber(row.not_after, 'not_after'),
    // '' marks a row the issuer index could not read (revocation/issuer-index.ts): no issuer known.
    ...(!row.issuer_key_id || !row.serial_number
      ? {}
      : { issuedBy: { issuerKeyId: row.issuer_key_id, serialNumber: row.serial_number } }),
    ...(row.revocation_reason === null
      ? {}
      : { revocationReason: toNumber(row.revocation_reason, 'revocation_reason') }),
  };
}

/** A SQL integer column's value as a number; a value beyond 2^53 is a damaged row. */
export function toNumber(value: SqlInteger, column: string): number {
  const n = Number(value);
  // Epoch milliseconds and versions stay far below 2^53; anything else is a damaged row.
  if (!Number.isSafeInteger(n))
    throw new RangeError(`certificates.${column} holds ${String(value)}, not a safe integer`);
  return n;
}
