import { generateKeyPairSync } from 'node:crypto';
import type { GeneratedKeyPair } from '../key-generator.js';
import type { KeygenEngine } from './engines.js';
import { createFips186KeyPairGenerator } from './fips186/rsa-key-pair.js';

/** A synchronous RSA-2048 key-pair maker for the given engine; meant to run inside a worker thread. */
export function keyPairMaker(engine: KeygenEngine): () => GeneratedKeyPair {
  if (engine === 'openssl') {
    return () => generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 });
  }
  return createFips186KeyPairGenerator();
}
