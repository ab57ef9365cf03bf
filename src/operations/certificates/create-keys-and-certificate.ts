import { CreateKeysAndCertificate } from '../../model/certificates.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';
import { initialStatus, issueAndRegister, type RegisteredCertificate } from './issue-certificate.js';

export interface CreateKeysAndCertificateInput {
  readonly setAsActive?: boolean;
}

export interface CreateKeysAndCertificateOutput extends RegisteredCertificate {
  readonly keyPair: { readonly PublicKey: string; readonly PrivateKey: string };
}

export const createKeysAndCertificate = defineOperation({
  model: CreateKeysAndCertificate,
  run,
  cli: {
    // awscli/customizations/iot.py
    outfiles: [
      { name: 'certificate-pem-outfile', query: 'certificatePem', mode: 0o600 },
      { name: 'public-key-outfile', query: 'keyPair.PublicKey', mode: 0o600 },
      { name: 'private-key-outfile', query: 'keyPair.PrivateKey', mode: 0o600 },
    ],
    examples: [
      {
        title: 'To create a key pair and an active certificate',
        description:
          'Generates a 2048-bit RSA key pair, issues a certificate for it and writes the three PEM files. The private key is returned only in this response: save it now, it cannot be retrieved later.',
        command:
          'fleetca iot create-keys-and-certificate --set-as-active --certificate-pem-outfile cert.pem --public-key-outfile public.key --private-key-outfile private.key',
      },
    ],
  },
});

/** A fresh RSA-2048 key pair and a certificate for it. The private key exists only in this response. */
async function run(
  input: CreateKeysAndCertificateInput,
  ctx: OperationContext,
): Promise<CreateKeysAndCertificateOutput> {
  // A full key-generation queue (back-pressure) becomes the API's throttling error in invokeOperation.
  const keys = await ctx.keys.generate();
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
