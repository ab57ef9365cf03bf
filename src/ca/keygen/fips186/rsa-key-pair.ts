import { createPrivateKey, createPublicKey, randomBytes, sign, verify } from 'node:crypto';
import type { GeneratedKeyPair } from '../../key-generator.js';
import {
  AuxiliaryPrimeFailure,
  type AuxiliaryPrimeSearch,
  auxiliaryPrimeFactors,
  PARAMETERS_BY_NLEN,
} from './auxiliary-primes.js';
import { bigIntToBytes, bitLength, gcd, modularInverse } from './big-integer.js';
import { defaultPowerEngine, type PowerEngine } from './power-engine.js';
import { ProgressionSieve } from './progression-sieve.js';
import { RandomBytes } from './random-bytes.js';

/** Odd primes below this bound are sieved out of the progressions of p and q (tuned by bench/keygen.ts). */
export const DEFAULT_SIEVE_BOUND = 65536;
/** The auxiliary primes are 141-bit: a short search, where a shallow sieve is already enough. */
export const DEFAULT_AUXILIARY_SIEVE_BOUND = 2048;

export const PUBLIC_EXPONENT = 65537n;

export interface Fips186Options {
  readonly nlen?: number;
  readonly sieveBound?: number;
  readonly auxiliarySieveBound?: number;
  /** How the Miller–Rabin exponentiations are done (power-engine.ts); the fastest available by default. */
  readonly powerEngine?: PowerEngine;
}

/** The numbers of an RSA private key, all checked against FIPS 186-5 before a key object is made. */
export interface RsaPrivateNumbers {
  readonly n: bigint;
  readonly e: bigint;
  readonly d: bigint;
  readonly p: bigint;
  readonly q: bigint;
  readonly dp: bigint;
  readonly dq: bigint;
  readonly qi: bigint;
}

/** Raised when a finished key fails a check; it is never released. */
export class KeyConsistencyError extends Error {
  override readonly name = 'KeyConsistencyError';
}

/**
 * RSA key pairs per FIPS 186-5: p and q from appendix A.1.6 (probable primes with conditions based on
 * auxiliary probable primes, auxiliary-primes.ts), e = 65537, d = e^−1 mod lcm(p − 1, q − 1) with
 * 2^(nlen/2) < d (otherwise new primes, as A.1.1 directs), the CRT values, and a pairwise consistency
 * test — a signature made with the new private key must verify with its public key — before the key pair
 * is returned.
 *
 * Why it is as strong as OpenSSL's generator, and faster:
 * - It is the method OpenSSL's own default generator uses for these keys (ossl_rsa_sp800_56b_generate_key:
 *   A.1.6 with 141-bit auxiliary primes for RSA-2048): every random value (Xp1, Xp2, Xp, …) comes from the
 *   CSPRNG (OpenSSL's DRBG, 256-bit strength ≥ the 112 bits RSA-2048 needs); p − 1 and p + 1 each have a
 *   prime factor of at least 141 bits, by construction.
 * - The Miller–Rabin test of B.3.1 with random bases runs the rounds table B.1 requires: 38 for the
 *   auxiliary primes, 5 for p and q (error probability ≤ 2^−100 each).
 * - The progression's terms with a factor below the sieve bound are skipped without a test; the test
 *   would reject them anyway, so the sieve changes the cost, never the prime B.9 returns for a given X.
 *   The sieve is what A.1.6 makes cheap: one set of residues per prime found rather than per candidate.
 * - The one expensive step, b^m mod w, is OpenSSL's own modular exponentiation (power-engine.ts): its BIGNUM
 *   functions called directly (openssl-bignum.ts), else through the raw RSA public operation. Where OpenSSL
 *   has paired code (AVX-512 IFMA), two of them run at once — the first rounds of two consecutive terms, or
 *   two rounds of one — for about the price of one; every round still has its own random base, and the
 *   prime returned is still the first term that passes all its rounds (miller-rabin.ts, firstProbablePrime).
 * - d, the CRT values and every structural condition are checked again on the finished numbers
 *   (checkNumbers) and the key is proven to work (pairwise test) before anyone sees it.
 * - Secret numbers exist as BigInts and short-lived buffers in the generating worker's heap, and in OpenSSL's
 *   memory while a candidate is tested (the BIGNUM engine wipes its copies with BN_clear_free once the
 *   candidate is decided; the fallback's key objects go with the garbage collector); the key leaves the
 *   worker as a KeyObject (native memory shared with the main thread), never as text.
 */
export function createFips186KeyPairGenerator(options: Fips186Options = {}): () => GeneratedKeyPair {
  const nlen = options.nlen ?? 2048;
  const parameters = PARAMETERS_BY_NLEN[nlen];
  if (parameters === undefined) throw new RangeError(`unsupported RSA key size ${nlen}`);
  let power = options.powerEngine;
  const search: AuxiliaryPrimeSearch = {
    nlen,
    e: PUBLIC_EXPONENT,
    parameters,
    sieve: new ProgressionSieve(options.sieveBound ?? DEFAULT_SIEVE_BOUND),
    auxiliarySieve: new ProgressionSieve(options.auxiliarySieveBound ?? DEFAULT_AUXILIARY_SIEVE_BOUND, 256),
    random: new RandomBytes(),
    // On the first key: loading koffi costs a worker thread ~15–25 ms of CPU, which one that never makes a key skips.
    get power() {
      power ??= defaultPowerEngine();
      return power;
    },
  };
  return () => {
    for (;;) {
      let factors: ReturnType<typeof auxiliaryPrimeFactors>;
      try {
        factors = auxiliaryPrimeFactors(search);
      } catch (err) {
        if (err instanceof AuxiliaryPrimeFailure) continue;
        throw err;
      }
      const numbers = privateNumbers(factors.p.value, factors.q.value, PUBLIC_EXPONENT);
      if (numbers.d <= 1n << BigInt(nlen / 2)) continue;
      checkNumbers(numbers, nlen);
      return keyPairFrom(numbers);
    }
  };
}

/** d, dP, dQ and qInv from the primes; q^−1 mod p by extended Euclid. */
export function privateNumbers(p: bigint, q: bigint, e: bigint): RsaPrivateNumbers {
  const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
  const d = modularInverse(e, lambda);
  return { n: p * q, e, d, p, q, dp: d % (p - 1n), dq: d % (q - 1n), qi: modularInverse(q, p) };
}

/** The conditions of FIPS 186-5 §5.1 / A.1.1 that the numbers themselves must meet. */
export function checkNumbers(k: RsaPrivateNumbers, nlen: number): void {
  const fail = (what: string) => {
    throw new KeyConsistencyError(`generated key fails: ${what}`);
  };
  const half = BigInt(nlen / 2);
  const lambda = ((k.p - 1n) * (k.q - 1n)) / gcd(k.p - 1n, k.q - 1n);
  if (k.e <= 1n << 16n || k.e >= 1n << 256n || (k.e & 1n) === 0n) fail('e odd, 2^16 < e < 2^256');
  if (bitLength(k.n) !== nlen || k.n !== k.p * k.q) fail('n = p·q of nlen bits');
  // p ≥ √2·2^(nlen/2 − 1) ⟺ p² ≥ 2^(nlen − 1).
  const sqrt2Bound = 1n << BigInt(nlen - 1);
  if (bitLength(k.p) !== nlen / 2 || bitLength(k.q) !== nlen / 2) fail('p and q of nlen/2 bits');
  if (k.p * k.p < sqrt2Bound || k.q * k.q < sqrt2Bound) fail('p, q ≥ √2·2^(nlen/2 − 1)');
  const distance = k.p > k.q ? k.p - k.q : k.q - k.p;
  if (distance <= 1n << (half - 100n)) fail('|p − q| > 2^(nlen/2 − 100)');
  if (gcd(k.e, k.p - 1n) !== 1n || gcd(k.e, k.q - 1n) !== 1n) fail('gcd(e, p − 1) = gcd(e, q − 1) = 1');
  if (k.d <= 1n << half || k.d >= lambda || (k.e * k.d) % lambda !== 1n) fail('2^(nlen/2) < d < λ, e·d ≡ 1 mod λ');
  if (k.dp !== k.d % (k.p - 1n) || k.dq !== k.d % (k.q - 1n) || k.qi >= k.p || (k.qi * k.q) % k.p !== 1n)
    fail('the CRT values');
}

function keyPairFrom(k: RsaPrivateNumbers): GeneratedKeyPair {
  const b64 = (x: bigint) => bigIntToBytes(x).toString('base64url');
  const privateKey = createPrivateKey({
    key: {
      kty: 'RSA',
      n: b64(k.n),
      e: b64(k.e),
      d: b64(k.d),
      p: b64(k.p),
      q: b64(k.q),
      dp: b64(k.dp),
      dq: b64(k.dq),
      qi: b64(k.qi),
    },
    format: 'jwk',
  });
  const publicKey = createPublicKey(privateKey);
  // Pairwise consistency test (FIPS 186-5 §5.1, SP 800-56B §6.4.1.1): sign with the new key, verify.
  const message = randomBytes(32);
  if (!verify('sha256', message, publicKey, sign('sha256', message, privateKey))) {
    throw new KeyConsistencyError('generated key fails the pairwise consistency test');
  }
  return { privateKey, publicKey };
}
