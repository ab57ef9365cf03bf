/**
 * Device (leaf) certificates shaped exactly like the ones AWS IoT issues (reference §3.2), so that anything
 * parsing or pinning AWS certificates sees the same structure: v3, 160-bit random serial,
 * sha256WithRSAEncryption, notBefore = now − 120 s, notAfter 2049-12-31T23:59:59Z (UTCTime), and the
 * extensions AKI, SKI, BasicConstraints CA:FALSE (critical), KeyUsage digitalSignature (critical) in that order —
 * then, only when the issuer has revocation URLs, CRLDistributionPoints and AuthorityInfoAccess (fleetca's own).
 */

import type { IssuedCertificate, IssueRequest } from './authority.js';
import {
  authorityKeyIdentifierExtension,
  basicConstraintsExtension,
  issuedCertificate,
  KeyUsage,
  keyIdentifier,
  keyUsageExtension,
  randomSerial,
  revocationUrlExtensions,
  signCertificate,
  subjectKeyIdentifierExtension,
  subjectPublicKeyInfo,
} from './certificate-builder.js';
import { expectTag, readWhole, Tag } from './der.js';
import type { RevocationUrls } from './revocation-urls.js';
import type { Signer } from './signer.js';

/** AWS's fixed notAfter for every device certificate. */
export const LEAF_NOT_AFTER = new Date('2049-12-31T23:59:59Z');

/** How far notBefore is backdated, to tolerate devices whose clocks run slightly behind. */
export const NOT_BEFORE_BACKDATE_MS = 120_000;

/** The issuing CA as the leaf builder needs it. */
export interface LeafIssuer {
  /** The issuing CA certificate's subject Name, DER, copied byte for byte into the leaf's issuer. */
  readonly name: Buffer;
  /** The issuing CA's SubjectKeyIdentifier, which becomes the leaf's AuthorityKeyIdentifier. */
  readonly keyIdentifier: Buffer;
  readonly signer: Signer;
  /** Where the CRL and the OCSP responder are; without them leaves carry no CRLDistributionPoints nor AIA. */
  readonly revocationUrls?: RevocationUrls;
}

/** notBefore for an issuance at `now`: truncated to the second, then backdated by 120 s. */
export function leafNotBefore(now: Date): Date {
  const ms = now.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('issuance time is not a valid date');
  return new Date(Math.floor(ms / 1000) * 1000 - NOT_BEFORE_BACKDATE_MS);
}

/** The extensions every leaf shares, encoded once. */
const BASIC_CONSTRAINTS = basicConstraintsExtension(false);
const KEY_USAGE = keyUsageExtension([KeyUsage.digitalSignature]);

/** Each issuer's AuthorityKeyIdentifier extension, encoded on its first leaf. */
const authorityKeyIdentifiers = new WeakMap<LeafIssuer, { readonly keyId: Buffer; readonly extension: Buffer }>();

function authorityKeyIdentifierOf(issuer: LeafIssuer): Buffer {
  const cached = authorityKeyIdentifiers.get(issuer);
  // The issuer's buffer is compared too, so an issuer object whose key identifier was replaced is re-encoded.
  if (cached?.keyId.equals(issuer.keyIdentifier)) return cached.extension;
  const extension = authorityKeyIdentifierExtension(issuer.keyIdentifier);
  authorityKeyIdentifiers.set(issuer, { keyId: Buffer.from(issuer.keyIdentifier), extension });
  return extension;
}

/** Each issuer's CRLDistributionPoints and AuthorityInfoAccess extensions, encoded on its first certificate. */
const revocationExtensions = new WeakMap<
  LeafIssuer,
  { readonly urls: RevocationUrls; readonly extensions: readonly Buffer[] }
>();

/** The extensions that say where revocations are published (none without revocation URLs), after the others. */
export function revocationExtensionsOf(issuer: LeafIssuer): readonly Buffer[] {
  const urls = issuer.revocationUrls;
  if (urls === undefined) return [];
  const cached = revocationExtensions.get(issuer);
  if (cached?.urls.crlUrl === urls.crlUrl && cached.urls.ocspUrl === urls.ocspUrl) return cached.extensions;
  const extensions = revocationUrlExtensions(urls);
  revocationExtensions.set(issuer, { urls: { crlUrl: urls.crlUrl, ocspUrl: urls.ocspUrl }, extensions });
  return extensions;
}

/** Builds and signs a device certificate for `request` under `issuer`. */
export async function buildLeafCertificate(issuer: LeafIssuer, request: IssueRequest): Promise<IssuedCertificate> {
  // The subject is copied verbatim, so it must at least be one whole DER SEQUENCE.
  expectTag(readWhole(request.subject), Tag.SEQUENCE, 'subject Name');
  const spki = subjectPublicKeyInfo(request.publicKey);
  const notBefore = leafNotBefore(request.now);
  const notAfter = LEAF_NOT_AFTER;
  const serial = randomSerial();
  const der = await signCertificate(
    {
      serial,
      issuer: issuer.name,
      notBefore,
      notAfter,
      subject: request.subject,
      subjectPublicKeyInfo: spki,
      extensions: [
        authorityKeyIdentifierOf(issuer),
        subjectKeyIdentifierExtension(keyIdentifier(spki)),
        BASIC_CONSTRAINTS,
        KEY_USAGE,
        ...revocationExtensionsOf(issuer),
      ],
    },
    issuer.signer,
  );
  return issuedCertificate(der, { serial, issuerKeyId: issuer.keyIdentifier, notBefore, notAfter: new Date(notAfter) });
}
