import { bitLength, bytesToBigInt, gcd, integerSquareRoot, modularInverse } from './big-integer.js';
import { firstProbablePrime } from './miller-rabin.js';
import type { PowerEngine } from './power-engine.js';
import { type ProgressionSieve, SievedTerms } from './progression-sieve.js';
import type { RandomBytes } from './random-bytes.js';

/**
 * FIPS 186-5 table A.1 (auxiliary primes of probable primes: each longer than the minimum, the two of a
 * factor together shorter than the maximum) and table B.1 (Miller–Rabin rounds for an error probability
 * of at most 2^−100: for the auxiliary primes, and for p and q).
 */
export interface AuxiliaryPrimeParameters {
  readonly auxiliaryBits: number;
  readonly maxAuxiliarySum: number;
  readonly auxiliaryRounds: number;
  readonly primeRounds: number;
}

export const PARAMETERS_BY_NLEN: Readonly<Record<number, AuxiliaryPrimeParameters>> = {
  2048: { auxiliaryBits: 141, maxAuxiliarySum: 1007, auxiliaryRounds: 38, primeRounds: 5 },
  3072: { auxiliaryBits: 171, maxAuxiliarySum: 1518, auxiliaryRounds: 41, primeRounds: 4 },
  4096: { auxiliaryBits: 201, maxAuxiliarySum: 2030, auxiliaryRounds: 44, primeRounds: 4 },
};

export interface AuxiliaryPrimeSearch {
  readonly nlen: number;
  readonly e: bigint;
  readonly parameters: AuxiliaryPrimeParameters;
  /** Sieves the progressions of p and q (step 2·r1·r2). */
  readonly sieve: ProgressionSieve;
  /** Sieves the odd numbers from Xp1, Xp2, … (step 2); a shallower bound suits those short numbers. */
  readonly auxiliarySieve: ProgressionSieve;
  readonly random: RandomBytes;
  /** The exponentiations of the Miller–Rabin rounds. */
  readonly power: PowerEngine;
}

/** A prime factor of n with what it was made from: its auxiliary primes (r1 | Y − 1, r2 | Y + 1) and X. */
export interface ConditionalPrime {
  readonly value: bigint;
  readonly x: bigint;
  readonly r1: bigint;
  readonly r2: bigint;
}

/** B.9 gave up (20·nlen/2 terms without a prime, or gcd(2r1, r2) ≠ 1); the caller starts the key over. */
export class AuxiliaryPrimeFailure extends Error {
  override readonly name = 'AuxiliaryPrimeFailure';
}

/**
 * FIPS 186-5 appendix A.1.6, steps 4 and 5: p and q from auxiliary probable primes, redrawing q (with new
 * auxiliary primes) until |p − q| and |Xp − Xq| both exceed 2^(nlen/2 − 100).
 */
export function auxiliaryPrimeFactors(search: AuxiliaryPrimeSearch): { p: ConditionalPrime; q: ConditionalPrime } {
  const p = primeWithAuxiliaries(search);
  const minimumDistance = 1n << BigInt(search.nlen / 2 - 100);
  const abs = (x: bigint) => (x < 0n ? -x : x);
  for (;;) {
    const q = primeWithAuxiliaries(search);
    if (abs(p.value - q.value) > minimumDistance && abs(p.x - q.x) > minimumDistance) return { p, q };
  }
}

/** Steps 4.1–4.3 (or 5.1–5.3): two auxiliary primes of the minimum length, then the prime from them. */
export function primeWithAuxiliaries(search: AuxiliaryPrimeSearch): ConditionalPrime {
  const { auxiliaryBits, maxAuxiliarySum } = search.parameters;
  const r1 = firstProbablePrimeFrom(search, randomOdd(search.random, auxiliaryBits));
  const r2 = firstProbablePrimeFrom(search, randomOdd(search.random, auxiliaryBits));
  // Table A.1's maximum only binds if a search ran past a power of two; it cannot at these sizes, but is the rule.
  if (bitLength(r1) + bitLength(r2) >= maxAuxiliarySum) throw new AuxiliaryPrimeFailure('auxiliary primes too long');
  return primeFromAuxiliaries(search, r1, r2);
}

/** Step 4.2: the first integer ≥ x (odd) that passes Miller–Rabin with table B.1's auxiliary rounds. */
export function firstProbablePrimeFrom(search: AuxiliaryPrimeSearch, x: bigint): bigint {
  const terms = new SievedTerms(search.auxiliarySieve, x, 2n);
  const prime = firstProbablePrime(terms.next, search.parameters.auxiliaryRounds, search.random, search.power);
  if (prime === undefined) throw new Error('an unbounded search ended'); // unreachable: there is always a next prime
  return prime;
}

/**
 * Appendix B.9, "compute a probable prime factor based on auxiliary primes": Y ≡ 1 (mod 2r1), Y ≡ −1
 * (mod r2), from a random X in [√2·2^(nlen/2 − 1), 2^(nlen/2) − 1] upwards in steps of 2·r1·r2, the first
 * Y with gcd(Y − 1, e) = 1 that passes Miller–Rabin. The sieve discards the terms with a small factor, which
 * the primality test would reject anyway, so it changes the cost and never the result; so does testing two
 * terms at once (firstProbablePrime), which still returns the first term that passes.
 */
export function primeFromAuxiliaries(search: AuxiliaryPrimeSearch, r1: bigint, r2: bigint): ConditionalPrime {
  const { nlen, e, sieve, random } = search;
  // Step 1, and step 2: R by the Chinese remainder theorem.
  if (gcd(2n * r1, r2) !== 1n) throw new AuxiliaryPrimeFailure('gcd(2r1, r2) ≠ 1');
  const step = 2n * r1 * r2;
  const crt = modularInverse(r2, 2n * r1) * r2 - modularInverse(2n * r1, r2) * 2n * r1;
  const R = ((crt % step) + step) % step;
  const half = nlen / 2;
  const limit = 1n << BigInt(half);
  const floorBound = integerSquareRoot(1n << BigInt(nlen - 1));
  const maxTerms = 20 * half;
  const bytes = half / 8;
  for (;;) {
    // Step 3: X uniform in the range (a random half-length string with its top bit set, redrawn below √2).
    const x = randomInRange(random, bytes, floorBound);
    // Step 4: Y = X + ((R − X) mod 2r1r2), then steps 5–10 over Y, Y + 2r1r2, … up to 2^(nlen/2) (step 6).
    const first = x + ((((R - x) % step) + step) % step);
    const terms = new SievedTerms(sieve, first, step, limit, maxTerms);
    const coprime = () => {
      for (let y = terms.next(); y !== undefined; y = terms.next()) if (gcd(y - 1n, e) === 1n) return y;
      return undefined;
    };
    const y = firstProbablePrime(coprime, search.parameters.primeRounds, random, search.power);
    if (y !== undefined) return { value: y, x, r1, r2 };
    if (terms.exhausted) throw new AuxiliaryPrimeFailure(`no probable prime among ${maxTerms} terms`);
    // Past 2^(nlen/2): a new X.
  }
}

function randomOdd(random: RandomBytes, bitCount: number): bigint {
  const buffer = random.fill(Buffer.alloc(Math.ceil(bitCount / 8)));
  const value = bytesToBigInt(buffer) >> BigInt(buffer.length * 8 - bitCount);
  buffer.fill(0);
  return value | (1n << BigInt(bitCount - 1)) | 1n;
}

/** Uniform in (floorBound, 2^(8·bytes)): the top bit set, redrawn at or below ⌊√2·2^(8·bytes − 1)⌋. */
function randomInRange(random: RandomBytes, bytes: number, floorBound: bigint): bigint {
  const buffer = Buffer.alloc(bytes);
  for (;;) {
    random.fill(buffer);
    buffer[0] = (buffer[0] as number) | 0x80;
    const x = bytesToBigInt(buffer);
    if (x > floorBound) {
      buffer.fill(0);
      return x;
    }
  }
}
