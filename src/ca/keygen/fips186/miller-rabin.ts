import { bigIntToBytes } from './big-integer.js';
import { type CandidatePower, defaultPowerEngine, type PowerEngine } from './power-engine.js';
import { RandomBytes } from './random-bytes.js';

/**
 * The Miller–Rabin probabilistic primality test of FIPS 186-5 appendix B.3.1, for an odd w > 3 given
 * as big-endian bytes without a leading zero. Bases are drawn from the CSPRNG, wlen bits at a time, and
 * redrawn unless 1 < b < w − 1, as the standard says. The one expensive step per round, b^m mod w, is
 * done natively (power-engine.ts); the few squarings that may follow are cheap in BigInt.
 *
 * Returns true for "probably prime" and false for "composite".
 */
export function millerRabin(
  wBytes: Buffer,
  w: bigint,
  rounds: number,
  random = new RandomBytes(),
  engine = defaultPowerEngine(),
): boolean {
  const candidate = new MillerRabinCandidate(wBytes, w, engine);
  try {
    return roundsPass(candidate, rounds, random, engine);
  } finally {
    candidate.release();
  }
}

/**
 * The first of the candidates `next` yields, in order, that passes `rounds` rounds of B.3.1; undefined once
 * `next` has none left. The answer is the one testing them one after the other gives — every candidate
 * before it is composite by a witness of its own, each round draws its own base — but where the engine does
 * two exponentiations for the price of one, the first rounds of two consecutive candidates run together
 * (almost every candidate is composite and fails there), and a candidate's further rounds two at a time.
 */
export function firstProbablePrime(
  next: () => bigint | undefined,
  rounds: number,
  random: RandomBytes,
  engine: PowerEngine,
): bigint | undefined {
  for (;;) {
    const w = next();
    if (w === undefined) return undefined;
    const first = MillerRabinCandidate.of(w, engine);
    try {
      if (!engine.pairs(first.bits)) {
        if (roundsPass(first, rounds, random, engine)) return w;
        continue;
      }
      const v = next();
      if (v === undefined) return roundsPass(first, rounds, random, engine) ? w : undefined;
      const second = MillerRabinCandidate.of(v, engine);
      try {
        if (second.bits !== first.bits) {
          if (roundsPass(first, rounds, random, engine)) return w;
          if (roundsPass(second, rounds, random, engine)) return v;
          continue;
        }
        const [x, y] = engine.powerPair(first.power, first.drawBase(random), second.power, second.drawBase(random));
        if (first.passes(x) && roundsPass(first, rounds - 1, random, engine)) return w;
        if (second.passes(y) && roundsPass(second, rounds - 1, random, engine)) return v;
      } finally {
        second.release();
      }
    } finally {
      first.release();
    }
  }
}

/** `rounds` rounds on one candidate (two at a time where the engine pairs), up to the first witness. */
function roundsPass(
  candidate: MillerRabinCandidate,
  rounds: number,
  random: RandomBytes,
  engine: PowerEngine,
): boolean {
  const paired = engine.pairs(candidate.bits);
  for (let left = rounds; left > 0; ) {
    if (paired && left >= 2) {
      const { power } = candidate;
      const [x, y] = engine.powerPair(power, candidate.drawBase(random), power, candidate.drawBase(random));
      if (!candidate.passes(x) || !candidate.passes(y)) return false;
      left -= 2;
    } else {
      if (!candidate.passes(candidate.power.power(candidate.drawBase(random)))) return false;
      left -= 1;
    }
  }
  return true;
}

/** One w under test, set up once for all its rounds: B.3.1 steps 1–3 (w − 1 = 2^a·m) and m's exponentiation. */
export class MillerRabinCandidate {
  readonly bits: number;
  readonly power: CandidatePower;
  private readonly w: bigint;
  private readonly wMinus1: bigint;
  private readonly a: number;
  private readonly one: Buffer;
  private readonly minusOne: Buffer;
  private readonly topBits: number;

  static of(w: bigint, engine: PowerEngine): MillerRabinCandidate {
    return new MillerRabinCandidate(bigIntToBytes(w), w, engine);
  }

  constructor(wBytes: Buffer, w: bigint, engine: PowerEngine) {
    if (w <= 3n || (w & 1n) === 0n) throw new RangeError('Miller–Rabin needs an odd w > 3');
    this.w = w;
    this.wMinus1 = w - 1n;
    let a = 0;
    let m = this.wMinus1;
    while ((m & 1n) === 0n) {
      m >>= 1n;
      a++;
    }
    this.a = a;
    const length = wBytes.length;
    this.minusOne = bigIntToBytes(this.wMinus1, length);
    this.one = bigIntToBytes(1n, length);
    this.topBits = bitsInTopByte(wBytes);
    this.bits = 8 * (length - 1) + this.topBits;
    this.power = engine.prepare(wBytes, bigIntToBytes(m));
  }

  /** Steps 4.1–4.2: a random wlen-bit b with 1 < b < w − 1. */
  drawBase(random: RandomBytes): Buffer {
    const base = Buffer.alloc(this.one.length);
    do {
      random.fill(base);
      base[0] = (base[0] as number) & (0xff >> (8 - this.topBits));
    } while (base.compare(this.one) <= 0 || base.compare(this.minusOne) >= 0);
    return base;
  }

  /** Steps 4.4–4.7 given z = b^m mod w (step 4.3): whether w survives this round. */
  passes(first: Buffer): boolean {
    if (first.equals(this.one) || first.equals(this.minusOne)) return true;
    // Step 4.5: square up to a − 1 times looking for w − 1.
    let z = BigInt(`0x${first.toString('hex')}`);
    for (let j = 1; j < this.a; j++) {
      z = (z * z) % this.w;
      if (z === this.wMinus1) return true;
      if (z === 1n) return false;
    }
    return false;
  }

  release(): void {
    this.power.release();
  }
}

function bitsInTopByte(bytes: Buffer): number {
  const top = bytes[0] as number;
  return top === 0 ? 8 : 32 - Math.clz32(top);
}
