/**
 * Provisioning claim certificates (CreateProvisioningClaim), shaped like AWS's (reference §2.11): a random
 * subject `CN=<64 lowercase hex>`, notBefore = now − 2 min and notAfter = now + 5 min (the claim's expiration),
 * and only two extensions, BasicConstraints CA:FALSE and KeyUsage digitalSignature, both critical (plus, when
 * the issuer has revocation URLs, CRLDistributionPoints and AuthorityInfoAccess). Signed by fleetca's issuing CA,
 * so the exported chain verifies them.
 */

import { randomBytes } from 'node:crypto';
import type { ClaimIssueRequest, IssuedCertificate } from './authority.js';
import {
  basicConstraintsExtension,
  issuedCertificate,
  KeyUsage,
  keyUsageExtension,
  randomSerial,
  signCertificate,
  subjectPublicKeyInfo,
} from './certificate-builder.js';
import { encodeName } from './distinguished-name.js';
import { type LeafIssuer, leafNotBefore, revocationExtensionsOf } from './leaf-certificate.js';

/** How long a claim certificate, and so the claim, is valid after its issuance. */
export const CLAIM_LIFETIME_MS = 300_000;

const BASIC_CONSTRAINTS = basicConstraintsExtension(false);
const KEY_USAGE = keyUsageExtension([KeyUsage.digitalSignature]);

/** notBefore and notAfter of a claim issued at `now`: whole seconds, the same backdating as device certificates. */
export function claimValidity(now: Date): { readonly notBefore: Date; readonly notAfter: Date } {
  const notBefore = leafNotBefore(now);
  const issued = Math.floor(now.getTime() / 1000) * 1000;
  return { notBefore, notAfter: new Date(issued + CLAIM_LIFETIME_MS) };
}

/** Builds and signs a claim certificate for `request.publicKey` under `issuer`. */
export async function buildClaimCertificate(
  issuer: LeafIssuer,
  request: ClaimIssueRequest,
): Promise<IssuedCertificate> {
  const { notBefore, notAfter } = claimValidity(request.now);
  // 256 random bits: the name says nothing about the device, and no two claims share it.
  const subject = encodeName(`CN=${randomBytes(32).toString('hex')}`);
  const serial = randomSerial();
  const der = await signCertificate(
    {
      serial,
      issuer: issuer.name,
      notBefore,
      notAfter,
      subject,
      subjectPublicKeyInfo: subjectPublicKeyInfo(request.publicKey),
      extensions: [BASIC_CONSTRAINTS, KEY_USAGE, ...revocationExtensionsOf(issuer)],
    },
    issuer.signer,
  );
  return issuedCertificate(der, { serial, issuerKeyId: issuer.keyIdentifier, notBefore, notAfter: notAfter });
}
