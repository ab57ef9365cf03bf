import { type CertificateSigningRequest, CsrError, readCertificateSigningRequestAsync } from '../../ca/csr.js';
import { serviceErrors } from '../../errors.js';
import { CreateCertificateFromCsr } from '../../model/certificates.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';
import { initialStatus, issueAndRegister, type RegisteredCertificate } from './issue-certificate.js';

export interface CreateCertificateFromCsrInput {
  readonly certificateSigningRequest: string;
  readonly setAsActive?: boolean;
}

export const createCertificateFromCsr = defineOperation({
  model: CreateCertificateFromCsr,
  run,
  cli: {
    // awscli/customizations/iot.py
    outfiles: [{ name: 'certificate-pem-outfile', query: 'certificatePem', mode: 0o600 }],
    examples: [
      {
        title: 'To issue a certificate for a key that stays on the device',
        description:
          'The device made a key pair and a certificate signing request; the CA signs it and the certificate is saved next to it. The private key never leaves the device.',
        command:
          'fleetca iot create-certificate-from-csr --certificate-signing-request file://device.csr --set-as-active --certificate-pem-outfile device.pem',
      },
    ],
  },
});

/** Certifies the CSR's own subject and public key, once its signature proves possession of the key. */
async function run(input: CreateCertificateFromCsrInput, ctx: OperationContext): Promise<RegisteredCertificate> {
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
