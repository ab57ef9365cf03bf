import { type CertificateSigningRequest, CsrError, readCertificateSigningRequestAsync } from '../../ca/csr.js';
import { ServiceError } from '../../errors.js';
import { DeviceCreateCertificateFromCsr } from '../../model/fleet-provisioning.js';
import { defineOperation } from '../operation.js';
import { issuePendingCertificate } from './issue-pending-certificate.js';

export interface DeviceCertificateFromCsrInput {
  readonly certificateSigningRequest: string;
}

/** CreateCertificateFromCsr over MQTT: the answer's members in the order the real service sends them (§4.2). */
export interface DeviceCertificateFromCsr {
  readonly certificateOwnershipToken: string;
  readonly certificateId: string;
  readonly certificatePem: string;
}

/** The CSR's subject and key, certified PENDING_ACTIVATION, with an ownership token. */
export const deviceCreateCertificateFromCsr = defineOperation({
  model: DeviceCreateCertificateFromCsr,
  run: async (input: DeviceCertificateFromCsrInput, ctx): Promise<DeviceCertificateFromCsr> => {
    let csr: CertificateSigningRequest;
    try {
      csr = await readCertificateSigningRequestAsync(input.certificateSigningRequest);
    } catch (err) {
      if (err instanceof CsrError) {
        throw new ServiceError(
          'InvalidCertificateSigningRequest',
          `The certificate signing request is not valid: ${err.message}`,
        );
      }
      throw err;
    }
    const pending = await issuePendingCertificate(ctx, csr.subject, csr.publicKey);
    return {
      certificateOwnershipToken: pending.certificateOwnershipToken,
      certificateId: pending.certificateId,
      certificatePem: pending.certificatePem,
    };
  },
});
