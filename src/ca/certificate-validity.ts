/**
 * Reads a certificate's validity period from its DER (node:crypto only offers it as display text), in the strict
 * shape RFC 5280 requires (der-time.ts).
 */

import { readCertificateParts } from './certificate-reader.js';
import { readChildren, readWhole } from './der.js';
import { decodeCertificateTime } from './der-time.js';

export interface CertificateValidity {
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** notBefore and notAfter of certificate DER. Throws DerError when they cannot be read. */
export function readValidity(der: Buffer): CertificateValidity {
  return validityOf(readCertificateParts(der).validity);
}

/** notBefore and notAfter of a Validity SEQUENCE already read by readCertificateParts. */
export function validityOf(validity: Buffer): CertificateValidity {
  const [notBefore, notAfter] = readChildren(validity, readWhole(validity));
  if (!notBefore || !notAfter) throw new Error('validityOf: not a Validity');
  return {
    notBefore: decodeCertificateTime(notBefore.tag, validity.subarray(notBefore.contentStart, notBefore.contentEnd)),
    notAfter: decodeCertificateTime(notAfter.tag, validity.subarray(notAfter.contentStart, notAfter.contentEnd)),
  };
}
