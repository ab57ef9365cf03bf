import type { CertificateStatus } from '../../domain/certificates/certificate-status.js';
import { RegisterCertificateWithoutCA } from '../../model/certificates.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';
import { commitDeviceCertificate, registrationStatus } from './register-device-certificate.js';
import { submittedCertificate } from './submitted-certificates.js';

export interface RegisterCertificateWithoutCAInput {
  readonly certificatePem: string;
  readonly status?: CertificateStatus;
}

export const registerCertificateWithoutCA = defineOperation({
  model: RegisterCertificateWithoutCA,
  run,
  cli: {
    examples: [
      {
        title: 'To register a certificate whose CA is not registered',
        description: 'Useful for certificates from a CA you do not control; only the certificate itself is checked.',
        command: 'fleetca iot register-certificate-without-ca --certificate-pem file://device.pem --status INACTIVE',
      },
    ],
  },
});

/** Registers a device certificate whatever its issuer; such certificates are SNI_ONLY. */
async function run(input: RegisterCertificateWithoutCAInput, ctx: OperationContext) {
  const status = registrationStatus(input.status);
  const certificate = submittedCertificate(input.certificatePem, 'certificate');
  return commitDeviceCertificate(ctx, certificate, { status, certificateMode: 'SNI_ONLY' });
}
