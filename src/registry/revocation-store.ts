import type { IssuerAndSerial } from '../domain/certificates/certificate-record.js';
import type { CertificateStatus } from '../domain/certificates/certificate-status.js';
import type { IssuedCertificateState } from '../domain/certificates/revocation.js';
import type { Scope } from '../domain/scope.js';

/** One CRL entry's raw material: a listed certificate's serial and state (mapped by the domain's revocation.ts). */
export interface RevocationEntry extends IssuedCertificateState {
  readonly serialNumber: string;
}

/** A certificate issued before the registry kept issuer and serial (migration 9): backfilled from its PEM. */
export interface UnindexedIssuedCertificate extends Scope {
  readonly certificateId: string;
  readonly certificatePem: string;
}

/**
 * What the CRL and OCSP need from the registry. Rows of certificates fleetca issued carry issuer and serial
 * (`CertificateRecord.issuedBy`); deleting such a row leaves a tombstone (serial, status at deletion, time), in the
 * same transaction, so a deleted certificate never drops off a CRL.
 */
export interface RevocationStore {
  /** The certificate issued under issuer with this serial (or its tombstone); undefined when none was. */
  findIssued(issuer: IssuerAndSerial): Promise<IssuedCertificateState | undefined>;
  /**
   * A CRL's number and contents at once: the next CRL number of `issuerKeyId` (greater than every one handed out
   * before, by any process on this registry), and every certificate issued under it whose status is one of
   * `statuses` and whose notAfter is after `notAfterAfter`, with every tombstone of that issuer with notAfter after
   * it, in serial order. The listing is read after the number was taken and before any later number can be (one
   * transaction holding the number's row), so a CRL with a higher number never shows an older registry, whichever
   * process made it.
   */
  numberedRevocations(
    issuerKeyId: string,
    statuses: readonly CertificateStatus[],
    notAfterAfter: number,
  ): Promise<{ readonly crlNumber: bigint; readonly entries: readonly RevocationEntry[] }>;
  /** Up to `limit` rows fleetca issued (DEFAULT mode, no CA id) that have no issuer and serial yet. */
  unindexedIssuedCertificates(limit: number): Promise<readonly UnindexedIssuedCertificate[]>;
  /** Sets issuer and serial on those rows (idempotent). */
  indexIssuedCertificates(
    rows: readonly (IssuerAndSerial & Scope & { readonly certificateId: string })[],
  ): Promise<void>;
}
