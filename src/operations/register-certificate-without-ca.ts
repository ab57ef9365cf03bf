import type { CertificateStatus } from '../domain/certificates/certificate-status.js';
import type { OperationContext } from './context.js';
import { commitDeviceCertificate, registrationStatus } from './register-device-certificate.js';
import { submittedCertificate } from './submitted-certificates.js';

export interface RegisterCertificateWithoutCAInput {
  readonly certificatePem: string;
  readonly status?: CertificateStatus;
}

/** Registers a device certificate whatever its issuer; such certificates are SNI_ONLY. */
export async function registerCertificateWithoutCA(input: RegisterCertificateWithoutCAInput, ctx: OperationContext) {
  const status = registrationStatus(input.status);
  const certificate = submittedCertificate(input.certificatePem, 'certificate');
  return commitDeviceCertificate(ctx, certificate, { status, certificateMode: 'SNI_ONLY' });
}
