import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  bigIntToBytes,
  bitLength,
  bytesToBigInt,
  gcd,
  integerSquareRoot,
  modularInverse,
} from '../../../../src/ca/keygen/fips186/big-integer.js';
import { oddPrimesBelow } from '../../../../src/ca/keygen/fips186/small-primes.js';
import { gcdReference, primesBelowByTrialDivision, randomBelow, randomBits } from './fips186-support.js';

describe('bytesToBigInt / bigIntToBytes', () => {
  it('decode big-endian bytes, leading zeros included', () => {
    assert.equal(bytesToBigInt(new Uint8Array()), 0n);
    assert.equal(bytesToBigInt(Buffer.from([0])), 0n);
    assert.equal(bytesToBigInt(Buffer.from([1, 0])), 256n);
    assert.equal(bytesToBigInt(Buffer.from([0, 0, 0x12, 0x34])), 0x1234n);
    assert.equal(bytesToBigInt(Buffer.alloc(256, 0xff)), (1n << 2048n) - 1n);
  });

  it('decode a view into a larger buffer from its own offset and length', () => {
    const backing = Buffer.from('ffeeddccbbaa99887766', 'hex');
    assert.equal(bytesToBigInt(backing.subarray(2, 5)), 0xddccbbn);
    assert.equal(bytesToBigInt(new Uint8Array(backing.buffer, backing.byteOffset + 7, 2)), 0x8877n);
  });

  it('encode minimally, or left-padded to a requested length', () => {
    assert.deepEqual(bigIntToBytes(0n), Buffer.from([0]));
    assert.deepEqual(bigIntToBytes(1n), Buffer.from([1]));
    assert.deepEqual(bigIntToBytes(0x100n), Buffer.from([1, 0]));
    assert.deepEqual(bigIntToBytes(0xabcn), Buffer.from([0x0a, 0xbc]));
    assert.deepEqual(bigIntToBytes(0xabcn, 4), Buffer.from([0, 0, 0x0a, 0xbc]));
    assert.deepEqual(bigIntToBytes(1n, 3), Buffer.from([0, 0, 1]));
    assert.deepEqual(bigIntToBytes(0n, 2), Buffer.from([0, 0]));
  });

  it('refuse negative integers and lengths too short for the value', () => {
    assert.throws(() => bigIntToBytes(-1n), RangeError);
    assert.throws(() => bigIntToBytes(0x10000n, 2), RangeError);
    assert.throws(() => bigIntToBytes((1n << 1024n) + 1n, 128), RangeError);
  });

  it('round-trip random integers of many sizes', () => {
    for (let i = 0; i < 300; i++) {
      const size = randomInt(1, 300);
      const bytes = randomBytes(size);
      const value = bytesToBigInt(bytes);
      assert.equal(value, BigInt(`0x${bytes.toString('hex')}`));
      assert.deepEqual(bigIntToBytes(value, size), bytes);
      const minimal = bigIntToBytes(value);
      assert.ok(minimal.length === 1 || minimal[0] !== 0, 'minimal encoding has no leading zero byte');
      assert.equal(bytesToBigInt(minimal), value);
    }
  });
});

describe('bitLength', () => {
  it('counts significant bits', () => {
    assert.equal(bitLength(0n), 0);
    assert.equal(bitLength(1n), 1);
    assert.equal(bitLength(2n), 2);
    assert.equal(bitLength(3n), 2);
    for (const k of [7n, 8n, 63n, 64n, 1023n, 1024n, 2047n, 4096n]) {
      assert.equal(bitLength(1n << k), Number(k) + 1);
      assert.equal(bitLength((1n << k) - 1n), Number(k));
    }
  });
});

describe('gcd', () => {
  it('agrees with known values, signs and zeros', () => {
    assert.equal(gcd(0n, 0n), 0n);
    assert.equal(gcd(0n, 7n), 7n);
    assert.equal(gcd(7n, 0n), 7n);
    assert.equal(gcd(12n, 18n), 6n);
    assert.equal(gcd(-12n, 18n), 6n);
    assert.equal(gcd(12n, -18n), 6n);
    assert.equal(gcd(65537n, 65536n), 1n);
    assert.equal(gcd((1n << 127n) - 1n, (1n << 89n) - 1n), 1n);
  });

  it('finds a planted common factor of random 1024-bit numbers', () => {
    for (let i = 0; i < 50; i++) {
      const g = randomBits(300);
      const a = randomBits(724);
      const b = randomBits(724);
      const result = gcd(a * g, b * g);
      assert.equal(result, g * gcdReference(a, b));
      assert.equal((a * g) % result, 0n);
      assert.equal((b * g) % result, 0n);
    }
  });
});

describe('integerSquareRoot', () => {
  const check = (n: bigint) => {
    const r = integerSquareRoot(n);
    assert.ok(r >= 0n && r * r <= n && (r + 1n) * (r + 1n) > n, `isqrt(${n}) = ${r}`);
  };

  it('is floor(√n) on small values, squares and their neighbours', () => {
    for (let n = 0n; n < 2000n; n++) check(n);
    for (const k of [31n, 32n, 512n, 1023n, 1024n, 2047n]) {
      const s = randomBits(Number(k));
      assert.equal(integerSquareRoot(s * s), s);
      assert.equal(integerSquareRoot(s * s - 1n), s - 1n);
      assert.equal(integerSquareRoot(s * s + 2n * s), s);
      check(1n << k);
      check((1n << k) - 1n);
    }
  });

  it('gives the √2·2^(nlen/2 − 1) bound used for the prime factors', () => {
    for (const nlen of [2048n, 3072n, 4096n]) {
      const bound = integerSquareRoot(1n << (nlen - 1n));
      assert.ok(bound * bound < 1n << (nlen - 1n));
      assert.ok((bound + 1n) * (bound + 1n) > 1n << (nlen - 1n));
      assert.equal(bitLength(bound), Number(nlen / 2n));
    }
    // Its top 64 bits are ⌊√2·2^63⌋ = 0xB504F333F9DE6484 (√2 = 0x1.6A09E667F3BCC908…).
    assert.equal(integerSquareRoot(1n << 2047n) >> (1024n - 64n), 0xb504f333f9de6484n);
  });

  it('is floor(√n) on random numbers up to 4096 bits', () => {
    for (let i = 0; i < 200; i++) check(randomBits(randomInt(1, 4097)));
  });
});

describe('modularInverse', () => {
  it('inverts the public exponent modulo λ-like moduli and small textbook cases', () => {
    assert.equal(modularInverse(17n, 780n), 413n);
    assert.equal(modularInverse(53n, 61n), 38n);
    assert.equal(modularInverse(3n, 7n), 5n);
    for (let i = 0; i < 50; i++) {
      const m = randomBits(2048);
      if (gcdReference(65537n, m) !== 1n) continue;
      const x = modularInverse(65537n, m);
      assert.ok(x >= 0n && x < m);
      assert.equal((65537n * x) % m, 1n);
    }
  });

  it('reduces negative and oversized arguments first', () => {
    assert.equal(modularInverse(-3n, 7n), 2n); // −3 ≡ 4, 4·2 = 8 ≡ 1
    assert.equal(modularInverse(10n, 7n), 5n); // 10 ≡ 3
    for (let i = 0; i < 20; i++) {
      const m = randomBits(1024) | 1n;
      const a = randomBelow(m * m);
      if (gcdReference(a, m) !== 1n) continue;
      assert.equal((a * modularInverse(a, m)) % m, 1n);
    }
  });

  it('refuses numbers that share a factor with the modulus', () => {
    assert.throws(() => modularInverse(6n, 9n), RangeError);
    assert.throws(() => modularInverse(0n, 7n), RangeError);
    assert.throws(() => modularInverse(65537n, 65537n * 12345n), RangeError);
  });
});

describe('oddPrimesBelow', () => {
  it('lists the odd primes below the limit, in order', () => {
    assert.deepEqual(oddPrimesBelow(30), [3, 5, 7, 11, 13, 17, 19, 23, 29]);
    assert.deepEqual(oddPrimesBelow(29), [3, 5, 7, 11, 13, 17, 19, 23]);
    assert.deepEqual(oddPrimesBelow(3), []);
    assert.deepEqual(oddPrimesBelow(4), [3]);
    for (const limit of [100, 4096, 4097, 8192, 65536]) {
      assert.deepEqual(oddPrimesBelow(limit), primesBelowByTrialDivision(limit).slice(1), `limit ${limit}`);
    }
  });
});
