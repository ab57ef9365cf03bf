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
  /** The chain that verifies issued certificates: issuing CA then root, PEM. */
  chainPem(): string;
}
