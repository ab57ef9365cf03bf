import type { KeyObject } from 'node:crypto';
import type { IssuerAndSerial } from '../domain/certificates/certificate-record.js';
import type { Signer } from './signer.js';

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

/** A delegated OCSP responder's certificate (see ocsp-responder-certificate.ts). */
export interface OcspResponderCertificateRequest {
  /** The responder's own key (any RSA or EC key; an in-memory P-256 key signs fastest). */
  readonly publicKey: KeyObject;
  /** notBefore is this minus 120 s, truncated to the second; notAfter this plus `lifetimeMs`. */
  readonly now: Date;
  readonly lifetimeMs: number;
}

/** The issuing CA as CRLs and OCSP need it. */
export interface RevocationIssuer {
  /** Its subject Name, DER: a CRL's issuer, and what a CertID's issuerNameHash is a hash of. */
  readonly name: Buffer;
  /** Its SubjectKeyIdentifier: a CRL's AuthorityKeyIdentifier, and the issuer key id certificates are kept under. */
  readonly keyIdentifier: Buffer;
  /** Signs CRLs (and responder certificates) with the issuing CA's key. */
  readonly signer: Signer;
  /** The issuing CA's certificate, DER (for CertID hashes). */
  readonly certificateDer: Buffer;
}

/** What publishing revocations needs of the issuing CA. */
export interface RevocationSigner {
  issueOcspResponderCertificate(request: OcspResponderCertificateRequest): Promise<IssuedCertificate>;
  revocationIssuer(): RevocationIssuer;
}
