import assert from 'node:assert/strict';
import { generatePrimeSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { firstProbablePrime } from '../../../../src/ca/keygen/fips186/miller-rabin.js';
import { RSA_PUBLIC_KEY_ENGINE } from '../../../../src/ca/keygen/fips186/native-modexp.js';
import { openSslBignumEngine } from '../../../../src/ca/keygen/fips186/openssl-bignum.js';
import { defaultPowerEngine, type PowerEngine } from '../../../../src/ca/keygen/fips186/power-engine.js';
import { RandomBytes } from '../../../../src/ca/keygen/fips186/random-bytes.js';
import { CountingEngine, modPow, randomBelow, randomBits, ScriptedRandom, toBytes } from './fips186-support.js';

const bytesOf = (x: bigint) => toBytes(x, Math.ceil(x.toString(16).length / 2));
const numberOf = (bytes: Buffer) => BigInt(`0x${bytes.toString('hex')}`);

// Official Node builds on Linux export OpenSSL's symbols and koffi has a build for them: the suite's runtimes.
const bignumEngine = openSslBignumEngine();
const available = (): PowerEngine => {
  assert.ok(bignumEngine, `OpenSSL ${process.versions.openssl} on ${process.platform}: no BIGNUM functions found`);
  return bignumEngine;
};

describe('the OpenSSL BIGNUM engine', () => {
  it('is available on this runtime and is the default', () => {
    const bignums = available();
    assert.equal(defaultPowerEngine(), bignums);
    assert.equal(bignums.name, 'openssl-bignum');
  });

  it('agrees with BigInt exponentiation for moduli of 3 to 4096 bits', () => {
    const bignums = available();
    for (const size of [3, 8, 9, 64, 141, 171, 512, 1023, 1024, 1536, 2048, 4096]) {
      const modulus = randomBits(size) | 1n;
      for (const exponent of [1n, 2n, 65537n, randomBelow(modulus - 1n) + 1n, modulus - 2n]) {
        const power = bignums.prepare(bytesOf(modulus), bytesOf(exponent));
        try {
          const length = power.modulusBytes;
          assert.equal(length, bytesOf(modulus).length);
          for (const base of [0n, 1n, 2n, modulus - 1n, randomBelow(modulus)]) {
            const result = power.power(toBytes(base, length));
            assert.equal(result.length, length);
            assert.equal(numberOf(result), modPow(base, exponent, modulus), `${size} bits`);
          }
        } finally {
          power.release();
        }
      }
    }
  });

  it('does two exponentiations in a pair: two moduli, one modulus twice, and sizes it has no paired code for', () => {
    const bignums = available();
    for (const [sizeA, sizeB] of [
      [1024, 1024],
      [1536, 1536],
      [2048, 2048],
      [512, 512],
      [1024, 512],
      [141, 1024],
    ] as const) {
      const [ma, mb] = [randomBits(sizeA) | 1n, randomBits(sizeB) | 1n];
      // Exponents like Miller–Rabin's m: nearly as long as the modulus.
      const [ea, eb] = [ma >> 3n, mb >> 1n];
      const a = bignums.prepare(bytesOf(ma), bytesOf(ea));
      const b = bignums.prepare(bytesOf(mb), bytesOf(eb));
      try {
        const [ba, bb, ba2] = [randomBelow(ma), randomBelow(mb), randomBelow(ma)];
        const [ra, rb] = bignums.powerPair(a, toBytes(ba, a.modulusBytes), b, toBytes(bb, b.modulusBytes));
        assert.equal(numberOf(ra), modPow(ba, ea, ma), `${sizeA} bits, first`);
        assert.equal(numberOf(rb), modPow(bb, eb, mb), `${sizeB} bits, second`);
        const [r1, r2] = bignums.powerPair(a, toBytes(ba, a.modulusBytes), a, toBytes(ba2, a.modulusBytes));
        assert.equal(numberOf(r1), modPow(ba, ea, ma), 'one candidate, first round');
        assert.equal(numberOf(r2), modPow(ba2, ea, ma), 'one candidate, second round');
      } finally {
        a.release();
        b.release();
      }
    }
  });

  it('pairs only where it has paired code, never at sizes OpenSSL does not cover', () => {
    const bignums = available();
    for (const bits of [141, 512, 1023, 1025, 3072, 4096]) assert.equal(bignums.pairs(bits), false, String(bits));
    // Whether 1024 bits pair depends on the processor (AVX-512 IFMA); either answer is a boolean.
    assert.equal(typeof bignums.pairs(1024), 'boolean');
  });

  it('refuses even moduli, a leading zero byte, bases of the wrong length, and use after release', () => {
    const bignums = available();
    assert.throws(() => bignums.prepare(Buffer.from([0x10, 0x00]), Buffer.from([3])), RangeError);
    assert.throws(() => bignums.prepare(Buffer.from([0x00, 0x11]), Buffer.from([3])), RangeError);
    assert.throws(() => bignums.prepare(Buffer.alloc(0), Buffer.from([3])), RangeError);
    const power = bignums.prepare(Buffer.from([0x11]), Buffer.from([3]));
    assert.throws(() => power.power(Buffer.from([1, 2])), RangeError);
    assert.equal(numberOf(power.power(Buffer.from([2]))), 8n);
    power.release();
    power.release(); // a second release is harmless
    assert.throws(() => power.power(Buffer.from([2])), /released/);
    assert.throws(() => bignums.powerPair(power, Buffer.from([2]), power, Buffer.from([2])), /released/);
  });

  it('refuses to pair with another engine’s candidates', () => {
    const bignums = available();
    const ours = bignums.prepare(Buffer.from([0x11]), Buffer.from([3]));
    const theirs = RSA_PUBLIC_KEY_ENGINE.prepare(Buffer.from([0x11]), Buffer.from([3]));
    try {
      assert.throws(() => bignums.powerPair(ours, Buffer.from([2]), theirs, Buffer.from([2])), TypeError);
    } finally {
      ours.release();
    }
  });
});

describe('the RSA public-key engine (the fallback)', () => {
  it('never pairs, and does a pair one after the other', () => {
    const modulus = randomBits(1024) | 1n;
    const exponent = modulus >> 2n;
    const power = RSA_PUBLIC_KEY_ENGINE.prepare(bytesOf(modulus), bytesOf(exponent));
    assert.equal(RSA_PUBLIC_KEY_ENGINE.pairs(1024), false);
    const [b1, b2] = [randomBelow(modulus), randomBelow(modulus)];
    const [r1, r2] = RSA_PUBLIC_KEY_ENGINE.powerPair(power, toBytes(b1, 128), power, toBytes(b2, 128));
    assert.equal(numberOf(r1), modPow(b1, exponent, modulus));
    assert.equal(numberOf(r2), modPow(b2, exponent, modulus));
  });
});

describe('firstProbablePrime', () => {
  const p1 = generatePrimeSync(1024, { bigint: true });
  const p2 = generatePrimeSync(1024, { bigint: true });
  /** A 1024-bit product of two 512-bit primes (the same length as the primes, so that they pair). */
  const composite = (): bigint => {
    for (;;) {
      const n = generatePrimeSync(512, { bigint: true }) * generatePrimeSync(512, { bigint: true });
      if (n >> 1023n === 1n) return n;
    }
  };
  const composites = Array.from({ length: 6 }, composite);
  const [c1, c2, c3, c4, c5, c6] = composites as [bigint, bigint, bigint, bigint, bigint, bigint];
  const source = (list: readonly bigint[]) => {
    let i = 0;
    return () => list[i++];
  };
  const engines = (): PowerEngine[] => [
    defaultPowerEngine(),
    RSA_PUBLIC_KEY_ENGINE,
    new CountingEngine(defaultPowerEngine()),
    new CountingEngine(RSA_PUBLIC_KEY_ENGINE),
  ];

  it('returns the first candidate, in order, that passes; undefined when none does', () => {
    const cases: Array<[readonly bigint[], bigint | undefined]> = [
      [[c1, c2, p1, c3, p2], p1],
      [[c1, p1], p1],
      [[p1, c1], p1],
      [[p1, p2], p1],
      [[p2, p1], p2],
      [[c1, c2, c3, p2], p2],
      [[c1, c2, c3, c4, p2], p2],
      [[c1, c2, c3], undefined],
      [[c1, c2, c3, c4, c5, c6], undefined],
      [[], undefined],
      [[c1, 1000003n, p1], 1000003n], // a shorter candidate next to a 1024-bit one
    ];
    for (const engine of engines()) {
      for (const [list, expected] of cases) {
        assert.equal(firstProbablePrime(source(list), 5, new RandomBytes(), engine), expected, engine.name);
      }
    }
  });

  it('runs first rounds two candidates at a time and a candidate’s further rounds two at a time', () => {
    const run = (list: readonly bigint[], rounds: number) => {
      const engine = new CountingEngine(defaultPowerEngine());
      const found = firstProbablePrime(source(list), rounds, new RandomBytes(), engine);
      assert.equal(engine.prepared, engine.released, 'every candidate released');
      return { found, pairs: engine.pairsDone, singles: engine.singles, prepared: engine.prepared };
    };
    assert.deepEqual(run([c1, c2, c3, c4, c5, c6], 5), { found: undefined, pairs: 3, singles: 0, prepared: 6 });
    // The last, alone, runs its first two rounds as a pair.
    assert.deepEqual(run([c1, c2, c3, c4, c5], 5), { found: undefined, pairs: 3, singles: 0, prepared: 5 });
    // First rounds of (c1, p1), then p1's other four rounds as two pairs.
    assert.deepEqual(run([c1, p1, c2], 5), { found: p1, pairs: 3, singles: 0, prepared: 2 });
    assert.deepEqual(run([p1, p2], 5), { found: p1, pairs: 3, singles: 0, prepared: 2 });
    // Three further rounds: one pair and one single.
    assert.deepEqual(run([p1, c1], 4), { found: p1, pairs: 2, singles: 1, prepared: 2 });
  });

  it('gives each candidate its own bases: a first candidate that passes some rounds and then fails hands over', () => {
    // 3215031751 is a strong pseudoprime to bases 2, 3, 5 and 7 and not to 11 (OEIS A014233).
    const liar = 3215031751n;
    const prime = 4294967291n; // the largest 32-bit prime
    const base = (b: bigint) => toBytes(b, 4);
    // Drawn in this order: the first rounds' bases (liar, prime), then the liar's rounds 2–5 in pairs.
    const passing = new ScriptedRandom([2n, 3n, 5n, 7n, 2n, 11n].map(base), 'random');
    assert.equal(
      firstProbablePrime(source([liar, prime]), 5, passing, new CountingEngine(defaultPowerEngine())),
      prime,
    );
    assert.equal(passing.served, 6);
    assert.equal(passing.extra, 4, "the prime's four further rounds");
    // With liars only, the liar passes every round and, being first, is the answer.
    const fooled = new ScriptedRandom([2n, 3n, 3n, 5n, 7n, 2n].map(base), 'throw');
    assert.equal(firstProbablePrime(source([liar, prime]), 5, fooled, new CountingEngine(defaultPowerEngine())), liar);
    assert.equal(fooled.served, 6);
  });

  it('releases the candidates it holds when the source throws', () => {
    const engine = new CountingEngine(defaultPowerEngine());
    let calls = 0;
    const failing = () => {
      calls++;
      if (calls === 2) throw new Error('source failed');
      return c1;
    };
    assert.throws(() => firstProbablePrime(failing, 5, new RandomBytes(), engine), /source failed/);
    assert.equal(engine.prepared, 1);
    assert.equal(engine.released, 1);
  });
});
