/**
 * The delegated OCSP responder's certificate (RFC 6960 §4.2.2.2): issued by the issuing CA to a key the responder
 * holds in memory, so OCSP answers are signed with a fast key that is not the CA's. Subject
 * `CN=fleetca OCSP responder`, notBefore = now − 120 s, notAfter = now + the lifetime asked for, and the
 * extensions AKI, SKI, BasicConstraints CA:FALSE (critical), KeyUsage digitalSignature (critical), EKU
 * id-kp-OCSPSigning — which is what makes clients accept it as the CA's responder — and id-pkix-ocsp-nocheck,
 * which tells them not to ask about the responder's own status (so it should be short-lived: §4.2.2.2.1).
 */

import type { IssuedCertificate, OcspResponderCertificateRequest } from './authority.js';
import {
  authorityKeyIdentifierExtension,
  basicConstraintsExtension,
  extension,
  issuedCertificate,
  KeyUsage,
  keyIdentifier,
  keyUsageExtension,
  randomSerial,
  signCertificate,
  subjectKeyIdentifierExtension,
  subjectPublicKeyInfo,
} from './certificate-builder.js';
import { nullValue, oid, sequence } from './der-writer.js';
import { encodeName } from './distinguished-name.js';
import { type LeafIssuer, leafNotBefore } from './leaf-certificate.js';
import { Oid } from './oids.js';

export const OCSP_RESPONDER_SUBJECT = 'CN=fleetca OCSP responder';

const SUBJECT = encodeName(OCSP_RESPONDER_SUBJECT);
const BASIC_CONSTRAINTS = basicConstraintsExtension(false);
const KEY_USAGE = keyUsageExtension([KeyUsage.digitalSignature]);
const OCSP_SIGNING = extension(Oid.extKeyUsage, false, sequence(oid(Oid.ocspSigning)));
const OCSP_NO_CHECK = extension(Oid.ocspNoCheck, false, nullValue());

/** Builds and signs a responder certificate for `request.publicKey` under `issuer`. */
export async function buildOcspResponderCertificate(
  issuer: LeafIssuer,
  request: OcspResponderCertificateRequest,
): Promise<IssuedCertificate> {
  const { lifetimeMs } = request;
  if (!Number.isSafeInteger(lifetimeMs) || lifetimeMs <= 0) {
    throw new RangeError(`an OCSP responder certificate's lifetime must be a positive number of ms, got ${lifetimeMs}`);
  }
  const notBefore = leafNotBefore(request.now);
  const notAfter = new Date(Math.floor(request.now.getTime() / 1000) * 1000 + lifetimeMs);
  const spki = subjectPublicKeyInfo(request.publicKey);
  const serial = randomSerial();
  const der = await signCertificate(
    {
      serial,
      issuer: issuer.name,
      notBefore,
      notAfter,
      subject: SUBJECT,
      subjectPublicKeyInfo: spki,
      extensions: [
        authorityKeyIdentifierExtension(issuer.keyIdentifier),
        subjectKeyIdentifierExtension(keyIdentifier(spki)),
        BASIC_CONSTRAINTS,
        KEY_USAGE,
        OCSP_SIGNING,
        OCSP_NO_CHECK,
      ],
    },
    issuer.signer,
  );
  return issuedCertificate(der, { serial, issuerKeyId: issuer.keyIdentifier, notBefore, notAfter });
}
