import assert from 'node:assert/strict';
import { checkPrimeSync, generatePrimeSync } from 'node:crypto';
import { before, describe, it } from 'node:test';
import {
  type PrimeFactor,
  type PrimeSearch,
  PrimeSearchFailure,
  randomProbablePrime,
} from '../../../../src/ca/keygen/fips186/probable-prime.js';
import { RandomBytes } from '../../../../src/ca/keygen/fips186/random-bytes.js';
import { DEFAULT_TRIAL_DIVISION_BOUND, PUBLIC_EXPONENT } from '../../../../src/ca/keygen/fips186/rsa-key-pair.js';
import { TrialDivision } from '../../../../src/ca/keygen/fips186/trial-division.js';
import {
  bits,
  gcdReference,
  isqrtReference,
  primeInProgression,
  primeNear,
  ScriptedRandom,
  toBytes,
} from './fips186-support.js';

const E = PUBLIC_EXPONENT;
const trialDivision = new TrialDivision(DEFAULT_TRIAL_DIVISION_BOUND);

function searchFor(nlen: number, random: RandomBytes = new RandomBytes(), e = E): PrimeSearch {
  return { nlen, e, rounds: nlen === 2048 ? 5 : 4, trialDivision, random };
}

/** Every condition A.1.3 puts on one prime factor, checked independently of the implementation. */
function assertPrimeFactor(factor: PrimeFactor, nlen: number, e: bigint = E): void {
  const half = nlen / 2;
  const p = factor.value;
  assert.equal(bits(p), half, 'nlen/2 bits');
  assert.ok(p * p > 1n << BigInt(nlen - 1), 'p ≥ √2·2^(nlen/2 − 1), i.e. p² > 2^(nlen − 1)');
  assert.equal(gcdReference(p - 1n, e), 1n, 'gcd(p − 1, e) = 1');
  assert.ok(checkPrimeSync(p), 'prime according to OpenSSL');
  assert.deepEqual(factor.bytes, toBytes(p, half / 8), 'bytes are the big-endian encoding of value');
}

const factor = (value: bigint, nlen = 2048): PrimeFactor => ({ value, bytes: toBytes(value, nlen / 16) });

describe('randomProbablePrime (FIPS 186-5 A.1.3 steps 4 and 5)', () => {
  it('returns primes p and q meeting every condition for nlen = 2048', () => {
    const search = searchFor(2048);
    const seen = new Set<bigint>();
    for (let i = 0; i < 4; i++) {
      const p = randomProbablePrime(search);
      const q = randomProbablePrime(search, p);
      assertPrimeFactor(p, 2048);
      assertPrimeFactor(q, 2048);
      const distance = p.value > q.value ? p.value - q.value : q.value - p.value;
      assert.ok(distance > 1n << 924n, '|p − q| > 2^(nlen/2 − 100)');
      seen.add(p.value).add(q.value);
    }
    assert.equal(seen.size, 8, 'all fresh');
  });

  it('returns primes meeting every condition for nlen = 3072 (1536-bit factors)', () => {
    const search = searchFor(3072);
    const p = randomProbablePrime(search);
    const q = randomProbablePrime(search, p);
    assertPrimeFactor(p, 3072);
    assertPrimeFactor(q, 3072);
    assert.ok((p.value > q.value ? p.value - q.value : q.value - p.value) > 1n << 1436n);
  });

  it('returns a value the next search does not overwrite', () => {
    const search = searchFor(2048);
    const p = randomProbablePrime(search);
    const copy = Buffer.from(p.bytes);
    randomProbablePrime(search);
    randomProbablePrime(search, p);
    assert.deepEqual(p.bytes, copy);
    assert.deepEqual(p.bytes, toBytes(p.value, 128));
  });
});

describe('randomProbablePrime with chosen candidates (scripted random source)', () => {
  const floor = isqrtReference(1n << 2047n); // ⌊√2·2^1023⌋
  const coprime = (x: bigint) => gcdReference(x - 1n, E) === 1n;
  let belowBound: bigint; // a prime just under √2·2^1023, otherwise acceptable
  let aboveBound: bigint; // the first acceptable prime above it
  let sharesE: bigint; // a prime above the bound with e | p − 1
  let far: bigint; // a prime p far from the bound and from 2^1024
  let oneMod3: bigint; // a prime above the bound with 3 | p − 1 (and gcd(p − 1, 65537·65541) = 3)
  let twoMod3: bigint; // a prime above the bound with gcd(p − 1, 3·7·3121·1000000007·65537) = 1

  before(() => {
    belowBound = primeNear(floor, 'down', coprime);
    aboveBound = primeNear(floor + 1n, 'up', coprime);
    const above6 = (floor / 6n + 1n) * 6n; // the first multiple of 6 above the bound
    oneMod3 = primeInProgression(above6 + 1n, 6n, (x) => gcdReference(x - 1n, E * 65541n) === 3n);
    twoMod3 = primeInProgression(above6 + 5n, 6n, (x) => gcdReference(x - 1n, E * 65541n * 1000000007n) === 1n);
    // p = 1 + 2·e·k: the first prime in that progression above the bound.
    sharesE = primeInProgression(1n + 2n * E * ((floor - 1n) / (2n * E) + 1n), 2n * E);
    do far = generatePrimeSync(1024, { bigint: true });
    while (far < (floor * 21n) / 20n || far > (1n << 1024n) - (1n << 1000n) || !coprime(far));
  });

  const run = (script: readonly bigint[], p?: PrimeFactor) => {
    const random = new ScriptedRandom(
      script.map((x) => toBytes(x, 128)),
      'random',
    );
    const result = randomProbablePrime(searchFor(2048, random), p);
    return { result, random };
  };

  it('skips a prime below √2·2^(nlen/2 − 1) and takes the first one above', () => {
    assert.ok(belowBound * belowBound < 1n << 2047n && aboveBound * aboveBound > 1n << 2047n);
    assert.ok(aboveBound - belowBound < 1n << 16n, 'the two primes straddle the bound closely');
    const { result, random } = run([belowBound, aboveBound]);
    assert.equal(result.value, aboveBound);
    assert.equal(random.served, 2);
    assertPrimeFactor(result, 2048);
  });

  it('skips a prime p with gcd(p − 1, e) ≠ 1', () => {
    assert.ok(sharesE > floor && (sharesE - 1n) % E === 0n);
    const { result, random } = run([sharesE, aboveBound]);
    assert.equal(result.value, aboveBound);
    assert.equal(random.served, 2);
  });

  it('rejects a composite without small factors and keeps searching', () => {
    // A product of two ~512-bit primes above the bound: only Miller–Rabin can reject it.
    let composite: bigint;
    do composite = generatePrimeSync(512, { bigint: true }) * generatePrimeSync(512, { bigint: true });
    while (composite <= floor || bits(composite) !== 1024 || !coprime(composite));
    const { result, random } = run([composite]);
    assert.equal(random.served, 1);
    assert.notEqual(result.value, composite);
    assertPrimeFactor(result, 2048);
  });

  it('skips q with |p − q| ≤ 2^(nlen/2 − 100), on both sides of p', () => {
    const distance = 1n << 924n;
    const p = factor(far);
    const tooCloseAbove = primeNear(far + distance, 'down', coprime);
    const farEnoughAbove = primeNear(far + distance + 1n, 'up', coprime);
    const tooCloseBelow = primeNear(far - distance, 'up', coprime);
    const farEnoughBelow = primeNear(far - distance - 1n, 'down', coprime);
    // All four share p's top 48 bits: the decision needs the full distance.
    for (const q of [tooCloseAbove, farEnoughAbove, tooCloseBelow, farEnoughBelow]) {
      assert.equal(q >> 976n, far >> 976n);
    }
    const above = run([tooCloseAbove, tooCloseBelow, farEnoughAbove], p);
    assert.equal(above.result.value, farEnoughAbove);
    assert.equal(above.random.served, 3);
    const below = run([tooCloseBelow, tooCloseAbove, farEnoughBelow], p);
    assert.equal(below.result.value, farEnoughBelow);
    assert.equal(below.random.served, 3);
  });

  it('gives up after exactly 5·nlen/2 candidates for p and 10·nlen/2 for q, not counting out-of-range strings', () => {
    // Odd multiples of 3 above the bound count as candidates (trial division rejects them); strings below
    // the bound, and for q strings too close to p, go back to step 4.2 / 5.2 without counting (A.1.3).
    const multipleOf3 = ((floor + 3n) / 3n) * 3n;
    const start = multipleOf3 % 2n === 1n ? multipleOf3 : multipleOf3 + 3n;
    const below = (1n << 1023n) + 1n;
    function* stream(tooClose?: bigint): Generator<Buffer> {
      for (let i = 0n; ; i++) {
        yield toBytes(below, 128);
        if (tooClose !== undefined) yield toBytes(tooClose, 128);
        yield toBytes(start + 6n * i, 128);
      }
    }
    const forP = new ScriptedRandom(stream());
    assert.throws(() => randomProbablePrime(searchFor(2048, forP)), PrimeSearchFailure);
    assert.equal(forP.served, 2 * 5 * 1024);

    const p = factor(far);
    const forQ = new ScriptedRandom(stream(far - 2n));
    assert.throws(() => randomProbablePrime(searchFor(2048, forQ), p), PrimeSearchFailure);
    assert.equal(forQ.served, 3 * 10 * 1024);
  });

  it('tests gcd(p − 1, e) = 1 also for a composite public exponent above 2^29', () => {
    const e = 3n * 1000000007n; // odd, 2^16 < e < 2^256 as FIPS 186-5 allows, not prime
    const coprimeToE = (x: bigint) => gcdReference(x - 1n, e) === 1n;
    const [sharesFactor, good] = [oneMod3, twoMod3];
    assert.ok(!coprimeToE(sharesFactor) && coprimeToE(good));
    const random = new ScriptedRandom([toBytes(sharesFactor, 128), toBytes(good, 128)], 'random');
    const result = randomProbablePrime(searchFor(2048, random, e), undefined);
    assert.equal(result.value, good);
    assertPrimeFactor(result, 2048, e);
  });

  it('tests gcd(p − 1, e) = 1 also for a composite public exponent below 2^29', () => {
    const e = 65541n; // = 3·7·3121: odd, 2^16 < e < 2^256 as FIPS 186-5 allows, not prime
    assert.equal(e, 3n * 7n * 3121n);
    const coprimeToE = (x: bigint) => gcdReference(x - 1n, e) === 1n;
    const [sharesFactor, good] = [oneMod3, twoMod3];
    assert.ok(!coprimeToE(sharesFactor) && coprimeToE(good));
    const random = new ScriptedRandom([toBytes(sharesFactor, 128), toBytes(good, 128)], 'random');
    const result = randomProbablePrime(searchFor(2048, random, e), undefined);
    assert.equal(
      gcdReference(result.value - 1n, e),
      1n,
      `returned p with gcd(p − 1, e) = ${gcdReference(result.value - 1n, e)}`,
    );
    assert.equal(result.value, good);
  });
});
