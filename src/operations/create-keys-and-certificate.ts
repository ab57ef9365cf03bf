import { KeyGenerationBusyError } from '../ca/keygen/worker-key-generator.js';
import { serviceErrors } from '../errors.js';
import type { OperationContext } from './context.js';
import { initialStatus, issueAndRegister, type RegisteredCertificate } from './issue-certificate.js';

export interface CreateKeysAndCertificateInput {
  readonly setAsActive?: boolean;
}

export interface CreateKeysAndCertificateOutput extends RegisteredCertificate {
  readonly keyPair: { readonly PublicKey: string; readonly PrivateKey: string };
}

/** A fresh RSA-2048 key pair and a certificate for it. The private key exists only in this response. */
export async function createKeysAndCertificate(
  input: CreateKeysAndCertificateInput,
  ctx: OperationContext,
): Promise<CreateKeysAndCertificateOutput> {
  const keys = await ctx.keys.generate().catch((err: unknown) => {
    // Back-pressure: a full key-generation queue answers as AWS does when over its rate.
    throw err instanceof KeyGenerationBusyError ? serviceErrors.throttled() : err;
  });
  const registered = await issueAndRegister(ctx, {
    subject: ctx.defaultSubject,
    publicKey: keys.publicKey,
    status: initialStatus(input.setAsActive),
  });
  return {
    ...registered,
    keyPair: {
      PublicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }) as string,
      PrivateKey: keys.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
    },
  };
}
