/**
 * A small seeded PRNG (SplitMix32-style mixing over a 32-bit counter) for the fuzzers: the same seed gives the
 * same inputs, so a failure found once can be run again. Case `i` of a run draws from `forCase(seed, i)`, so its
 * input does not depend on how the cases were spread over concurrent workers. Not for anything secret.
 */

export class Prng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A derived generator for one case of a run. */
  static forCase(seed: number, index: number): Prng {
    return new Prng(mix((seed >>> 0) ^ Math.imul(index + 1, 0x9e3779b9)));
  }

  /** Uniform in [0, 2^32). */
  nextUint32(): number {
    this.#state = (this.#state + 0x9e3779b9) >>> 0;
    return mix(this.#state);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 2 ** 32;
  }

  /** Integer in [0, count). */
  below(count: number): number {
    return Math.floor(this.next() * count);
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(0, items.length - 1)] as T;
  }

  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) out[i] = this.nextUint32() & 0xff;
    return out;
  }
}

function mix(value: number): number {
  let z = value >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** A seed for a run that was given none. */
export function freshSeed(): number {
  return Math.floor(Math.random() * 2 ** 32) >>> 0;
}
