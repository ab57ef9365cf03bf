import assert from 'node:assert/strict';
import { checkPrimeSync } from 'node:crypto';
import { before, describe, it } from 'node:test';
import {
  AuxiliaryPrimeFailure,
  type AuxiliaryPrimeSearch,
  auxiliaryPrimeFactors,
  type ConditionalPrime,
  firstProbablePrimeFrom,
  PARAMETERS_BY_NLEN,
  primeFromAuxiliaries,
} from '../../../../src/ca/keygen/fips186/auxiliary-primes.js';
import { RSA_PUBLIC_KEY_ENGINE } from '../../../../src/ca/keygen/fips186/native-modexp.js';
import { defaultPowerEngine, type PowerEngine } from '../../../../src/ca/keygen/fips186/power-engine.js';
import { ProgressionSieve } from '../../../../src/ca/keygen/fips186/progression-sieve.js';
import { RandomBytes } from '../../../../src/ca/keygen/fips186/random-bytes.js';
import {
  bits,
  CountingEngine,
  gcdReference,
  isqrtReference,
  primeInProgression,
  primeNear,
  randomBits,
} from './fips186-support.js';

const E = 65537n;

function searchFor(nlen: number, power: PowerEngine = defaultPowerEngine(), sieveBound = 65536): AuxiliaryPrimeSearch {
  const parameters = PARAMETERS_BY_NLEN[nlen];
  assert.ok(parameters);
  return {
    nlen,
    e: E,
    parameters,
    sieve: new ProgressionSieve(sieveBound),
    auxiliarySieve: new ProgressionSieve(2048, 256),
    random: new RandomBytes(),
    power,
  };
}

/** Every condition A.1.6 and B.9 put on one prime factor, checked with reference arithmetic. */
function assertConditionalPrime(f: ConditionalPrime, nlen: number): void {
  const { auxiliaryBits, maxAuxiliarySum } = PARAMETERS_BY_NLEN[nlen] ?? assert.fail();
  const half = nlen / 2;
  assert.ok(checkPrimeSync(f.value) && checkPrimeSync(f.r1) && checkPrimeSync(f.r2), 'p, r1, r2 prime');
  assert.ok(bits(f.r1) >= auxiliaryBits && bits(f.r2) >= auxiliaryBits, 'auxiliary primes > table A.1 minimum');
  assert.ok(bits(f.r1) + bits(f.r2) < maxAuxiliarySum, 'len(r1) + len(r2) < table A.1 maximum');
  assert.equal((f.value - 1n) % f.r1, 0n, 'r1 | p − 1');
  assert.equal((f.value + 1n) % f.r2, 0n, 'r2 | p + 1');
  assert.equal(gcdReference(f.value - 1n, E), 1n, 'gcd(p − 1, e) = 1');
  const floor = isqrtReference(1n << BigInt(nlen - 1));
  assert.ok(f.x > floor && f.x < 1n << BigInt(half), 'X in [√2·2^(nlen/2 − 1), 2^(nlen/2) − 1]');
  assert.ok(f.value >= f.x && bits(f.value) === half, 'X ≤ p < 2^(nlen/2)');
}

describe('firstProbablePrimeFrom (A.1.6 step 4.2: auxiliary primes)', () => {
  it('returns the first prime at or after an odd start, as a reference search finds it', () => {
    for (const engine of [RSA_PUBLIC_KEY_ENGINE, new CountingEngine(defaultPowerEngine())]) {
      const search = searchFor(2048, engine);
      for (let i = 0; i < 3; i++) {
        const x = randomBits(141) | 1n;
        assert.equal(firstProbablePrimeFrom(search, x), primeNear(x, 'up'), engine.name);
      }
    }
    const search = searchFor(2048);
    for (let i = 0; i < 10; i++) {
      const x = randomBits(141) | 1n;
      assert.equal(firstProbablePrimeFrom(search, x), primeNear(x, 'up'));
    }
  });

  it('returns the start itself when it is prime', () => {
    const search = searchFor(2048);
    const prime = primeNear(randomBits(141), 'up');
    assert.equal(firstProbablePrimeFrom(search, prime), prime);
  });
});

describe('primeFromAuxiliaries (B.9)', () => {
  // The default engine, the fallback, and pairs forced: each must stop at the same prime the reference finds.
  for (const engine of [defaultPowerEngine(), RSA_PUBLIC_KEY_ENGINE, new CountingEngine(defaultPowerEngine())]) {
    it(`returns the first term of X + ((R − X) mod 2r1r2) + i·2r1r2 that is prime with gcd(Y − 1, e) = 1 (${engine.name})`, () => {
      const search = searchFor(2048, engine);
      for (let i = 0; i < 3; i++) {
        const r1 = primeNear(randomBits(141), 'up');
        const r2 = primeNear(randomBits(141), 'up');
        const f = primeFromAuxiliaries(search, r1, r2);
        assertConditionalPrime(f, 2048);
        const step = 2n * r1 * r2;
        // The reference walks the same progression from X's first term and must stop at the same prime.
        // Y ≡ R (mod 2r1r2), so the first term at or after X is X + ((Y − X) mod 2r1r2).
        const start = f.x + ((f.value - f.x) % step);
        assert.equal(
          primeInProgression(start, step, (y) => gcdReference(y - 1n, E) === 1n),
          f.value,
        );
      }
    });
  }

  it('fails when gcd(2r1, r2) ≠ 1', () => {
    const r = primeNear(randomBits(141), 'up');
    assert.throws(() => primeFromAuxiliaries(searchFor(2048), r, r), AuxiliaryPrimeFailure);
  });
});

describe('auxiliaryPrimeFactors (A.1.6 steps 4 and 5)', () => {
  const pairs: Array<{ p: ConditionalPrime; q: ConditionalPrime }> = [];
  before(() => {
    const search = searchFor(2048);
    for (let i = 0; i < 12; i++) pairs.push(auxiliaryPrimeFactors(search));
  });

  it('gives p and q meeting every condition, with fresh auxiliary primes each', () => {
    for (const { p, q } of pairs) {
      assertConditionalPrime(p, 2048);
      assertConditionalPrime(q, 2048);
      const minimum = 1n << 924n;
      assert.ok((p.value > q.value ? p.value - q.value : q.value - p.value) > minimum, '|p − q| > 2^924');
      assert.ok((p.x > q.x ? p.x - q.x : q.x - p.x) > minimum, '|Xp − Xq| > 2^924');
    }
    const auxiliaries = pairs.flatMap(({ p, q }) => [p.r1, p.r2, q.r1, q.r2]);
    assert.equal(new Set(auxiliaries).size, auxiliaries.length);
  });

  it('makes 3072-bit keys from 171-bit auxiliary primes', () => {
    const { p, q } = auxiliaryPrimeFactors(searchFor(3072));
    assertConditionalPrime(p, 3072);
    assertConditionalPrime(q, 3072);
  });
});
