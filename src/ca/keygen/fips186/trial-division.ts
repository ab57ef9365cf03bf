import { oddPrimesBelow } from './small-primes.js';

/**
 * Limbs of 16 bits, moduli below 2^29: a limb times a precomputed 2^(16·i) mod m stays below 2^45, so
 * the sum of up to 128 such products (a 2048-bit candidate) is still an exact double. One pass of
 * multiply-adds and a single remainder give the candidate's residue — no reduction inside the loop.
 */
const LIMB_BITS = 16;
const MAX_MODULUS = 2 ** 29;
const MAX_LIMBS = 128;

interface DivisorGroup {
  /** The product of `primes`, below 2^29. */
  readonly modulus: number;
  /** 2^(16·i) mod modulus for limb i counted from the least significant end. */
  readonly weights: Float64Array;
  readonly primes: readonly number[];
}

/**
 * Trial division of a candidate by every odd prime below a bound. It only ever rejects numbers that are
 * certainly composite, so it changes how fast candidates are discarded, not which numbers are accepted.
 * The primes are packed into products below 2^29, smallest first: two thirds of random odd numbers are
 * gone after the first product.
 */
export class TrialDivision {
  readonly primeBound: number;
  private readonly groups: readonly DivisorGroup[];
  private readonly limbs = new Float64Array(MAX_LIMBS);
  private readonly weightsByModulus = new Map<number, Float64Array>();

  constructor(primeBound: number) {
    this.primeBound = primeBound;
    this.groups = packPrimes(oddPrimesBelow(primeBound));
  }

  /** Whether some odd prime below the bound divides the candidate (big-endian, up to 2048 bits, > the bound). */
  hasSmallFactor(candidate: Uint8Array): boolean {
    const count = this.readLimbs(candidate);
    for (const group of this.groups) {
      const residue = reduce(weightedSum(this.limbs, group.weights, count), group.modulus) | 0;
      const primes = group.primes;
      for (let i = 0; i < primes.length; i++) if (residue % (primes[i] as number) === 0) return true;
    }
    return false;
  }

  /** The candidate modulo m (2 ≤ m < 2^29). */
  residue(candidate: Uint8Array, m: number): number {
    if (!Number.isInteger(m) || m < 2 || m >= MAX_MODULUS) throw new RangeError(`modulus out of range: ${m}`);
    let weights = this.weightsByModulus.get(m);
    if (!weights) {
      weights = limbWeights(m);
      this.weightsByModulus.set(m, weights);
    }
    return reduce(weightedSum(this.limbs, weights, this.readLimbs(candidate)), m);
  }

  /** Limbs from the least significant end, zero-padded to a multiple of four. */
  private readLimbs(candidate: Uint8Array): number {
    const count = Math.ceil(candidate.length / 8) * 4;
    if (count > MAX_LIMBS) throw new RangeError('candidate too long for trial division');
    const limbs = this.limbs;
    limbs.fill(0, 0, count);
    let at = candidate.length - 1;
    for (let i = 0; at >= 0; i++, at -= 2) {
      limbs[i] = at > 0 ? (candidate[at - 1] as number) * 256 + (candidate[at] as number) : (candidate[at] as number);
    }
    return count;
  }
}

function weightedSum(limbs: Float64Array, weights: Float64Array, count: number): number {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  for (let i = 0; i < count; i += 4) {
    a += (limbs[i] as number) * (weights[i] as number);
    b += (limbs[i + 1] as number) * (weights[i + 1] as number);
    c += (limbs[i + 2] as number) * (weights[i + 2] as number);
    d += (limbs[i + 3] as number) * (weights[i + 3] as number);
  }
  return a + b + c + d;
}

/** x mod m for an exact double x < 2^53; a floating quotient is off by at most one, corrected here. */
function reduce(x: number, m: number): number {
  const r = x - Math.floor(x / m) * m;
  return r < 0 ? r + m : r >= m ? r - m : r;
}

function limbWeights(modulus: number): Float64Array {
  const weights = new Float64Array(MAX_LIMBS);
  let weight = 1 % modulus;
  for (let i = 0; i < MAX_LIMBS; i++) {
    weights[i] = weight;
    weight = (weight * 2 ** LIMB_BITS) % modulus;
  }
  return weights;
}

function packPrimes(primes: readonly number[]): DivisorGroup[] {
  const groups: DivisorGroup[] = [];
  let members: number[] = [];
  let product = 1;
  const flush = () => {
    if (members.length > 0) groups.push({ modulus: product, weights: limbWeights(product), primes: members });
    members = [];
    product = 1;
  };
  for (const prime of primes) {
    if (product * prime >= MAX_MODULUS) flush();
    members.push(prime);
    product *= prime;
  }
  flush();
  return groups;
}
