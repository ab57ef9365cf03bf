/**
 * fleetca's own CA certificates: a self-signed root and the issuing CA it signs. Their validity outlives every
 * leaf (leaves end 2049-12-31), so a chain built today verifies for as long as the devices' certificates do.
 */

import type { KeyObject } from 'node:crypto';
import {
  authorityKeyIdentifierExtension,
  basicConstraintsExtension,
  KeyUsage,
  keyIdentifier,
  keyUsageExtension,
  randomSerial,
  signCertificate,
  subjectKeyIdentifierExtension,
  subjectPublicKeyInfo,
} from './certificate-builder.js';
import { leafNotBefore } from './leaf-certificate.js';
import { keyObjectSigner } from './signer.js';

/** notAfter of the root CA (GeneralizedTime, being ≥ 2050). */
export const ROOT_NOT_AFTER = new Date('2059-12-31T23:59:59Z');
/** notAfter of the issuing CA: after the leaves' 2049-12-31, before the root's end. */
export const ISSUING_NOT_AFTER = new Date('2054-12-31T23:59:59Z');

/** The same 120 s backdating as the leaves, for the same reason: devices whose clocks run slightly behind. */
const backdated = leafNotBefore;

/** A self-signed root: BasicConstraints CA:TRUE, KeyUsage keyCertSign+cRLSign (both critical), SKI. */
export async function buildRootCertificate(options: {
  /** DER Name, used as both subject and issuer. */
  readonly name: Buffer;
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
  readonly now: Date;
}): Promise<Buffer> {
  const spki = subjectPublicKeyInfo(options.publicKey);
  return signCertificate(
    {
      serial: randomSerial(),
      issuer: options.name,
      notBefore: backdated(options.now),
      notAfter: ROOT_NOT_AFTER,
      subject: options.name,
      subjectPublicKeyInfo: spki,
      extensions: [
        basicConstraintsExtension(true),
        keyUsageExtension([KeyUsage.keyCertSign, KeyUsage.cRLSign]),
        subjectKeyIdentifierExtension(keyIdentifier(spki)),
      ],
    },
    keyObjectSigner(options.privateKey),
  );
}

/**
 * The issuing CA, signed by the root: BasicConstraints CA:TRUE pathLen 0 (it may only sign leaves), KeyUsage
 * digitalSignature+keyCertSign+cRLSign (both critical), SKI, AKI = the root's key identifier.
 */
export async function buildIssuingCertificate(options: {
  /** DER Name of the issuing CA. */
  readonly name: Buffer;
  readonly publicKey: KeyObject;
  /** The root certificate's subject Name, DER. */
  readonly rootName: Buffer;
  readonly rootKeyIdentifier: Buffer;
  readonly rootPrivateKey: KeyObject;
  readonly now: Date;
}): Promise<Buffer> {
  const spki = subjectPublicKeyInfo(options.publicKey);
  return signCertificate(
    {
      serial: randomSerial(),
      issuer: options.rootName,
      notBefore: backdated(options.now),
      notAfter: ISSUING_NOT_AFTER,
      subject: options.name,
      subjectPublicKeyInfo: spki,
      extensions: [
        basicConstraintsExtension(true, 0),
        keyUsageExtension([KeyUsage.digitalSignature, KeyUsage.keyCertSign, KeyUsage.cRLSign]),
        subjectKeyIdentifierExtension(keyIdentifier(spki)),
        authorityKeyIdentifierExtension(options.rootKeyIdentifier),
      ],
    },
    keyObjectSigner(options.rootPrivateKey),
  );
}
