import { generateKeyPairSync } from 'node:crypto';
import type { GeneratedKeyPair } from '../key-generator.js';
import { createFips186KeyPairGenerator } from './fips186/rsa-key-pair.js';

/**
 * How RSA-2048 key pairs are made. `fips186-5` is fleetca's own generator (FIPS 186-5 A.1.6: auxiliary
 * primes, a sieved stepped search, native Miller–Rabin; see fips186/); `openssl` is Node's
 * `generateKeyPair`, i.e. the OpenSSL bundled with Node (3.0 on Node 20: 64 Miller–Rabin rounds per prime;
 * 3.5 on Node 22/24/26: A.1.6 with table B.1's rounds and light trial division). fips186-5 is the default
 * on every runtime because it measured faster on each (bench/keygen.ts: ~5× on Node 20, ~1.3–1.5× on 24).
 */
export const KEYGEN_ENGINES = ['fips186-5', 'openssl'] as const;
export type KeygenEngine = (typeof KEYGEN_ENGINES)[number];
export const DEFAULT_KEYGEN_ENGINE: KeygenEngine = 'fips186-5';

export function isKeygenEngine(value: unknown): value is KeygenEngine {
  return typeof value === 'string' && (KEYGEN_ENGINES as readonly string[]).includes(value);
}

/** A synchronous RSA-2048 key-pair maker for the given engine; meant to run inside a worker thread. */
export function keyPairMaker(engine: KeygenEngine): () => GeneratedKeyPair {
  if (engine === 'openssl') {
    return () => generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 });
  }
  return createFips186KeyPairGenerator();
}
