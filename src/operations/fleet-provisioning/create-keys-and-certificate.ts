import { DeviceCreateKeysAndCertificate } from '../../model/fleet-provisioning.js';
import { defineOperation } from '../operation.js';
import { issuePendingCertificate } from './issue-pending-certificate.js';

/** CreateKeysAndCertificate over MQTT: the answer's members in the order the real service sends them (§4.2). */
export interface DeviceKeysAndCertificate {
  readonly certificateId: string;
  readonly certificatePem: string;
  readonly privateKey: string;
  readonly certificateOwnershipToken: string;
}

/**
 * A key pair and a certificate for a device that asked over MQTT. Unlike the REST operation the certificate
 * starts PENDING_ACTIVATION, there is no public key in the answer, and an ownership token comes with it. A full
 * key-generation queue is the funnel's Throttled.
 */
export const deviceCreateKeysAndCertificate = defineOperation({
  model: DeviceCreateKeysAndCertificate,
  run: async (_input: Readonly<Record<string, unknown>>, ctx): Promise<DeviceKeysAndCertificate> => {
    const keys = await ctx.keys.generate();
    const pending = await issuePendingCertificate(ctx, ctx.defaultSubject, keys.publicKey);
    return {
      certificateId: pending.certificateId,
      certificatePem: pending.certificatePem,
      privateKey: keys.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
      certificateOwnershipToken: pending.certificateOwnershipToken,
    };
  },
});
