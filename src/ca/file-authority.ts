/** The CertificateAuthority the operations use: fleetca's issuing CA, with its key behind a Signer. */

import type {
  CertificateAuthority,
  IssuedCertificate,
  IssueRequest,
  ServerCertificateIssuer,
  ServerCertificateRequest,
} from './authority.js';
import { CaError } from './ca-error.js';
import { readCertificateParts, subjectKeyIdentifierOf } from './certificate-reader.js';
import { buildLeafCertificate, type LeafIssuer } from './leaf-certificate.js';
import { toPem } from './pem.js';
import { buildServerCertificate } from './server-certificate.js';
import type { Signer } from './signer.js';

/** What a FileCertificateAuthority is made of; bootstrap.ts loads and checks it from the CA directory. */
export interface FileAuthorityMaterial {
  /** The directory the material was loaded from (for messages and tooling). */
  readonly directory: string;
  /** Root CA certificate, DER. */
  readonly rootCertificate: Buffer;
  /** Issuing CA certificate, DER; its subject and SKI become the leaves' issuer and AKI. */
  readonly issuingCertificate: Buffer;
  /** Signs with the issuing CA's private key. */
  readonly issuingSigner: Signer;
}

/** Issues device certificates with the issuing CA of a CA directory (see openFileAuthority). */
export class FileCertificateAuthority implements CertificateAuthority, ServerCertificateIssuer {
  readonly directory: string;
  /** Root CA certificate, PEM. */
  readonly rootPem: string;
  /** Issuing CA certificate, PEM. */
  readonly issuingPem: string;
  readonly #issuer: LeafIssuer;
  readonly #chain: string;

  constructor(material: FileAuthorityMaterial) {
    const parts = readCertificateParts(material.issuingCertificate);
    const keyId = subjectKeyIdentifierOf(parts);
    if (!keyId) throw new CaError('the issuing CA certificate has no SubjectKeyIdentifier');
    this.directory = material.directory;
    this.rootPem = toPem('CERTIFICATE', material.rootCertificate);
    this.issuingPem = toPem('CERTIFICATE', material.issuingCertificate);
    // Copies, so the authority never depends on a buffer the caller might reuse.
    this.#issuer = {
      name: Buffer.from(parts.subject),
      keyIdentifier: Buffer.from(keyId),
      signer: material.issuingSigner,
    };
    this.#chain = this.issuingPem + this.rootPem;
  }

  issue(request: IssueRequest): Promise<IssuedCertificate> {
    return buildLeafCertificate(this.#issuer, request);
  }

  /** A TLS server certificate for `fleetca serve --tls`, from the same issuing CA. */
  issueServerCertificate(request: ServerCertificateRequest): Promise<IssuedCertificate> {
    return buildServerCertificate(this.#issuer, request);
  }

  chainPem(): string {
    return this.#chain;
  }
}
