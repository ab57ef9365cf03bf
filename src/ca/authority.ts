import type { KeyObject } from 'node:crypto';
import type { IssuerAndSerial } from '../domain/certificates/certificate-record.js';

export interface IssueRequest {
  /** DER encoding of the subject Name, copied verbatim into the certificate. */
  readonly subject: Buffer;
  /** The public key to certify (RSA or EC). */
  readonly publicKey: KeyObject;
  /** Issuance time: notBefore is this minus 120 s, truncated to the second. */
  readonly now: Date;
}

export interface IssuedCertificate {
  readonly der: Buffer;
  /** PEM with 64-character lines, LF endings and a trailing newline. */
  readonly pem: string;
  /** Lowercase hex SHA-256 of the DER. */
  readonly certificateId: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** The issuing CA's key identifier and the serial number, as CRLs and OCSP name the certificate. */
  readonly issuedBy: IssuerAndSerial;
}

/** A provisioning claim certificate (see claim-certificate.ts); its subject and validity come from the profile. */
export interface ClaimIssueRequest {
  readonly publicKey: KeyObject;
  /** Issuance time: notBefore is this minus 120 s, notAfter (the claim's expiration) plus 300 s. */
  readonly now: Date;
}

/** A TLS server certificate for one of fleetca's own endpoints (see server-certificate.ts). */
export interface ServerCertificateRequest {
  /** DNS names and IP addresses the server answers on; the first one is also the subject's CN. */
  readonly names: readonly string[];
  readonly publicKey: KeyObject;
  readonly now: Date;
}

/** Issues TLS server certificates under the same chain as the device certificates. */
export interface ServerCertificateIssuer {
  issueServerCertificate(request: ServerCertificateRequest): Promise<IssuedCertificate>;
}

/** fleetca's issuing CA as the operations see it. */
export interface CertificateAuthority {
  issue(request: IssueRequest): Promise<IssuedCertificate>;
  /** A short-lived provisioning claim certificate, under the same chain. */
  issueClaim(request: ClaimIssueRequest): Promise<IssuedCertificate>;
  /** The chain that verifies issued certificates: issuing CA then root, PEM. */
  chainPem(): string;
  /**
   * A 32-byte secret for `purpose`, the same in every process that holds this CA (replicas), known to no one
   * else: derived from the CA's signature over a label, so it works with a key that never leaves an HSM.
   */
  deriveSecret(purpose: string): Promise<Buffer>;
}
