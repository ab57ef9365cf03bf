import { generateKeyPair, type KeyObject } from 'node:crypto';

export interface GeneratedKeyPair {
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
}

/** Where fresh RSA-2048 key pairs come from. Injected, so a faster engine can replace the stock one. */
export interface KeyPairGenerator {
  generate(): Promise<GeneratedKeyPair>;
  close(): Promise<void>;
}

/** OpenSSL's own generator (RSA-2048, e = 65537) through node:crypto. */
export const opensslKeyPairGenerator: KeyPairGenerator = {
  generate: () =>
    new Promise((resolve, reject) => {
      generateKeyPair('rsa', { modulusLength: 2048, publicExponent: 65537 }, (err, publicKey, privateKey) =>
        err ? reject(err) : resolve({ publicKey, privateKey }),
      );
    }),
  close: async () => {},
};
