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
  /** Only on certificates fleetca issued: its issuing CA and serial number, which CRLs and OCSP go by. */
  readonly issuedBy?: IssuerAndSerial;
  /** The CRLReason recorded when it was revoked (fleetca's admin door), if any. */
  readonly revocationReason?: number;
}

/**
 * The standards' handles on a certificate fleetca issued: the issuing CA's key identifier and the serial number.
 * Both lowercase hex; the serial is the DER INTEGER's magnitude without a leading 00 (as `openssl x509 -serial`
 * prints it, lowercased).
 */
export interface IssuerAndSerial {
  readonly issuerKeyId: string;
  readonly serialNumber: string;
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
