import { type CertificateSigningRequest, CsrError, readCertificateSigningRequestAsync } from '../ca/csr.js';
import { serviceErrors } from '../errors.js';
import type { OperationContext } from './context.js';
import { initialStatus, issueAndRegister, type RegisteredCertificate } from './issue-certificate.js';

export interface CreateCertificateFromCsrInput {
  readonly certificateSigningRequest: string;
  readonly setAsActive?: boolean;
}

/** Certifies the CSR's own subject and public key, once its signature proves possession of the key. */
export async function createCertificateFromCsr(
  input: CreateCertificateFromCsrInput,
  ctx: OperationContext,
): Promise<RegisteredCertificate> {
  let csr: CertificateSigningRequest;
  try {
    // The signature is checked on the thread pool: a server's event loop only parses.
    csr = await readCertificateSigningRequestAsync(input.certificateSigningRequest);
  } catch (err) {
    if (err instanceof CsrError)
      throw serviceErrors.invalidRequest(`The certificate signing request is not valid: ${err.message}`);
    throw err;
  }
  return issueAndRegister(ctx, {
    subject: csr.subject,
    publicKey: csr.publicKey,
    status: initialStatus(input.setAsActive),
  });
}
