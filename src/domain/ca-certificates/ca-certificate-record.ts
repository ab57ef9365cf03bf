import type { CertificateMode } from '../certificates/certificate-status.js';
import { partitionOf, type Scope } from '../scope.js';
import type { AutoRegistrationStatus, CaCertificateStatus } from './ca-certificate-status.js';

/** How device certificates signed by a CA are provisioned when they register automatically. */
export interface RegistrationConfig {
  readonly templateBody?: string;
  readonly roleArn?: string;
  readonly templateName?: string;
}

/** A tag as the API spells it (capitalised member names, as in the service model). */
export interface ResourceTag {
  readonly Key: string;
  readonly Value?: string;
}

/**
 * What the registry keeps about one registered CA certificate: everything DescribeCACertificate
 * returns, plus what lookups need. Never a private key: fleetca only ever sees the CA's certificate.
 * Dates are epoch milliseconds.
 */
export interface CaCertificateRecord extends Scope {
  readonly certificateId: string;
  readonly status: CaCertificateStatus;
  readonly certificatePem: string;
  /**
   * Lowercase hex SHA-256 of the DER subject Name. A device certificate is matched to the CAs that may
   * have signed it by hashing its issuer Name the same way.
   */
  readonly subjectHash: string;
  readonly ownedBy: string;
  readonly creationDate: number;
  readonly lastModifiedDate: number;
  readonly customerVersion: number;
  readonly generationId: string;
  readonly autoRegistrationStatus: AutoRegistrationStatus;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly certificateMode: CertificateMode;
  /** Absent when none was given (or it was removed). */
  readonly registrationConfig?: RegistrationConfig;
  /** In key order. */
  readonly tags: readonly ResourceTag[];
}

/** `arn:aws:iot:{region}:{account}:cacert/{id}`, the form AWS gives registered CA certificates. */
export function caCertificateArn(scope: Scope, certificateId: string): string {
  return `arn:${partitionOf(scope.region)}:iot:${scope.region}:${scope.accountId}:cacert/${certificateId}`;
}
