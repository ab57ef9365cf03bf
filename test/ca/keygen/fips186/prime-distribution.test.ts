import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { createFips186KeyPairGenerator } from '../../../../src/ca/keygen/fips186/rsa-key-pair.js';
import { fromBase64Url, randomBits } from './fips186-support.js';
import { hasRocaFingerprint, ROCA_PRIMES, rocaFalsePositiveRate } from './roca-fingerprint.js';

const KEYS = 100;
/** A test that fails by chance at most this often, per modulus checked. */
const FALSE_ALARM = 1e-9;

function factorsOf(privateKey: KeyObject): { n: bigint; p: bigint; q: bigint } {
  const jwk = privateKey.export({ format: 'jwk' });
  return { n: fromBase64Url(jwk.n), p: fromBase64Url(jwk.p), q: fromBase64Url(jwk.q) };
}

/**
 * The x with P(χ²_k ≥ x) ≤ alarm by the Chernoff bound P(χ²_k ≥ x) ≤ (z·e^(1 − z))^(k/2), z = x/k > 1:
 * a threshold that holds for any sample, not only asymptotically.
 */
function chiSquareThreshold(k: number, alarm: number): number {
  let z = 1;
  while ((k / 2) * (Math.log(z) + 1 - z) > Math.log(alarm)) z += 0.01;
  return z * k;
}

describe('generated primes show no structure', () => {
  const primes: bigint[] = [];
  const moduli: bigint[] = [];
  before(() => {
    const generate = createFips186KeyPairGenerator();
    for (let i = 0; i < KEYS; i++) {
      const { n, p, q } = factorsOf(generate().privateKey);
      primes.push(p, q);
      moduli.push(n);
    }
  });

  for (const s of [3, 5, 7, 11, 13]) {
    it(`spreads p mod ${s} evenly over 1 … ${s - 1} (${2 * KEYS} primes, χ² bound at false alarm ${FALSE_ALARM})`, () => {
      const counts = new Uint32Array(s);
      for (const p of primes) {
        const residue = Number(p % BigInt(s));
        counts[residue] = (counts[residue] ?? 0) + 1;
      }
      assert.equal(counts[0], 0, `no prime is divisible by ${s}`);
      const expected = primes.length / (s - 1);
      let chiSquare = 0;
      for (let r = 1; r < s; r++) {
        assert.ok((counts[r] as number) > 0, `residue ${r} mod ${s} never occurs: ${counts}`);
        chiSquare += ((counts[r] as number) - expected) ** 2 / expected;
      }
      const threshold = chiSquareThreshold(s - 2, FALSE_ALARM);
      assert.ok(chiSquare < threshold, `χ² = ${chiSquare.toFixed(1)} ≥ ${threshold.toFixed(1)}: ${counts}`);
    });
  }

  it('gives no modulus the ROCA fingerprint', () => {
    assert.ok(rocaFalsePositiveRate() < 1e-20, `detector false-positive rate ${rocaFalsePositiveRate()}`);
    for (const n of moduli) assert.ok(!hasRocaFingerprint(n), n.toString(16));
  });

  it('the ROCA test flags moduli built the RSALib way and passes stock OpenSSL keys', () => {
    const primorial = ROCA_PRIMES.reduce((m, r) => m * BigInt(r), 2n);
    const modPow = (b: bigint, e: bigint, m: bigint) => {
      let result = 1n;
      for (let x = b % m, k = e; k > 0n; k >>= 1n, x = (x * x) % m) if (k & 1n) result = (result * x) % m;
      return result;
    };
    // p = k·M + (65537^a mod M): the structure, not the primality, is what the fingerprint sees.
    const rsalibLike = () => randomBits(800) * primorial + modPow(65537n, randomBits(60), primorial);
    for (let i = 0; i < 5; i++) assert.ok(hasRocaFingerprint(rsalibLike() * rsalibLike()));
    const stock = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    assert.ok(!hasRocaFingerprint(factorsOf(stock).n));
  });
});
