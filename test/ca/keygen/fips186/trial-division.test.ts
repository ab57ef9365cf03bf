import assert from 'node:assert/strict';
import { generatePrimeSync, randomBytes, randomInt } from 'node:crypto';
import { describe, it } from 'node:test';
import { DEFAULT_TRIAL_DIVISION_BOUND } from '../../../../src/ca/keygen/fips186/rsa-key-pair.js';
import { TrialDivision } from '../../../../src/ca/keygen/fips186/trial-division.js';
import { primeNear, primesBelowByTrialDivision, randomBits, toBytes } from './fips186-support.js';

const bytesOf = (x: bigint) => toBytes(x, Math.ceil(x.toString(16).length / 2));
const referenceHasSmallFactor = (x: bigint, oddPrimes: readonly number[]) =>
  oddPrimes.some((p) => x % BigInt(p) === 0n);

/** Moduli for `residue`: tiny, powers of two, primes, the public exponent, products, and the top of the range. */
const MODULI = [
  2,
  3,
  4,
  5,
  7,
  8,
  255,
  256,
  257,
  4093,
  65535,
  65536,
  65537,
  65539,
  2 ** 20 + 7,
  3 * 5 * 7 * 11 * 13 * 17 * 19 * 23,
  2 ** 28,
  2 ** 29 - 3,
  2 ** 29 - 1,
];

describe('TrialDivision.residue', () => {
  const division = new TrialDivision(DEFAULT_TRIAL_DIVISION_BOUND);

  it('equals BigInt % for random 1024- and 2048-bit candidates and many moduli', () => {
    const moduli = [...MODULI, ...Array.from({ length: 40 }, () => randomInt(2, 2 ** 29))];
    for (const size of [128, 256]) {
      for (let i = 0; i < 25; i++) {
        const bytes = randomBytes(size);
        const value = BigInt(`0x${bytes.toString('hex')}`);
        for (const m of moduli)
          assert.equal(division.residue(bytes, m), Number(value % BigInt(m)), `${value} mod ${m}`);
      }
    }
  });

  it('is exact at the largest sums: all-ones candidates against the largest moduli', () => {
    for (const size of [1, 2, 127, 128, 255, 256]) {
      const bytes = Buffer.alloc(size, 0xff);
      const value = (1n << BigInt(8 * size)) - 1n;
      for (const m of [2 ** 29 - 1, 2 ** 29 - 3, 2 ** 29 - 33, 2 ** 28 + 3, 65537]) {
        assert.equal(division.residue(bytes, m), Number(value % BigInt(m)), `2^${8 * size} − 1 mod ${m}`);
      }
    }
  });

  it('handles odd byte lengths and views into larger buffers', () => {
    const backing = randomBytes(300);
    for (const [start, end] of [
      [0, 1],
      [5, 8],
      [1, 18],
      [3, 132],
      [7, 262],
      [44, 299],
    ] as const) {
      const view = backing.subarray(start, end);
      const value = BigInt(`0x${view.toString('hex')}`);
      for (const m of [3, 65537, 2 ** 29 - 1]) assert.equal(division.residue(view, m), Number(value % BigInt(m)));
      const copy = new Uint8Array(view);
      assert.equal(division.residue(copy, 65537), Number(value % 65537n));
    }
  });

  it('refuses moduli outside 2 ≤ m < 2^29', () => {
    const candidate = randomBytes(128);
    for (const m of [0, 1, -3, 2 ** 29, 2 ** 31, 1.5, Number.NaN]) {
      assert.throws(() => division.residue(candidate, m), RangeError, String(m));
    }
  });

  it('refuses, rather than misreads, candidates longer than it supports', () => {
    const candidate = Buffer.alloc(264, 0xff);
    const value = (1n << 2112n) - 1n;
    for (const m of [3, 65537]) {
      try {
        assert.equal(division.residue(candidate, m), Number(value % BigInt(m)));
      } catch (err) {
        assert.ok(err instanceof RangeError, String(err));
      }
    }
  });
});

describe('TrialDivision.hasSmallFactor', () => {
  const bound = DEFAULT_TRIAL_DIVISION_BOUND;
  const division = new TrialDivision(bound);
  const oddPrimes = primesBelowByTrialDivision(bound).slice(1);
  const largestBelow = oddPrimes[oddPrimes.length - 1] as number;
  const bigPrime = generatePrimeSync(1000, { bigint: true });

  it('agrees with division by every odd prime below the bound on random odd candidates', () => {
    let withFactor = 0;
    for (const size of [128, 256]) {
      for (let i = 0; i < 150; i++) {
        const bytes = randomBytes(size);
        bytes[0] = (bytes[0] as number) | 0x80;
        bytes[size - 1] = (bytes[size - 1] as number) | 1;
        const expected = referenceHasSmallFactor(BigInt(`0x${bytes.toString('hex')}`), oddPrimes);
        if (expected) withFactor++;
        assert.equal(division.hasSmallFactor(bytes), expected);
      }
    }
    // About 1 − ∏(1 − 1/p) ≈ 85% of odd numbers have an odd factor below 4096; both answers were exercised.
    assert.ok(withFactor > 100 && withFactor < 300, `${withFactor} of 300`);
  });

  it('finds every odd prime below the bound, the largest one included', () => {
    assert.equal(largestBelow, oddPrimes.at(-1));
    for (const p of oddPrimes) {
      const multiple = BigInt(p) * bigPrime;
      assert.ok(division.hasSmallFactor(bytesOf(multiple)), `${p} · prime`);
    }
    // Also at the far end of a 2048-bit candidate, and as a square.
    const wide = BigInt(largestBelow) * (randomBits(2030) | 1n);
    assert.ok(division.hasSmallFactor(toBytes(wide, 256)));
    assert.ok(division.hasSmallFactor(bytesOf(BigInt(largestBelow) ** 2n * bigPrime)));
  });

  it('is false for products of primes at or just above the bound, and for primes', () => {
    const first = Number(primeNear(BigInt(bound), 'up'));
    const second = Number(primeNear(BigInt(first + 1), 'up'));
    assert.ok(first >= bound && second > first);
    assert.equal(division.hasSmallFactor(bytesOf(BigInt(first) * BigInt(second))), false);
    assert.equal(division.hasSmallFactor(bytesOf(BigInt(first) * BigInt(second) * bigPrime)), false);
    assert.equal(division.hasSmallFactor(bytesOf(BigInt(first) ** 3n * BigInt(second) ** 2n)), false);
    assert.equal(division.hasSmallFactor(bytesOf(bigPrime)), false);
    for (const prime of [
      (1n << 521n) - 1n,
      (1n << 607n) - 1n,
      (1n << 1279n) - 1n,
      generatePrimeSync(1024, { bigint: true }),
    ]) {
      assert.equal(division.hasSmallFactor(bytesOf(prime)), false, `prime of ${prime.toString(2).length} bits`);
    }
    // Even numbers have only the factor 2, which is not tried.
    assert.equal(division.hasSmallFactor(bytesOf(bigPrime << 10n)), false);
  });

  it('treats the bound as exclusive', () => {
    const p = Number(primeNear(2000n, 'up'));
    const candidate = bytesOf(BigInt(p) * bigPrime);
    assert.equal(new TrialDivision(p).hasSmallFactor(candidate), false);
    assert.equal(new TrialDivision(p + 1).hasSmallFactor(candidate), true);
  });

  it('agrees with the reference for other bounds', () => {
    for (const other of [3, 4, 100, 1000, 8192, 30000]) {
      const otherDivision = new TrialDivision(other);
      const otherPrimes = primesBelowByTrialDivision(other).slice(1);
      for (let i = 0; i < 40; i++) {
        const value = randomBits(1024) | 1n;
        assert.equal(otherDivision.hasSmallFactor(toBytes(value, 128)), referenceHasSmallFactor(value, otherPrimes));
      }
      if (otherPrimes.length > 0) {
        const largest = BigInt(otherPrimes.at(-1) as number);
        assert.ok(otherDivision.hasSmallFactor(bytesOf(largest * bigPrime)), `bound ${other}`);
      }
    }
  });
});
