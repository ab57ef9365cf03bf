/**
 * The fuzzer's seeded PRNG (mulberry32): the same seed gives the same cases, so a failure can be replayed with
 * `--seed`. Case `i` draws from `forCase(seed, i)`, so its bytes do not depend on how cases were spread over the
 * concurrent connections. Not for anything secret.
 */
export class SeededRandom {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  static forCase(seed: number, index: number): SeededRandom {
    return new SeededRandom(Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b));
  }

  /** Uniform in [0, 2^32). */
  uint32(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor((this.uint32() / 2 ** 32) * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.uint32() / 2 ** 32 < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from nothing');
    return items[this.int(0, items.length - 1)] as T;
  }

  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) out[i] = this.uint32() & 0xff;
    return out;
  }
}

/** A fresh seed for a run that was given none (printed, so the run can be repeated). */
export function newSeed(): number {
  return Math.floor(Math.random() * 2 ** 32) >>> 0;
}
