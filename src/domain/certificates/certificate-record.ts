import { partitionOf, type Scope } from '../scope.js';
import type { CertificateMode, CertificateStatus } from './certificate-status.js';

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

/** A thing or policy attached to a certificate (AttachThingPrincipal / AttachPolicy). */
export interface Attachment {
  readonly kind: 'thing' | 'policy';
  readonly name: string;
}

export function certificateArn(scope: Scope, certificateId: string): string {
  return `arn:${partitionOf(scope.region)}:iot:${scope.region}:${scope.accountId}:cert/${certificateId}`;
}
