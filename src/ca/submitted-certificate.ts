/**
 * Certificates that callers hand in (RegisterCertificate, RegisterCACertificate): parsed once into
 * what the registration rules need, with every parse failure reduced to one error type whose
 * message is meant for the API caller.
 */

import { createHash, type KeyObject, X509Certificate } from 'node:crypto';
import { type CertificateParts, readCertificateParts } from './certificate-reader.js';
import { validityOf } from './certificate-validity.js';
import { DerError } from './der.js';
import { checkKnownExtensions, type KeyIdentifiers } from './known-extensions.js';
import { nameMatchKey } from './name-match.js';
import { nameAttributeValues } from './name-reader.js';
import { fromPem } from './pem.js';

/** A submitted certificate that cannot be used; the message explains why. */
export class SubmittedCertificateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SubmittedCertificateError';
  }
}

const COMMON_NAME = '2.5.4.3';

/** A parsed, well-formed X.509 certificate as submitted by a caller. */
export interface SubmittedCertificate {
  readonly der: Buffer;
  /** Lowercase hex SHA-256 of the DER: the certificate's id. */
  readonly certificateId: string;
  /** Lowercase hex SHA-256 of the DER subject Name. */
  readonly subjectHash: string;
  /** Lowercase hex SHA-256 of the DER issuer Name; equals a CA's subjectHash when the names are identical. */
  readonly issuerHash: string;
  /** Common names in the subject, in encoded order. */
  readonly commonNames: readonly string[];
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** BasicConstraints present with cA TRUE. */
  readonly isCa: boolean;
  readonly publicKey: KeyObject;
  /** Content octets of the serialNumber INTEGER. */
  readonly serialNumber: Buffer;
  /** The SubjectKeyIdentifier, if the certificate has one. */
  readonly subjectKeyIdentifier?: Buffer;
  /** Equal for two certificates exactly when their subjects match as names (RFC 5280 §7.1; name-match.ts). */
  readonly subjectNameKey: string;
  /** Issuer and subject are the same name (RFC 5280 §7.1), whether or not their octets are the same. */
  readonly selfIssued: boolean;
  /** Whether the certificate names `issuer` (as a name) as its issuer and carries a signature made with its key. */
  isSignedBy(issuer: SubmittedCertificate): boolean;
}

/** Parses one PEM CERTIFICATE block. Throws SubmittedCertificateError for anything else. */
export function readSubmittedCertificate(pem: string, what = 'certificate'): SubmittedCertificate {
  let der: Buffer;
  let parts: CertificateParts;
  let ids: KeyIdentifiers;
  let x509: X509Certificate;
  try {
    // Leading spaces before the BEGIN line are as harmless as blank lines around the block.
    der = fromPem(pem.trim(), ['CERTIFICATE']).der;
  } catch (error) {
    throw new SubmittedCertificateError(`The ${what} is not a valid PEM X.509 certificate: ${messageOf(error)}`);
  }
  try {
    // Our strict reader first: it refuses what is not DER, in time linear in the input, before OpenSSL's
    // lenient decoder sees it.
    parts = readCertificateParts(der);
    ids = checkKnownExtensions(parts.extensions);
  } catch (error) {
    if (error instanceof DerError) {
      throw new SubmittedCertificateError(`The ${what} is not a valid DER X.509 certificate: ${error.message}`);
    }
    throw error;
  }
  try {
    x509 = new X509Certificate(der);
  } catch (error) {
    throw new SubmittedCertificateError(`The ${what} is not a valid PEM X.509 certificate: ${messageOf(error)}`);
  }
  try {
    const { notBefore, notAfter } = validityOf(parts.validity);
    const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
    const subjectHash = sha256(parts.subject);
    const issuerHash = sha256(parts.issuer);
    const subjectKey = nameMatchKey(parts.subject);
    const issuerKey = nameMatchKey(parts.issuer);
    const submitted: SubmittedCertificate = {
      der,
      certificateId: sha256(der),
      subjectHash,
      issuerHash,
      commonNames: nameAttributeValues(parts.subject, COMMON_NAME),
      notBefore,
      notAfter,
      isCa: x509.ca,
      publicKey: x509.publicKey,
      selfIssued: issuerKey === subjectKey,
      subjectNameKey: subjectKey,
      serialNumber: parts.serial,
      ...(ids.subjectKeyId && { subjectKeyIdentifier: ids.subjectKeyId }),
      isSignedBy: (issuer) =>
        issuerKey === issuer.subjectNameKey && identifiesIssuer(ids, issuer) && verifies(x509, issuer.publicKey),
    };
    return submitted;
  } catch (error) {
    throw new SubmittedCertificateError(`The ${what} could not be read: ${messageOf(error)}`);
  }
}

/**
 * RFC 5280 §4.2.1.1: an AuthorityKeyIdentifier names the issuer's key (and may name its serial number); a
 * certificate whose identifier names another key is not the issuer's, whatever key happens to verify it.
 * OpenSSL's chain building (X509_check_akid) refuses the same.
 */
function identifiesIssuer(ids: KeyIdentifiers, issuer: SubmittedCertificate): boolean {
  if (ids.authorityKeyId && issuer.subjectKeyIdentifier && !ids.authorityKeyId.equals(issuer.subjectKeyIdentifier)) {
    return false;
  }
  return !ids.authoritySerial || ids.authoritySerial.equals(issuer.serialNumber);
}

function verifies(certificate: X509Certificate, key: KeyObject): boolean {
  try {
    return certificate.verify(key);
  } catch {
    // A key of another type than the signature (an EC key for an RSA signature) cannot have made it.
    return false;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
