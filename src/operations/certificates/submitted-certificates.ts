import {
  readSubmittedCertificate,
  type SubmittedCertificate,
  SubmittedCertificateError,
} from '../../ca/submitted-certificate.js';
import { serviceErrors } from '../../errors.js';

/**
 * Parses a certificate a caller submitted; anything that is not one well-formed PEM X.509
 * certificate is the caller's CertificateValidationException ("The certificate is invalid").
 */
export function submittedCertificate(pem: string, what: string): SubmittedCertificate {
  try {
    return readSubmittedCertificate(pem, what);
  } catch (error) {
    if (error instanceof SubmittedCertificateError) throw serviceErrors.certificateValidation(error.message);
    throw error;
  }
}
