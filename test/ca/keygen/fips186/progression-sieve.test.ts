import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  inverseModulo,
  limbsOf,
  ProgressionSieve,
  primeTable,
  residues,
  SievedTerms,
} from '../../../../src/ca/keygen/fips186/progression-sieve.js';
import { oddPrimesBelow } from '../../../../src/ca/keygen/fips186/small-primes.js';
import { primeNear, primesBelowByTrialDivision, randomBits } from './fips186-support.js';

/** Reference marks: term start + i·step has an odd prime factor below the bound (BigInt remainders). */
function referenceMarks(start: bigint, step: bigint, from: number, length: number, primes: number[]): Uint8Array {
  const marks = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const term = start + BigInt(from + i) * step;
    if (primes.some((s) => term % BigInt(s) === 0n)) marks[i] = 1;
  }
  return marks;
}

describe('ProgressionSieve', () => {
  const bound = 3000;
  const oddPrimes = primesBelowByTrialDivision(bound).slice(1);

  it('marks exactly the terms with an odd prime factor below the bound, window after window', () => {
    for (const [startBits, stepBits] of [
      [1024, 283],
      [141, 2],
      [1536, 343],
    ] as const) {
      const sieve = new ProgressionSieve(bound, 500);
      const start = randomBits(startBits) | 1n;
      const step = stepBits === 2 ? 2n : 2n * primeNear(randomBits(stepBits), 'up'); // like 2·r1·r2: no small factor
      sieve.start(start, step);
      for (let window = 0; window < 3; window++) {
        const marks = sieve.nextWindow();
        assert.deepEqual(marks, referenceMarks(start, step, window * 500, 500, oddPrimes), `window ${window}`);
      }
    }
  });

  it('handles a step divisible by a sieve prime: marks nothing for it, refuses a progression it divides entirely', () => {
    const sieve = new ProgressionSieve(100, 64);
    const step = 2n * 3n * 97n * primeNear(randomBits(200), 'up'); // no other factor below 100
    const start = primeNear(randomBits(512), 'up'); // divisible by neither 3 nor 97
    sieve.start(start, step);
    assert.deepEqual(sieve.nextWindow(), referenceMarks(start, step, 0, 64, primesBelowByTrialDivision(100).slice(1)));
    assert.throws(() => sieve.start(start * 97n, step), /divisible by 97/);
  });

  it('refuses bounds outside [3, 2^20], starts at or below the bound, and windows before a start', () => {
    assert.throws(() => new ProgressionSieve(2), RangeError);
    assert.throws(() => new ProgressionSieve(2 ** 20 + 1), RangeError);
    assert.throws(() => new ProgressionSieve(1.5), RangeError);
    const sieve = new ProgressionSieve(1000);
    assert.throws(() => sieve.nextWindow(), /start/);
    assert.throws(() => sieve.start(999n, 2n), RangeError);
    assert.throws(() => sieve.start(1001n, 0n), RangeError);
  });

  it('computes residues exactly modulo every odd prime below 2^20, for extreme and random limbs of odd and even counts', () => {
    const table = primeTable(Int32Array.from(oddPrimesBelow(2 ** 20)));
    const out = new Float64Array(table.primes.length);
    const all = (bits: number) => (1n << BigInt(bits)) - 1n;
    const alternating = BigInt(`0x${'ffffffff00000000'.repeat(16)}`);
    for (const x of [
      all(1024),
      all(1056), // 33 limbs: the odd top limb alone
      1n << 1023n,
      alternating,
      alternating >> 32n,
      3n,
      randomBits(1024),
      randomBits(283),
      randomBits(1536),
    ]) {
      residues(limbsOf(x), table, out);
      for (let k = 0; k < table.primes.length; k++) {
        const s = table.primes[k] as number;
        if (out[k] !== Number(x % BigInt(s))) assert.fail(`${x.toString(16)} mod ${s}: ${out[k]}`);
      }
    }
  });

  it('hands out the unmarked terms in order across windows, up to a limit or a number of terms', () => {
    const start = randomBits(512) | 1n;
    const step = 2n * primeNear(randomBits(100), 'up');
    const marks = referenceMarks(start, step, 0, 300, oddPrimes);
    const unmarked = [...marks.keys()].filter((i) => !marks[i]).map((i) => start + BigInt(i) * step);
    const drain = (terms: SievedTerms) => {
      const out: bigint[] = [];
      for (let t = terms.next(); t !== undefined; t = terms.next()) out.push(t);
      return out;
    };
    // Windows of 64: the 300 terms span five of them.
    const all = new SievedTerms(new ProgressionSieve(bound, 64), start, step, undefined, 300);
    assert.deepEqual(drain(all), unmarked);
    assert.equal(all.exhausted, true, 'stopped by the number of terms');
    const limit = start + 150n * step;
    const limited = new SievedTerms(new ProgressionSieve(bound, 64), start, step, limit, 300);
    assert.deepEqual(
      drain(limited),
      unmarked.filter((t) => t < limit),
    );
    assert.equal(limited.exhausted, false, 'stopped by the limit');
  });

  it('inverts modulo primes up to 2^20', () => {
    for (const s of [3, 5, 65537, 1048573]) {
      for (let a = 1; a < Math.min(s, 2000); a += 1 + Math.floor(s / 1000)) {
        assert.equal((inverseModulo(a, s) * a) % s, 1, `${a}^−1 mod ${s}`);
      }
      assert.equal((inverseModulo(s - 1, s) * (s - 1)) % s, 1);
    }
  });
});
