/**
 * Independent reference arithmetic for the FIPS 186-5 generator tests: plain BigInt modular
 * exponentiation and strong-probable-prime tests, a small-prime sieve by trial division, prime searches
 * near a target (sieved, then confirmed by OpenSSL's `checkPrimeSync`), and a scripted random source
 * that lets a test choose the candidates and Miller–Rabin bases the code under test draws.
 *
 * Nothing here imports the code under test except the RandomBytes class that ScriptedRandom extends
 * (so it can be passed where the generator expects one).
 */

import { checkPrimeSync, randomBytes } from 'node:crypto';
import type { CandidatePower, PowerEngine } from '../../../../src/ca/keygen/fips186/power-engine.js';
import { RandomBytes } from '../../../../src/ca/keygen/fips186/random-bytes.js';

export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n % modulus;
  let b = ((base % modulus) + modulus) % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

/** Whether odd n > 3 is a strong probable prime to base b (one Miller–Rabin round with a fixed base). */
export function isStrongProbablePrime(n: bigint, base: bigint): boolean {
  let d = n - 1n;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s++;
  }
  let x = modPow(base, d, n);
  if (x === 1n || x === n - 1n) return true;
  for (let i = 1; i < s; i++) {
    x = (x * x) % n;
    if (x === n - 1n) return true;
    if (x === 1n) return false;
  }
  return false;
}

/** Primes below `limit` (2 included) by trial division: slow, obviously right, used as an oracle. */
export function primesBelowByTrialDivision(limit: number): number[] {
  const primes: number[] = [];
  for (let n = 2; n < limit; n++) {
    let prime = true;
    for (const p of primes) {
      if (p * p > n) break;
      if (n % p === 0) {
        prime = false;
        break;
      }
    }
    if (prime) primes.push(n);
  }
  return primes;
}

export function bits(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

export function fromBase64Url(text: string | undefined): bigint {
  if (text === undefined) throw new Error('missing JWK member');
  return BigInt(`0x${Buffer.from(text, 'base64url').toString('hex')}`);
}

/** Unsigned big-endian bytes of x, exactly `length` long (reference encoder for fixtures). */
export function toBytes(x: bigint, length: number): Buffer {
  const hex = x.toString(16).padStart(length * 2, '0');
  if (hex.length > length * 2) throw new RangeError('does not fit');
  return Buffer.from(hex, 'hex');
}

/** A uniformly random integer of exactly `bitCount` bits (top bit set). */
export function randomBits(bitCount: number): bigint {
  const byteCount = Math.ceil(bitCount / 8);
  const raw = BigInt(`0x${randomBytes(byteCount).toString('hex')}`) >> BigInt(byteCount * 8 - bitCount);
  return raw | (1n << BigInt(bitCount - 1));
}

/** A uniformly random integer in [0, bound). */
export function randomBelow(bound: bigint): bigint {
  const byteCount = Math.ceil(bits(bound) / 8) + 8;
  return BigInt(`0x${randomBytes(byteCount).toString('hex')}`) % bound;
}

export function gcdReference(a: bigint, b: bigint): bigint {
  let [x, y] = [a < 0n ? -a : a, b < 0n ? -b : b];
  while (y) [x, y] = [y, x % y];
  return x;
}

const SIEVE_PRIMES = primesBelowByTrialDivision(1 << 14).slice(1);
const WINDOW = 8192;

/**
 * The first prime start + i·step (i = 0, 1, …) that satisfies `accept`, for an even step and odd start:
 * windows sieved by the odd primes below 2^14, survivors confirmed by checkPrimeSync (which costs ~2 ms
 * per 1024-bit composite, hence the sieve).
 */
export function primeInProgression(start: bigint, step: bigint, accept: (p: bigint) => boolean = () => true): bigint {
  if ((start & 1n) === 0n || (step & 1n) !== 0n) throw new RangeError('odd start and even step expected');
  let base = start;
  for (;;) {
    // composite[i] ⟺ base + i·step has a factor among SIEVE_PRIMES (and is larger than it).
    const composite = new Uint8Array(WINDOW);
    const lowest = step > 0n ? base : base + BigInt(WINDOW - 1) * step;
    for (const p of SIEVE_PRIMES) {
      const bp = BigInt(p);
      if (lowest <= bp || step % bp === 0n) continue;
      // base + i·step ≡ 0 (mod p) ⟺ i ≡ −base·step⁻¹ (mod p).
      const stepInverse = modPow(step, bp - 2n, bp);
      const first = Number((((-base % bp) + bp) * stepInverse) % bp);
      for (let i = first; i < WINDOW; i += p) composite[i] = 1;
    }
    for (let i = 0; i < WINDOW; i++) {
      if (composite[i]) continue;
      const candidate = base + BigInt(i) * step;
      if (candidate > 3n && checkPrimeSync(candidate) && accept(candidate)) return candidate;
    }
    base += BigInt(WINDOW) * step;
  }
}

/** The nearest prime to `start` in the given direction, `start` included, that satisfies `accept`. */
export function primeNear(
  start: bigint,
  direction: 'up' | 'down',
  accept: (p: bigint) => boolean = () => true,
): bigint {
  if (direction === 'up') return primeInProgression(start | 1n, 2n, accept);
  return primeInProgression((start & 1n) === 1n ? start : start - 1n, -2n, accept);
}

/**
 * A RandomBytes that hands out scripted byte strings first, one per `fill` call (each must have exactly
 * the requested length), and then either real random bytes (`afterScript: 'random'`) or an error.
 * `served` counts the scripted strings handed out, `extra` the calls served after the script ran out.
 */
export class ScriptedRandom extends RandomBytes {
  served = 0;
  extra = 0;
  private readonly script: Iterator<Buffer>;
  private readonly afterScript: 'random' | 'throw';

  constructor(script: Iterable<Buffer>, afterScript: 'random' | 'throw' = 'throw') {
    super();
    this.script = script[Symbol.iterator]();
    this.afterScript = afterScript;
  }

  override fill(target: Buffer): Buffer {
    const next = this.script.next();
    if (next.done) {
      if (this.afterScript === 'throw') throw new Error('scripted random source exhausted');
      this.extra++;
      return super.fill(target);
    }
    if (next.value.length !== target.length) {
      throw new Error(`scripted ${next.value.length} bytes, ${target.length} requested`);
    }
    next.value.copy(target);
    this.served++;
    return target;
  }
}

/** floor(√n), by bisection on the bits (slow and simple: an oracle for the implementation's Newton). */
export function isqrtReference(n: bigint): bigint {
  let root = 0n;
  for (let bit = BigInt(Math.ceil(bits(n) / 2)); bit >= 0n; bit--) {
    const next = root | (1n << bit);
    if (next * next <= n) root = next;
  }
  return root;
}

/**
 * An engine that claims pairs at every size and counts its calls: the paired code paths run (and can be
 * counted) whatever the processor, on the engine's own arithmetic (which does a pair one after the other
 * where it has no paired code).
 */
export class CountingEngine implements PowerEngine {
  readonly name: string;
  singles = 0;
  pairsDone = 0;
  prepared = 0;
  released = 0;

  constructor(
    private readonly inner: PowerEngine,
    private readonly paired = true,
  ) {
    this.name = `${inner.name}, ${paired ? 'paired at every size' : 'never paired'}, counted`;
  }

  prepare(modulus: Buffer, exponent: Buffer): CandidatePower {
    const power = this.inner.prepare(modulus, exponent);
    this.prepared++;
    return {
      modulusBytes: power.modulusBytes,
      power: (base) => {
        this.singles++;
        return power.power(base);
      },
      release: () => {
        this.released++;
        power.release();
      },
      inner: power,
    } as CandidatePower;
  }

  pairs(): boolean {
    return this.paired;
  }

  powerPair(first: CandidatePower, firstBase: Buffer, second: CandidatePower, secondBase: Buffer): [Buffer, Buffer] {
    this.pairsDone++;
    const unwrap = (p: CandidatePower) => (p as CandidatePower & { inner: CandidatePower }).inner;
    return this.inner.powerPair(unwrap(first), firstBase, unwrap(second), secondBase);
  }
}
