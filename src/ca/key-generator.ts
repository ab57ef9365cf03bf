import type { KeyObject } from 'node:crypto';

export interface GeneratedKeyPair {
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
}

/**
 * Where fresh RSA-2048 key pairs come from. Injected, so the engine behind it (worker threads, a key
 * pool in front of them; see keygen/) can change without touching the operations.
 */
export interface KeyPairGenerator {
  generate(): Promise<GeneratedKeyPair>;
  close(): Promise<void>;
}
