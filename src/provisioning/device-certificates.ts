import { type CertificateSigningRequest, CsrError, readCertificateSigningRequestAsync } from '../ca/csr.js';
import { KeyGenerationBusyError } from '../ca/keygen/worker-key-generator.js';
import type { OperationContext } from '../operations/context.js';
import { issueAndRegister } from '../operations/issue-certificate.js';
import { OWNERSHIP_TOKEN_LIFETIME_MS, type OwnershipTokens } from './ownership-token.js';
import { provisioningErrors } from './provisioning-error.js';

/** CreateKeysAndCertificate over MQTT: the answer, in the order the real service sends it (reference §4.2). */
export interface DeviceKeysAndCertificate {
  readonly certificateId: string;
  readonly certificatePem: string;
  readonly privateKey: string;
  readonly certificateOwnershipToken: string;
}

export interface DeviceCertificateFromCsr {
  readonly certificateOwnershipToken: string;
  readonly certificateId: string;
  readonly certificatePem: string;
}

/**
 * A key pair and a certificate for a device that asked over MQTT. Unlike the REST operation the certificate
 * starts PENDING_ACTIVATION, there is no public key in the answer, and an ownership token comes with it;
 * the token's row is committed before the certificate, so every such certificate can be swept if unclaimed.
 */
export async function createKeysAndCertificateForDevice(
  ctx: OperationContext,
  tokens: OwnershipTokens,
): Promise<DeviceKeysAndCertificate> {
  const keys = await ctx.keys.generate().catch((err: unknown) => {
    throw err instanceof KeyGenerationBusyError ? provisioningErrors.throttled() : err;
  });
  const { certificateId, certificatePem, token } = await issuePending(ctx, tokens, ctx.defaultSubject, keys.publicKey);
  return {
    certificateId,
    certificatePem,
    privateKey: keys.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
    certificateOwnershipToken: token,
  };
}

/** CreateCertificateFromCsr over MQTT: the CSR's subject and key, PENDING_ACTIVATION, with an ownership token. */
export async function createCertificateFromCsrForDevice(
  ctx: OperationContext,
  tokens: OwnershipTokens,
  csrPem: string,
): Promise<DeviceCertificateFromCsr> {
  let csr: CertificateSigningRequest;
  try {
    csr = await readCertificateSigningRequestAsync(csrPem);
  } catch (err) {
    if (err instanceof CsrError)
      throw provisioningErrors.invalidCsr(`The certificate signing request is not valid: ${err.message}`);
    throw err;
  }
  const { certificateId, certificatePem, token } = await issuePending(ctx, tokens, csr.subject, csr.publicKey);
  return { certificateOwnershipToken: token, certificateId, certificatePem };
}

async function issuePending(
  ctx: OperationContext,
  tokens: OwnershipTokens,
  subject: Buffer,
  publicKey: CertificateSigningRequest['publicKey'],
): Promise<{ certificateId: string; certificatePem: string; token: string }> {
  const expiresAt = ctx.now().getTime() + OWNERSHIP_TOKEN_LIFETIME_MS;
  const registered = await issueAndRegister(ctx, {
    subject,
    publicKey,
    status: 'PENDING_ACTIVATION',
    beforeCommit: (certificateId) => ctx.registry.ownershipTokens.record(ctx.scope, certificateId, expiresAt),
  });
  const token = tokens.mint({ scope: ctx.scope, certificateId: registered.certificateId, expiresAt });
  return { certificateId: registered.certificateId, certificatePem: registered.certificatePem, token };
}
