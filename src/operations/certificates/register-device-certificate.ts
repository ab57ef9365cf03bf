import { randomUUID } from 'node:crypto';
import { toPem } from '../../ca/pem.js';
import type { SubmittedCertificate } from '../../ca/submitted-certificate.js';
import { certificateArn } from '../../domain/certificates/certificate-record.js';
import type { CertificateMode, CertificateStatus } from '../../domain/certificates/certificate-status.js';
import { serviceErrors } from '../../errors.js';
import { DuplicateCertificateError } from '../../registry/store.js';
import type { OperationContext } from '../context.js';

/** The steps RegisterCertificate and RegisterCertificateWithoutCA share once the certificate is accepted. */

/** Statuses a certificate cannot be registered with: they belong to fleet provisioning and transfer. */
const NOT_REGISTRABLE: ReadonlySet<CertificateStatus> = new Set(['PENDING_ACTIVATION', 'PENDING_TRANSFER']);

/**
 * The status to register with: `status` when given, else ACTIVE for the deprecated setAsActive=true,
 * else INACTIVE. PENDING_ACTIVATION is refused with the message AWS answers; PENDING_TRANSFER likewise.
 */
export function registrationStatus(status: CertificateStatus | undefined, setAsActive?: boolean): CertificateStatus {
  if (status !== undefined && NOT_REGISTRABLE.has(status)) {
    throw serviceErrors.certificateState(`Not allowed to register certificate with ${status} status`);
  }
  return status ?? (setAsActive === true ? 'ACTIVE' : 'INACTIVE');
}

export interface DeviceRegistration {
  readonly status: CertificateStatus;
  readonly certificateMode: CertificateMode;
  /** The registered CA that signed the certificate; absent for RegisterCertificateWithoutCA. */
  readonly caCertificateId?: string;
}

/**
 * Commits the record of a submitted device certificate; its validity comes from the certificate itself.
 * A certificate already in the account and region is ResourceAlreadyExistsException, as on AWS.
 */
export async function commitDeviceCertificate(
  ctx: OperationContext,
  certificate: SubmittedCertificate,
  registration: DeviceRegistration,
): Promise<{ certificateArn: string; certificateId: string }> {
  const id = certificate.certificateId;
  const arn = certificateArn(ctx.scope, id);
  const created = ctx.now().getTime();
  try {
    await ctx.registry.certificates.insertCertificate({
      ...ctx.scope,
      certificateId: id,
      status: registration.status,
      // Stored re-armoured from the DER: the same bytes whatever line endings or spacing were sent.
      certificatePem: toPem('CERTIFICATE', certificate.der),
      ...(registration.caCertificateId !== undefined && { caCertificateId: registration.caCertificateId }),
      ownedBy: ctx.scope.accountId,
      creationDate: created,
      lastModifiedDate: created,
      customerVersion: 1,
      generationId: randomUUID(),
      notBefore: certificate.notBefore.getTime(),
      notAfter: certificate.notAfter.getTime(),
      certificateMode: registration.certificateMode,
    });
  } catch (error) {
    if (error instanceof DuplicateCertificateError) {
      throw serviceErrors.alreadyExists('The certificate is already provisioned or registered', id, arn);
    }
    throw error;
  }
  return { certificateArn: arn, certificateId: id };
}
