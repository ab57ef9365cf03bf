import type { CertificateMode, CertificateStatus } from '../domain/certificates/certificate-status.js';

/** Certificates live per account and region, as in AWS. */
export interface Scope {
  readonly accountId: string;
  readonly region: string;
}

/**
 * What the registry keeps about one certificate: everything DescribeCertificate returns,
 * and never a private key. Dates are epoch milliseconds.
 */
export interface CertificateRecord extends Scope {
  readonly certificateId: string;
  readonly status: CertificateStatus;
  readonly certificatePem: string;
  readonly caCertificateId?: string;
  readonly ownedBy: string;
  readonly previousOwnedBy?: string;
  readonly creationDate: number;
  readonly lastModifiedDate: number;
  readonly customerVersion: number;
  readonly generationId: string;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly certificateMode: CertificateMode;
}

/**
 * What a listing (ListCertificates, ListCertificatesByCA) shows of a certificate. Stores read only these
 * columns for a page: the PEM, most of a row, stays on disk.
 */
export type CertificateSummary = Pick<
  CertificateRecord,
  'accountId' | 'region' | 'certificateId' | 'status' | 'certificateMode' | 'creationDate'
>;

export function summaryOf(record: CertificateSummary): CertificateSummary {
  const { accountId, region, certificateId, status, certificateMode, creationDate } = record;
  return { accountId, region, certificateId, status, certificateMode, creationDate };
}

/** A change of status decided by the domain rules, applied atomically by a store. */
export interface StatusChange {
  readonly status: CertificateStatus;
  readonly lastModifiedDate: number;
  readonly generationId: string;
}

/** A thing or policy attached to a certificate (AttachThingPrincipal / AttachPolicy). */
export interface Attachment {
  readonly kind: 'thing' | 'policy';
  readonly name: string;
}

/** What is attached to a certificate and so gates its deletion. */
export interface Attachments {
  readonly things: number;
  readonly policies: number;
}

/** Position after which a page of ListCertificates starts (keyset pagination). */
export interface ListCursor {
  readonly creationDate: number;
  readonly certificateId: string;
}

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function certificateArn(scope: Scope, certificateId: string): string {
  return `arn:${partitionOf(scope.region)}:iot:${scope.region}:${scope.accountId}:cert/${certificateId}`;
}
