import { oddPrimesBelow } from './small-primes.js';

/** Above this, r·2^32 + limb (r < s) would no longer be an exact double. */
const MAX_PRIME_BOUND = 2 ** 20;
const LIMB = 2 ** 32;

/**
 * A sieve of Eratosthenes over an arithmetic progression start + i·step (i = 0, 1, 2, …), one window of
 * terms at a time: it marks the terms that some odd prime s below the bound divides.
 *
 * Per prime, the work is done once per progression: the residues of start and step, then the first index
 * where s divides a term, i ≡ −start·step⁻¹ (mod s); after that the multiples of s fall every s terms, so
 * each window costs only the marks. That is what makes stepping cheap: a random search pays the residues
 * of every candidate, a stepped one once per prime found.
 *
 * Marking only ever says "divisible by a small prime", so it rejects composites and nothing else, as long
 * as every term is larger than the bound (the caller's progressions start far above it).
 */
export class ProgressionSieve {
  readonly primeBound: number;
  readonly windowLength: number;
  private readonly table: PrimeTable;
  /** Per prime: index of its next multiple, counted from the start of the next window (∞: never). */
  private readonly nextHit: Float64Array;
  private readonly composite: Uint8Array;
  private readonly startResidues: Float64Array;
  private readonly stepResidues: Float64Array;
  private started = false;

  constructor(primeBound: number, windowLength = 2048) {
    if (!Number.isInteger(primeBound) || primeBound < 3 || primeBound > MAX_PRIME_BOUND) {
      throw new RangeError(`sieve bound must be an integer in [3, 2^20]: ${primeBound}`);
    }
    this.primeBound = primeBound;
    this.windowLength = windowLength;
    this.table = primeTable(Int32Array.from(oddPrimesBelow(primeBound)));
    const primeCount = this.table.primes.length;
    this.nextHit = new Float64Array(primeCount);
    this.composite = new Uint8Array(windowLength);
    this.startResidues = new Float64Array(primeCount);
    this.stepResidues = new Float64Array(primeCount);
  }

  /** Begins the progression start + i·step; start > the bound, step > 0. */
  start(start: bigint, step: bigint): void {
    if (start <= BigInt(this.primeBound) || step <= 0n) throw new RangeError('start above the bound, step > 0');
    const startLimbs = limbsOf(start);
    const stepLimbs = limbsOf(step);
    const { table, nextHit } = this;
    const { primes, reciprocals } = table;
    const starts = this.startResidues;
    const steps = this.stepResidues;
    residues(startLimbs, table, starts);
    residues(stepLimbs, table, steps);
    for (let k = 0; k < primes.length; k++) {
      const s = primes[k] as number;
      const inverse = reciprocals[k] as number;
      const r = starts[k] as number;
      const m = steps[k] as number;
      if (m === 0) {
        // s divides the step: it divides every term or none.
        if (r === 0) throw new RangeError(`every term of the progression is divisible by ${s}`);
        nextHit[k] = Number.POSITIVE_INFINITY;
        continue;
      }
      // r + i·m ≡ 0 ⟺ i ≡ (s − r)·m⁻¹ (mod s); the product stays below 2^40, exact.
      const product = (r === 0 ? 0 : s - r) * inverseModulo(m, s);
      let hit = product - Math.floor(product * inverse) * s;
      if (hit >= s) hit -= s;
      else if (hit < 0) hit += s;
      nextHit[k] = hit;
    }
    this.started = true;
  }

  /**
   * The marks for the next windowLength terms: composite[i] = 1 when term (window start + i) has an odd
   * prime factor below the bound. The array is reused by the next call.
   */
  nextWindow(): Uint8Array {
    if (!this.started) throw new Error('start() the progression first');
    const { nextHit, composite, windowLength } = this;
    const { primes } = this.table;
    composite.fill(0);
    for (let k = 0; k < primes.length; k++) {
      const s = primes[k] as number;
      let at = nextHit[k] as number;
      for (; at < windowLength; at += s) composite[at] = 1;
      nextHit[k] = at - windowLength;
    }
    return composite;
  }
}

/**
 * The terms of start + i·step that a sieve leaves, one at a time and in order: next() gives the next one,
 * or undefined once a term reaches `limit` or `maxTerms` terms (sieved ones included) have gone by, which
 * `exhausted` then tells apart.
 */
export class SievedTerms {
  private window: Uint8Array;
  private index = 0;
  private base: bigint;
  private counted = 0;
  exhausted = false;

  constructor(
    private readonly sieve: ProgressionSieve,
    start: bigint,
    private readonly step: bigint,
    private readonly limit?: bigint,
    private readonly maxTerms = Number.POSITIVE_INFINITY,
  ) {
    sieve.start(start, step);
    this.base = start;
    this.window = sieve.nextWindow();
  }

  readonly next = (): bigint | undefined => {
    for (;;) {
      if (this.counted >= this.maxTerms) {
        this.exhausted = true;
        return undefined;
      }
      if (this.index === this.window.length) {
        this.base += BigInt(this.window.length) * this.step;
        this.window = this.sieve.nextWindow();
        this.index = 0;
      }
      const i = this.index++;
      this.counted++;
      if (this.window[i]) continue;
      const term = this.base + BigInt(i) * this.step;
      return this.limit === undefined || term < this.limit ? term : undefined;
    }
  };
}

/** 32-bit limbs of a non-negative integer, most significant first, as doubles. */
export function limbsOf(x: bigint): Float64Array {
  let hex = x.toString(16);
  const count = Math.ceil(hex.length / 8);
  hex = hex.padStart(count * 8, '0');
  const limbs = new Float64Array(count);
  for (let i = 0; i < count; i++) limbs[i] = Number.parseInt(hex.slice(i * 8, i * 8 + 8), 16);
  return limbs;
}

/** x mod s by Horner's rule; a floating quotient is off by at most one, corrected each step. */
function residue(limbs: Float64Array, s: number, inverse: number): number {
  let r = 0;
  for (let i = 0; i < limbs.length; i++) {
    const x = r * LIMB + (limbs[i] as number);
    r = x - Math.floor(x * inverse) * s;
    if (r < 0) r += s;
    else if (r >= s) r -= s;
  }
  return r;
}

/** Per sieve prime s: s, 1/s, 2^32 mod s and 2^64 mod s, for residues two limbs at a time. */
export interface PrimeTable {
  readonly primes: Int32Array;
  readonly reciprocals: Float64Array;
  readonly limbResidues: Float64Array;
  readonly pairResidues: Float64Array;
}

export function primeTable(primes: Int32Array): PrimeTable {
  const reciprocals = Float64Array.from(primes, (s) => 1 / s);
  // Exact: 2^32 − ⌊2^32/s⌋·s < s, and (2^32 mod s)² < 2^40.
  const limbResidues = Float64Array.from(primes, (s) => LIMB - Math.floor(LIMB / s) * s);
  const pairResidues = Float64Array.from(limbResidues, (c, k) => (c * c) % (primes[k] as number));
  return { primes, reciprocals, limbResidues, pairResidues };
}

/**
 * x mod s for every prime, four primes at a time and two limbs per step. One Horner chain is bound by the
 * latency of its floating-point steps, so four independent chains keep the processor's units busy (~3×
 * faster than one), and each step takes in two limbs, r ← r·(2^64 mod s) + hi·(2^32 mod s) + lo, which
 * halves the steps (~2× again; hi·(2^32 mod s) + lo is off the chain). Within a chain the remainder is
 * reduced lazily: the floating quotient may be off by one, leaving r in [−s, 2s); with s < 2^20 every term
 * stays below 2^53 in magnitude (|r|·(2^64 mod s) < 2^41, hi·(2^32 mod s) < 2^52, lo < 2^32), so every step
 * is exact, and one correction at the end brings r into [0, s).
 */
export function residues(limbs: Float64Array, table: PrimeTable, out: Float64Array): void {
  const { primes, reciprocals, limbResidues, pairResidues } = table;
  const count = primes.length;
  const odd = limbs.length % 2;
  const top = odd ? (limbs[0] as number) : 0;
  let k = 0;
  for (; k + 3 < count; k += 4) {
    const s0 = primes[k] as number;
    const s1 = primes[k + 1] as number;
    const s2 = primes[k + 2] as number;
    const s3 = primes[k + 3] as number;
    const i0 = reciprocals[k] as number;
    const i1 = reciprocals[k + 1] as number;
    const i2 = reciprocals[k + 2] as number;
    const i3 = reciprocals[k + 3] as number;
    const a0 = limbResidues[k] as number;
    const a1 = limbResidues[k + 1] as number;
    const a2 = limbResidues[k + 2] as number;
    const a3 = limbResidues[k + 3] as number;
    const b0 = pairResidues[k] as number;
    const b1 = pairResidues[k + 1] as number;
    const b2 = pairResidues[k + 2] as number;
    const b3 = pairResidues[k + 3] as number;
    // An odd count: the top limb alone first.
    let r0 = top - Math.floor(top * i0) * s0;
    let r1 = top - Math.floor(top * i1) * s1;
    let r2 = top - Math.floor(top * i2) * s2;
    let r3 = top - Math.floor(top * i3) * s3;
    for (let i = odd; i < limbs.length; i += 2) {
      const hi = limbs[i] as number;
      const lo = limbs[i + 1] as number;
      const x0 = r0 * b0 + (hi * a0 + lo);
      const x1 = r1 * b1 + (hi * a1 + lo);
      const x2 = r2 * b2 + (hi * a2 + lo);
      const x3 = r3 * b3 + (hi * a3 + lo);
      r0 = x0 - Math.floor(x0 * i0) * s0;
      r1 = x1 - Math.floor(x1 * i1) * s1;
      r2 = x2 - Math.floor(x2 * i2) * s2;
      r3 = x3 - Math.floor(x3 * i3) * s3;
    }
    out[k] = normalized(r0, s0);
    out[k + 1] = normalized(r1, s1);
    out[k + 2] = normalized(r2, s2);
    out[k + 3] = normalized(r3, s3);
  }
  for (; k < count; k++) out[k] = residue(limbs, primes[k] as number, reciprocals[k] as number);
}

/** r in [−s, 2s) to [0, s). */
function normalized(r: number, s: number): number {
  return r < 0 ? r + s : r >= s ? r - s : r;
}

/** a⁻¹ mod s for 0 < a < s < 2^31, s prime, by the extended Euclidean algorithm in 32-bit integers. */
export function inverseModulo(a: number, s: number): number {
  let r0 = s | 0;
  let r1 = a | 0;
  let t0 = 0;
  let t1 = 1;
  while (r1 !== 0) {
    const quotient = (r0 / r1) | 0;
    const r = (r0 - quotient * r1) | 0;
    r0 = r1;
    r1 = r;
    const t = (t0 - quotient * t1) | 0;
    t0 = t1;
    t1 = t;
  }
  return t0 < 0 ? t0 + s : t0;
}
