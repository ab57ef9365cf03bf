import type { SubmittedCertificate } from '../../ca/submitted-certificate.js';
import type { CaCertificateRecord } from '../../domain/ca-certificates/ca-certificate-record.js';
import type { CertificateStatus } from '../../domain/certificates/certificate-status.js';
import { ServiceError, serviceErrors } from '../../errors.js';
import { RegisterCertificate } from '../../model/certificates.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';
import { commitDeviceCertificate, registrationStatus } from './register-device-certificate.js';
import { submittedCertificate } from './submitted-certificates.js';

export interface RegisterCertificateInput {
  readonly certificatePem: string;
  readonly caCertificatePem?: string;
  readonly setAsActive?: boolean;
  readonly status?: CertificateStatus;
}

export const registerCertificate = defineOperation({
  model: RegisterCertificate,
  run,
  cli: {
    examples: [
      {
        title: 'To register a device certificate made by your own CA',
        description: 'The issuing CA must already be registered; the certificate starts in the status given.',
        command:
          'fleetca iot register-certificate --certificate-pem file://device.pem --ca-certificate-pem file://rootCA.pem --status ACTIVE',
      },
    ],
  },
});

/**
 * Registers a device certificate signed by a CA registered in the caller's account and region.
 * The certificate takes the CA's mode and records the CA's id.
 */
async function run(input: RegisterCertificateInput, ctx: OperationContext) {
  const status = registrationStatus(input.status, input.setAsActive);
  const certificate = submittedCertificate(input.certificatePem, 'certificate');
  const ca = await signingCa(ctx, certificate, input.caCertificatePem);
  // The CA's status gates registration: a deactivated CA vouches for nothing new.
  if (ca.status !== 'ACTIVE') {
    throw serviceErrors.certificateState(`The CA certificate is not ACTIVE. Id: ${ca.certificateId}`);
  }
  return commitDeviceCertificate(ctx, certificate, {
    status,
    certificateMode: ca.certificateMode,
    caCertificateId: ca.certificateId,
  });
}

/**
 * The registered CA that signed `certificate`: the one named by caCertificatePem, which must be registered,
 * or else the only registered CA whose subject is the certificate's issuer and whose key verifies it.
 */
async function signingCa(
  ctx: OperationContext,
  certificate: SubmittedCertificate,
  caCertificatePem: string | undefined,
): Promise<CaCertificateRecord> {
  const store = ctx.registry.caCertificates;
  if (caCertificatePem !== undefined) {
    const named = submittedCertificate(caCertificatePem, 'CA certificate');
    const record = await store.getCaCertificate(ctx.scope, named.certificateId);
    if (!record) throw serviceErrors.certificateValidation('The CA certificate is not registered');
    if (!certificate.isSignedBy(named)) {
      throw serviceErrors.certificateValidation('The certificate is not signed by the given CA certificate');
    }
    return record;
  }
  const candidates = await store.findCaCertificatesBySubject(ctx.scope, certificate.issuerHash);
  const signers = candidates.filter((ca) => certificate.isSignedBy(submittedCertificate(ca.certificatePem, 'CA')));
  const [only, ...others] = signers;
  if (!only) {
    throw serviceErrors.certificateValidation('The certificate is not signed by any registered CA certificate');
  }
  if (others.length > 0) {
    throw new ServiceError(
      'CertificateConflictException',
      `More than one registered CA certificate (${signers.map((ca) => ca.certificateId).join(', ')}) could have ` +
        'signed the certificate; name the one that did with caCertificatePem',
    );
  }
  return only;
}
