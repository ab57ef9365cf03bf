/**
 * How RSA-2048 key pairs are made. `fips186-5` is fleetca's own generator (FIPS 186-5 A.1.6: auxiliary
 * primes, a sieved stepped search, native Miller–Rabin; see fips186/); `openssl` is Node's
 * `generateKeyPair`, i.e. the OpenSSL bundled with Node (3.0 on Node 20: 64 Miller–Rabin rounds per prime;
 * 3.5 on Node 22/24/26: A.1.6 with table B.1's rounds and light trial division). fips186-5 is the default
 * on every runtime because it measured faster on each (bench/keygen.ts: ~10× on Node 20, ~2.6× on 24 where OpenSSL
 * pairs exponentiations with AVX-512 IFMA, ~1.5× on 24 where it does not).
 * Only the names live here: the generators themselves load in the worker threads (`key-pair-maker.ts`), never on
 * the main thread, which a one-shot command that makes no key does not pay for.
 */
export const KEYGEN_ENGINES = ['fips186-5', 'openssl'] as const;
export type KeygenEngine = (typeof KEYGEN_ENGINES)[number];
export const DEFAULT_KEYGEN_ENGINE: KeygenEngine = 'fips186-5';

export function isKeygenEngine(value: unknown): value is KeygenEngine {
  return typeof value === 'string' && (KEYGEN_ENGINES as readonly string[]).includes(value);
}
