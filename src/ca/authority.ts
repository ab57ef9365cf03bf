import type { KeyObject } from 'node:crypto';

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
}

/** fleetca's issuing CA as the operations see it. */
export interface CertificateAuthority {
  issue(request: IssueRequest): Promise<IssuedCertificate>;
  /** The chain that verifies issued certificates: issuing CA then root, PEM. */
  chainPem(): string;
}
