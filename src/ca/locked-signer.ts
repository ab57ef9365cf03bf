import type { KeyObject } from 'node:crypto';
import { keyObjectSigner, type Signer } from './signer.js';

/** A Signer whose key is decrypted on first use (or on unlock()), so commands that never sign never ask. */
export interface LockedSigner extends Signer {
  /** Decrypts the key now: a server does it at start, so a wrong passphrase stops it there. */
  unlock(): Promise<void>;
}

/** Concurrent first uses share one decryption (one question); a failed one is forgotten, so it can be retried. */
export function lockedSigner(decrypt: () => Promise<KeyObject>): LockedSigner {
  let opening: Promise<Signer> | undefined;
  const open = (): Promise<Signer> => {
    opening ??= decrypt()
      .then(keyObjectSigner)
      .catch((err: unknown) => {
        opening = undefined;
        throw err;
      });
    return opening;
  };
  return {
    algorithm: 'sha256WithRSAEncryption',
    sign: async (data) => (await open()).sign(data),
    unlock: async () => {
      await open();
    },
  };
}
