import { bigIntToBytes, bytesToBigInt, gcd, integerSquareRoot } from './big-integer.js';
import { millerRabin } from './miller-rabin.js';
import type { RandomBytes } from './random-bytes.js';
import type { TrialDivision } from './trial-division.js';

/** One prime factor: its value and its big-endian bytes (exactly nlen/2 bits, no leading zero). */
export interface PrimeFactor {
  readonly value: bigint;
  readonly bytes: Buffer;
}

export interface PrimeSearch {
  /** Bit length of the modulus n. */
  readonly nlen: number;
  readonly e: bigint;
  /** Miller–Rabin rounds (FIPS 186-5 table B.1). */
  readonly rounds: number;
  readonly trialDivision: TrialDivision;
  readonly random: RandomBytes;
}

/** Raised when A.1.3 gives up (5·nlen/2 or 10·nlen/2 candidates without a prime); the caller starts over. */
export class PrimeSearchFailure extends Error {
  override readonly name = 'PrimeSearchFailure';
}

/**
 * FIPS 186-5 appendix A.1.3, step 4 (p) or, given p, step 5 (q): random probable primes.
 *
 * Each candidate is a fresh nlen/2-bit string from the CSPRNG (node's randomFill, OpenSSL's DRBG),
 * made odd, and rejected unless ≥ √2·2^(nlen/2 − 1); for q also unless |p − q| > 2^(nlen/2 − 100). Then
 * gcd(candidate − 1, e) = 1 and the primality test. Trial division by small primes runs first as part of
 * that test: it only ever declares composite numbers that are composite, so the primes returned are
 * distributed exactly as the standard's loop would return them. The top bit is set on the raw string
 * because a string without it can never pass the √2 bound; conditioning on it leaves the distribution of
 * accepted candidates unchanged.
 */
export function randomProbablePrime(search: PrimeSearch, p?: PrimeFactor): PrimeFactor {
  const bytes = search.nlen / 16;
  const half = BigInt(search.nlen / 2);
  const floorBound = bigIntToBytes(integerSquareRoot(1n << (2n * half - 1n)), bytes);
  const minimumDistance = 1n << (half - 100n);
  const limit = (p ? 10 : 5) * (search.nlen / 2);
  const smallE = search.e < 2n ** 29n ? Number(search.e) : undefined;
  const candidate = Buffer.alloc(bytes);

  for (let i = 0; i < limit; ) {
    search.random.fill(candidate);
    candidate[0] = (candidate[0] as number) | 0x80;
    candidate[bytes - 1] = (candidate[bytes - 1] as number) | 1;
    // p ≥ √2·2^(nlen/2−1) ⟺ p > ⌊√(2^(nlen−1))⌋, the square root being irrational.
    if (candidate.compare(floorBound) <= 0) continue;
    if (p && !farEnough(p, candidate, minimumDistance)) continue;
    i++;
    if (!coprimeToE(search, smallE, candidate)) continue;
    if (search.trialDivision.hasSmallFactor(candidate)) continue;
    const value = bytesToBigInt(candidate);
    if (millerRabin(candidate, value, search.rounds, search.random)) return { value, bytes: Buffer.from(candidate) };
  }
  throw new PrimeSearchFailure(`no probable prime among ${limit} candidates`);
}

/** gcd(candidate − 1, e) = 1; in plain numbers from the candidate's residue when e is small (65537). */
function coprimeToE(search: PrimeSearch, smallE: number | undefined, candidate: Buffer): boolean {
  if (smallE === undefined) return gcd(bytesToBigInt(candidate) - 1n, search.e) === 1n;
  let a = (search.trialDivision.residue(candidate, smallE) + smallE - 1) % smallE;
  let b = smallE;
  while (b !== 0) [a, b] = [b, a % b];
  return a === 1;
}

/** |p − q| > 2^(nlen/2 − 100); decided on the top 48 bits unless they are within one of each other. */
function farEnough(p: PrimeFactor, q: Buffer, minimumDistance: bigint): boolean {
  const top = (bytes: Buffer) => bytes.readUIntBE(0, 6);
  if (Math.abs(top(p.bytes) - top(q)) > 1) return true;
  const distance = p.value - bytesToBigInt(q);
  return (distance < 0n ? -distance : distance) > minimumDistance;
}
