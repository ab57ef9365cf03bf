/**
 * The well-formed documents the fuzzer mutates, built with fleetca's DER writer and real keys: CSRs (EC and RSA,
 * with an extensionRequest and sometimes a challengePassword), device certificates signed by the fuzz CA,
 * self-signed device certificates, and self-signed CA certificates. Each seed is kept as its signed part (the
 * CertificationRequestInfo or TBSCertificate), its algorithm and its key, so a mutant can be signed again and
 * only its content, not its signature, decides whether it is refused.
 */

import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import {
  authorityKeyIdentifierExtension,
  basicConstraintsExtension,
  extension,
  KeyUsage,
  keyIdentifier,
  keyUsageExtension,
  randomSerial,
  subjectKeyIdentifierExtension,
} from '../../../src/ca/certificate-builder.js';
import {
  bitString,
  explicit,
  nullValue,
  oid,
  sequence,
  set,
  smallInteger,
  time,
  tlv,
} from '../../../src/ca/der-writer.js';
import { encodeName } from '../../../src/ca/distinguished-name.js';
import { Oid } from '../../../src/ca/oids.js';

export type SeedKind = 'csr' | 'device' | 'self-signed' | 'ca';

/** A key that signs seeds and mutants, with its AlgorithmIdentifier. */
export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly spki: Buffer;
  readonly algorithm: Buffer;
}

export interface Seed {
  readonly kind: SeedKind;
  /** The signed part, DER. */
  readonly signed: Buffer;
  readonly signer: SigningKey;
}

export function ecKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privateKey,
    publicKey,
    spki: publicKey.export({ type: 'spki', format: 'der' }),
    algorithm: sequence(oid(Oid.ecdsaWithSHA256)),
  };
}

export function rsaKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey,
    publicKey,
    spki: publicKey.export({ type: 'spki', format: 'der' }),
    algorithm: sequence(oid(Oid.sha256WithRSAEncryption), nullValue()),
  };
}

/** SEQUENCE { signed, algorithm, BIT STRING signature }: a CSR or a certificate. */
export function signDocument(signed: Buffer, signer: SigningKey): Buffer {
  return sequence(signed, signer.algorithm, bitString(sign('sha256', signed, signer.privateKey)));
}

const EXTENSION_REQUEST = '1.2.840.113549.1.9.14';
const CHALLENGE_PASSWORD = '1.2.840.113549.1.9.7';

/** A CSR's CertificationRequestInfo for `subject`, asking for a SAN and key usage, sometimes with a password. */
export function csrInfo(subject: string, key: SigningKey, withPassword: boolean): Buffer {
  const san = extension(Oid.subjectAltName, false, sequence(tlv(0x82, Buffer.from('device.example.com'))));
  const requested = sequence(
    oid(EXTENSION_REQUEST),
    set(sequence(san, keyUsageExtension([KeyUsage.digitalSignature]))),
  );
  const attributes = [requested];
  if (withPassword) attributes.push(sequence(oid(CHALLENGE_PASSWORD), set(tlv(0x0c, Buffer.from('s3cret')))));
  // DER orders SET OF members by their encodings.
  attributes.sort(Buffer.compare);
  return sequence(smallInteger(0), encodeName(subject), key.spki, tlv(0xa0, ...attributes));
}

/** A v3 TBSCertificate. */
export function tbsCertificate(options: {
  issuer: Buffer;
  subject: Buffer;
  subjectKey: SigningKey;
  signer: SigningKey;
  ca: boolean;
  issuerKeyId?: Buffer;
}): Buffer {
  const now = Date.now();
  const keyId = keyIdentifier(options.subjectKey.spki);
  const extensions = [
    basicConstraintsExtension(options.ca),
    keyUsageExtension(options.ca ? [KeyUsage.keyCertSign, KeyUsage.cRLSign] : [KeyUsage.digitalSignature]),
    subjectKeyIdentifierExtension(keyId),
    authorityKeyIdentifierExtension(options.issuerKeyId ?? keyId),
  ];
  return sequence(
    explicit(0, smallInteger(2)),
    randomSerial(),
    options.signer.algorithm,
    options.issuer,
    sequence(time(new Date(now - 3_600_000)), time(new Date(now + 365 * 86_400_000))),
    options.subject,
    options.subjectKey.spki,
    explicit(3, sequence(...extensions)),
  );
}

/** The keys and the registered CA every seed of one run shares. */
export interface SeedKeys {
  readonly ec: readonly SigningKey[];
  readonly rsa: SigningKey;
  /** The CA registered before the run; device certificates are signed by it. */
  readonly ca: SigningKey;
  readonly caSubject: Buffer;
  readonly caPem: string;
}

/** A fresh seed of `kind`; `n` makes its names unique, so no two seeds are the same document. */
export function makeSeed(kind: SeedKind, n: number, keys: SeedKeys, pick: (count: number) => number): Seed {
  const subjectKey = pick(4) === 0 ? keys.rsa : (keys.ec[pick(keys.ec.length)] as SigningKey);
  switch (kind) {
    case 'csr':
      return {
        kind,
        signed: csrInfo(`CN=fuzz-device-${n},O=Fuzz Ltd,C=DE`, subjectKey, pick(3) === 0),
        signer: subjectKey,
      };
    case 'device':
      return {
        kind,
        signed: tbsCertificate({
          issuer: keys.caSubject,
          subject: encodeName(`CN=fuzz-registered-${n},O=Fuzz Ltd`),
          subjectKey,
          signer: keys.ca,
          ca: false,
          issuerKeyId: keyIdentifier(keys.ca.spki),
        }),
        signer: keys.ca,
      };
    case 'self-signed': {
      const name = encodeName(`CN=fuzz-self-${n},O=Fuzz Ltd`);
      return {
        kind,
        signed: tbsCertificate({ issuer: name, subject: name, subjectKey, signer: subjectKey, ca: false }),
        signer: subjectKey,
      };
    }
    case 'ca': {
      const name = encodeName(`CN=fuzz-ca-${n},O=Fuzz Ltd,C=DE`);
      return {
        kind,
        signed: tbsCertificate({ issuer: name, subject: name, subjectKey, signer: subjectKey, ca: true }),
        signer: subjectKey,
      };
    }
  }
}
