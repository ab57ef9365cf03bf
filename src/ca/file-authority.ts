/** The CertificateAuthority the operations use: fleetca's issuing CA, with its key behind a Signer. */

import { hkdfSync } from 'node:crypto';
import type {
  CertificateAuthority,
  ClaimIssueRequest,
  IssuedCertificate,
  IssueRequest,
  OcspResponderCertificateRequest,
  RevocationIssuer,
  RevocationSigner,
  ServerCertificateIssuer,
  ServerCertificateRequest,
} from './authority.js';
import { CaError } from './ca-error.js';
import { readCertificateParts, subjectKeyIdentifierOf } from './certificate-reader.js';
import type { LeafIssuer } from './leaf-certificate.js';
import type { LockedSigner } from './locked-signer.js';
import { toPem } from './pem.js';
import { checkRevocationUrls, type RevocationUrls } from './revocation-urls.js';
import type { Signer } from './signer.js';

// The code that builds certificates (profiles, extensions, the DER writer's signing half) is imported on the first
// signature: a command that only reads the registry loads none of it (start-up cost is per module on Node 20).
const leafProfile = () => import('./leaf-certificate.js');
const claimProfile = () => import('./claim-certificate.js');
const serverProfile = () => import('./server-certificate.js');
const ocspResponderProfile = () => import('./ocsp-responder-certificate.js');

/** What a FileCertificateAuthority is made of; bootstrap.ts loads and checks it from the CA directory. */
export interface FileAuthorityMaterial {
  /** The directory the material was loaded from (for messages and tooling). */
  readonly directory: string;
  /** Root CA certificate, DER. */
  readonly rootCertificate: Buffer;
  /** Issuing CA certificate, DER; its subject and SKI become the leaves' issuer and AKI. */
  readonly issuingCertificate: Buffer;
  /** Signs with the issuing CA's private key; a LockedSigner when the key file is encrypted. */
  readonly issuingSigner: Signer | LockedSigner;
  /** The issuing key is encrypted on disk (decrypted on first use, or by unlock()). */
  readonly keysEncrypted?: boolean;
  /** Where CRL and OCSP are published; when given, device and claim certificates name them (CDP and AIA). */
  readonly revocationUrls?: RevocationUrls;
}

/** Issues device certificates with the issuing CA of a CA directory (see openFileAuthority). */
export class FileCertificateAuthority implements CertificateAuthority, ServerCertificateIssuer, RevocationSigner {
  readonly directory: string;
  /** Root CA certificate, PEM. */
  readonly rootPem: string;
  /** Issuing CA certificate, PEM. */
  readonly issuingPem: string;
  /** Whether the issuing key is encrypted with the operator's passphrase. */
  readonly keysEncrypted: boolean;
  readonly #issuer: LeafIssuer;
  readonly #chain: string;
  readonly #issuingCertificate: Buffer;

  constructor(material: FileAuthorityMaterial) {
    const parts = readCertificateParts(material.issuingCertificate);
    const keyId = subjectKeyIdentifierOf(parts);
    if (!keyId) throw new CaError('the issuing CA certificate has no SubjectKeyIdentifier');
    this.directory = material.directory;
    this.keysEncrypted = material.keysEncrypted === true;
    this.rootPem = toPem('CERTIFICATE', material.rootCertificate);
    this.issuingPem = toPem('CERTIFICATE', material.issuingCertificate);
    const urls = material.revocationUrls;
    if (urls !== undefined) checkRevocationUrls(urls);
    // Copies, so the authority never depends on a buffer the caller might reuse.
    this.#issuer = {
      name: Buffer.from(parts.subject),
      keyIdentifier: Buffer.from(keyId),
      signer: material.issuingSigner,
      ...(urls === undefined ? {} : { revocationUrls: { crlUrl: urls.crlUrl, ocspUrl: urls.ocspUrl } }),
    };
    this.#issuingCertificate = Buffer.from(material.issuingCertificate);
    this.#chain = this.issuingPem + this.rootPem;
  }

  /** Makes the signing key ready now (asking for its passphrase if it is encrypted), not at the first signature. */
  async unlock(): Promise<void> {
    const signer = this.#issuer.signer as Partial<LockedSigner>;
    await signer.unlock?.();
  }

  /** Imports the code that builds certificates now rather than at the first signature (a server, before it listens). */
  async loadSigningCode(): Promise<void> {
    await Promise.all([leafProfile(), claimProfile(), serverProfile(), ocspResponderProfile()]);
  }

  async issue(request: IssueRequest): Promise<IssuedCertificate> {
    return (await leafProfile()).buildLeafCertificate(this.#issuer, request);
  }

  async issueClaim(request: ClaimIssueRequest): Promise<IssuedCertificate> {
    return (await claimProfile()).buildClaimCertificate(this.#issuer, request);
  }

  /** A TLS server certificate for `fleetca serve --tls`, from the same issuing CA. */
  async issueServerCertificate(request: ServerCertificateRequest): Promise<IssuedCertificate> {
    return (await serverProfile()).buildServerCertificate(this.#issuer, request);
  }

  /** The delegated OCSP responder's certificate for `request.publicKey`, signed by the issuing CA. */
  async issueOcspResponderCertificate(request: OcspResponderCertificateRequest): Promise<IssuedCertificate> {
    return (await ocspResponderProfile()).buildOcspResponderCertificate(this.#issuer, request);
  }

  revocationIssuer(): RevocationIssuer {
    const { name, keyIdentifier, signer } = this.#issuer;
    return {
      name: Buffer.from(name),
      keyIdentifier: Buffer.from(keyIdentifier),
      signer,
      certificateDer: Buffer.from(this.#issuingCertificate),
    };
  }

  chainPem(): string {
    return this.#chain;
  }

  async deriveSecret(purpose: string): Promise<Buffer> {
    // PKCS#1 v1.5 signatures are deterministic, and this CA signs only DER certificates (never this label), so
    // the signature is a stable secret; HKDF turns it into a key bound to its purpose.
    const label = Buffer.from(`fleetca secret derivation: ${purpose}`);
    const signature = await this.#issuer.signer.sign(label);
    return Buffer.from(hkdfSync('sha256', signature, Buffer.alloc(0), label, 32));
  }
}
