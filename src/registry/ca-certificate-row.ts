import type {
  CaCertificateRecord,
  RegistrationConfig,
  ResourceTag,
} from '../domain/ca-certificates/ca-certificate-record.js';
import type { AutoRegistrationStatus, CaCertificateStatus } from '../domain/ca-certificates/ca-certificate-status.js';
import type { CertificateMode } from '../domain/certificates/certificate-status.js';
import type { SqlInteger } from './certificate-row.js';

/** The columns of `ca_certificates` (see migrations.ts), in table order. */
export const CA_CERTIFICATE_COLUMNS = [
  'account_id',
  'region',
  'certificate_id',
  'status',
  'certificate_pem',
  'subject_hash',
  'owned_by',
  'creation_date',
  'last_modified_date',
  'customer_version',
  'generation_id',
  'auto_registration_status',
  'not_before',
  'not_after',
  'certificate_mode',
  'template_body',
  'role_arn',
  'template_name',
] as const;

/** One row of `ca_certificates` as a driver returns it. */
export interface CaCertificateRow {
  readonly account_id: string;
  readonly region: string;
  readonly certificate_id: string;
  readonly status: string;
  readonly certificate_pem: string;
  readonly subject_hash: string;
  readonly owned_by: string;
  readonly creation_date: SqlInteger;
  readonly last_modified_date: SqlInteger;
  readonly customer_version: SqlInteger;
  readonly generation_id: string;
  readonly auto_registration_status: string;
  readonly not_before: SqlInteger;
  readonly not_after: SqlInteger;
  readonly certificate_mode: string;
  readonly template_body: string | null;
  readonly role_arn: string | null;
  readonly template_name: string | null;
}

/** One row of `ca_certificate_tags`. */
export interface CaCertificateTagRow {
  readonly name: string;
  readonly value: string | null;
}

export type CaCertificateRowValues = {
  readonly [K in (typeof CA_CERTIFICATE_COLUMNS)[number]]: string | number | null;
};

/** The registration configuration as its three nullable columns. */
export function registrationConfigColumns(config: RegistrationConfig | undefined) {
  return {
    template_body: config?.templateBody ?? null,
    role_arn: config?.roleArn ?? null,
    template_name: config?.templateName ?? null,
  };
}

/** Column values for a record (its tags go to their own table). */
export function caRowFromRecord(record: CaCertificateRecord): CaCertificateRowValues {
  return {
    account_id: record.accountId,
    region: record.region,
    certificate_id: record.certificateId,
    status: record.status,
    certificate_pem: record.certificatePem,
    subject_hash: record.subjectHash,
    owned_by: record.ownedBy,
    creation_date: record.creationDate,
    last_modified_date: record.lastModifiedDate,
    customer_version: record.customerVersion,
    generation_id: record.generationId,
    auto_registration_status: record.autoRegistrationStatus,
    not_before: record.notBefore,
    not_after: record.notAfter,
    certificate_mode: record.certificateMode,
    ...registrationConfigColumns(record.registrationConfig),
  };
}

/** A row and its tags back to a record; a configuration whose columns are all NULL is absent. */
export function caRecordFromRow(row: CaCertificateRow, tags: readonly CaCertificateTagRow[]): CaCertificateRecord {
  const config: RegistrationConfig = {
    ...(row.template_body !== null && { templateBody: row.template_body }),
    ...(row.role_arn !== null && { roleArn: row.role_arn }),
    ...(row.template_name !== null && { templateName: row.template_name }),
  };
  return {
    accountId: row.account_id,
    region: row.region,
    certificateId: row.certificate_id,
    status: row.status as CaCertificateStatus,
    certificatePem: row.certificate_pem,
    subjectHash: row.subject_hash,
    ownedBy: row.owned_by,
    creationDate: toNumber(row.creation_date, 'creation_date'),
    lastModifiedDate: toNumber(row.last_modified_date, 'last_modified_date'),
    customerVersion: toNumber(row.customer_version, 'customer_version'),
    generationId: row.generation_id,
    autoRegistrationStatus: row.auto_registration_status as AutoRegistrationStatus,
    notBefore: toNumber(row.not_before, 'not_before'),
    notAfter: toNumber(row.not_after, 'not_after'),
    certificateMode: row.certificate_mode as CertificateMode,
    ...(Object.keys(config).length > 0 && { registrationConfig: config }),
    tags: tags.map(
      (tag): ResourceTag => (tag.value === null ? { Key: tag.name } : { Key: tag.name, Value: tag.value }),
    ),
  };
}

function toNumber(value: SqlInteger, column: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`ca_certificates.${column} holds ${String(value)}, not a safe integer`);
  }
  return n;
}
