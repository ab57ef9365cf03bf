import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  checkPrime,
  constants,
  createPrivateKey,
  createPublicKey,
  generatePrimeSync,
  type KeyObject,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { RSA_PUBLIC_KEY_ENGINE } from '../../../../src/ca/keygen/fips186/native-modexp.js';
import { defaultPowerEngine } from '../../../../src/ca/keygen/fips186/power-engine.js';
import {
  checkNumbers,
  createFips186KeyPairGenerator,
  KeyConsistencyError,
  PUBLIC_EXPONENT,
  privateNumbers,
  type RsaPrivateNumbers,
} from '../../../../src/ca/keygen/fips186/rsa-key-pair.js';
import { makeTempDir } from '../../../helpers/ca-test-support.js';
import {
  bits,
  CountingEngine,
  fromBase64Url,
  gcdReference,
  isqrtReference,
  primeInProgression,
  primeNear,
  randomBelow,
} from './fips186-support.js';

const E = 65537n;
const KEY_COUNT = 40;

function numbersOf(privateKey: KeyObject): RsaPrivateNumbers {
  const jwk = privateKey.export({ format: 'jwk' });
  assert.equal(jwk.kty, 'RSA');
  return {
    n: fromBase64Url(jwk.n),
    e: fromBase64Url(jwk.e),
    d: fromBase64Url(jwk.d),
    p: fromBase64Url(jwk.p),
    q: fromBase64Url(jwk.q),
    dp: fromBase64Url(jwk.dp),
    dq: fromBase64Url(jwk.dq),
    qi: fromBase64Url(jwk.qi),
  };
}

const lcm = (a: bigint, b: bigint) => (a * b) / gcdReference(a, b);
const abs = (x: bigint) => (x < 0n ? -x : x);

/** Every FIPS 186-5 condition on the numbers of an RSA key, checked with reference arithmetic only. */
function assertFips186Numbers(k: RsaPrivateNumbers, nlen: number): void {
  const half = BigInt(nlen / 2);
  assert.equal(k.n, k.p * k.q, 'n = p·q');
  assert.equal(bits(k.n), nlen, 'n has nlen bits');
  assert.equal(bits(k.p), nlen / 2, 'p has nlen/2 bits');
  assert.equal(bits(k.q), nlen / 2, 'q has nlen/2 bits');
  assert.ok(k.p * k.p > 1n << BigInt(nlen - 1), 'p ≥ √2·2^(nlen/2 − 1)');
  assert.ok(k.q * k.q > 1n << BigInt(nlen - 1), 'q ≥ √2·2^(nlen/2 − 1)');
  assert.ok(abs(k.p - k.q) > 1n << (half - 100n), '|p − q| > 2^(nlen/2 − 100)');
  assert.equal(k.e, E, 'e = 65537');
  assert.equal(gcdReference(k.e, k.p - 1n), 1n, 'gcd(e, p − 1) = 1');
  assert.equal(gcdReference(k.e, k.q - 1n), 1n, 'gcd(e, q − 1) = 1');
  const lambda = lcm(k.p - 1n, k.q - 1n);
  assert.ok(k.d > 0n && k.d < lambda && (k.e * k.d) % lambda === 1n, 'd = e^−1 mod lcm(p − 1, q − 1)');
  assert.ok(k.d > 1n << half, 'd > 2^(nlen/2)');
  assert.equal(k.dp, k.d % (k.p - 1n), 'dP = d mod (p − 1)');
  assert.equal(k.dq, k.d % (k.q - 1n), 'dQ = d mod (q − 1)');
  assert.ok(k.qi > 0n && k.qi < k.p && (k.qi * k.q) % k.p === 1n, 'qInv = q^−1 mod p');
}

function isPrime(candidate: bigint): Promise<boolean> {
  return new Promise((resolve, reject) => {
    checkPrime(candidate, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

function assertSignsAndDecrypts(privateKey: KeyObject, publicKey: KeyObject): void {
  const message = randomBytes(64);
  const signature = sign('sha256', message, privateKey);
  assert.ok(verify('sha256', message, publicKey, signature), 'signature verifies');
  assert.ok(
    !verify('sha256', Buffer.concat([message, Buffer.from([0])]), publicKey, signature),
    'and only for its message',
  );
  const pss = { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING };
  assert.ok(
    verify(
      'sha256',
      message,
      { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING },
      sign('sha256', message, pss),
    ),
  );
  const secret = randomBytes(32);
  const oaep = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' };
  assert.deepEqual(
    privateDecrypt({ key: privateKey, ...oaep }, publicEncrypt({ key: publicKey, ...oaep }, secret)),
    secret,
  );
}

describe('createFips186KeyPairGenerator: RSA-2048 keys', () => {
  const keys: Array<{ privateKey: KeyObject; publicKey: KeyObject; numbers: RsaPrivateNumbers }> = [];
  let primality: boolean[];

  before(async () => {
    const generate = createFips186KeyPairGenerator();
    const checks: Promise<boolean>[] = [];
    for (let i = 0; i < KEY_COUNT; i++) {
      const pair = generate();
      const numbers = numbersOf(pair.privateKey);
      keys.push({ ...pair, numbers });
      // OpenSSL's own primality test runs on the thread pool while the next key is generated.
      checks.push(isPrime(numbers.p), isPrime(numbers.q));
    }
    primality = await Promise.all(checks);
  });

  it(`meets every FIPS 186-5 condition on n, e, d, p, q and the CRT values (${KEY_COUNT} keys)`, () => {
    assert.equal(keys.length, KEY_COUNT);
    for (const { numbers } of keys) assertFips186Numbers(numbers, 2048);
  });

  it('has prime p and q according to OpenSSL', () => {
    assert.equal(primality.length, 2 * KEY_COUNT);
    assert.ok(primality.every(Boolean));
  });

  it('makes a fresh modulus, and fresh primes, every time', () => {
    assert.equal(new Set(keys.map((k) => k.numbers.n)).size, KEY_COUNT);
    assert.equal(new Set(keys.flatMap((k) => [k.numbers.p, k.numbers.q])).size, 2 * KEY_COUNT);
  });

  it('returns matching key objects that sign, verify, encrypt and decrypt', () => {
    for (const { privateKey, publicKey, numbers } of keys) {
      assert.equal(privateKey.type, 'private');
      assert.equal(publicKey.type, 'public');
      assert.equal(privateKey.asymmetricKeyType, 'rsa');
      assert.equal(privateKey.asymmetricKeyDetails?.modulusLength, 2048);
      assert.equal(privateKey.asymmetricKeyDetails?.publicExponent, PUBLIC_EXPONENT);
      assert.deepEqual(
        publicKey.export({ type: 'spki', format: 'der' }),
        createPublicKey(privateKey).export({ type: 'spki', format: 'der' }),
      );
      const publicJwk = publicKey.export({ format: 'jwk' });
      assert.equal(fromBase64Url(publicJwk.n), numbers.n);
      assert.equal(fromBase64Url(publicJwk.e), numbers.e);
    }
    for (const { privateKey, publicKey } of keys.slice(0, 8)) assertSignsAndDecrypts(privateKey, publicKey);
    // A signature does not verify under another key.
    const [first, second] = keys;
    assert.ok(first && second);
    const message = Buffer.from('cross-check');
    assert.ok(!verify('sha256', message, second.publicKey, sign('sha256', message, first.privateKey)));
  });

  it('round-trips through the openssl command line: PKCS#1 and SPKI PEM, rsa -check, the modulus', () => {
    const dir = makeTempDir('fips186-keys');
    try {
      for (const [index, { privateKey, publicKey, numbers }] of keys.slice(0, 3).entries()) {
        const keyFile = join(dir.path, `key-${index}.pem`);
        const pubFile = join(dir.path, `pub-${index}.pem`);
        writeFileSync(keyFile, privateKey.export({ type: 'pkcs1', format: 'pem' }), { mode: 0o600 });
        writeFileSync(pubFile, publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o600 });

        const check = spawnSync('openssl', ['rsa', '-check', '-noout', '-in', keyFile], { encoding: 'utf8' });
        assert.equal(check.status, 0, check.stderr);
        assert.equal(check.stdout.trim(), 'RSA key ok', check.stderr);

        const pub = spawnSync('openssl', ['pkey', '-pubin', '-in', pubFile, '-noout'], { encoding: 'utf8' });
        assert.equal(pub.status, 0, pub.stderr);

        for (const args of [
          ['rsa', '-modulus', '-noout', '-in', keyFile],
          ['rsa', '-pubin', '-modulus', '-noout', '-in', pubFile],
        ]) {
          const modulus = spawnSync('openssl', args, { encoding: 'utf8' });
          assert.equal(modulus.status, 0, modulus.stderr);
          assert.equal(modulus.stdout.trim(), `Modulus=${numbers.n.toString(16).toUpperCase()}`);
        }
      }

      // The same check notices a broken key (openssl 3.0 still exits 0, so the output is what counts).
      const first = keys[0];
      assert.ok(first);
      const jwk = first.privateKey.export({ format: 'jwk' });
      const broken = createPrivateKey({
        key: { ...jwk, qi: Buffer.from(hexOf(first.numbers.qi + 1n), 'hex').toString('base64url') },
        format: 'jwk',
      });
      const brokenFile = join(dir.path, 'broken.pem');
      writeFileSync(brokenFile, broken.export({ type: 'pkcs1', format: 'pem' }), { mode: 0o600 });
      const check = spawnSync('openssl', ['rsa', '-check', '-noout', '-in', brokenFile], { encoding: 'utf8' });
      assert.notEqual(check.stdout.trim(), 'RSA key ok');
      assert.match(check.stdout + check.stderr, /not ok|iqmp/);
    } finally {
      dir.remove();
    }
  });
});

function hexOf(x: bigint): string {
  const hex = x.toString(16);
  return hex.length % 2 === 1 ? `0${hex}` : hex;
}

describe('createFips186KeyPairGenerator: other sizes and options', () => {
  it('makes a valid RSA-3072 key', async () => {
    const { privateKey, publicKey } = createFips186KeyPairGenerator({ nlen: 3072 })();
    const numbers = numbersOf(privateKey);
    assertFips186Numbers(numbers, 3072);
    assert.equal(privateKey.asymmetricKeyDetails?.modulusLength, 3072);
    assert.deepEqual(await Promise.all([isPrime(numbers.p), isPrime(numbers.q)]), [true, true]);
    assertSignsAndDecrypts(privateKey, publicKey);
  });

  it('makes valid keys with a shallow and the deepest sieve', async () => {
    for (const sieveBound of [17, 1 << 20]) {
      const { privateKey, publicKey } = createFips186KeyPairGenerator({ sieveBound })();
      const numbers = numbersOf(privateKey);
      assertFips186Numbers(numbers, 2048);
      assert.deepEqual(await Promise.all([isPrime(numbers.p), isPrime(numbers.q)]), [true, true]);
      assertSignsAndDecrypts(privateKey, publicKey);
    }
  });

  it('makes valid keys on the fallback engine (the RSA public operation) and with pairs at every size', async () => {
    for (const powerEngine of [RSA_PUBLIC_KEY_ENGINE, new CountingEngine(defaultPowerEngine())]) {
      const { privateKey, publicKey } = createFips186KeyPairGenerator({ powerEngine })();
      const numbers = numbersOf(privateKey);
      assertFips186Numbers(numbers, 2048);
      assert.deepEqual(await Promise.all([isPrime(numbers.p), isPrime(numbers.q)]), [true, true], powerEngine.name);
      assertSignsAndDecrypts(privateKey, publicKey);
    }
  });

  it('refuses key sizes it has no Miller–Rabin round count for', () => {
    for (const nlen of [512, 1024, 2047, 2049, 8192]) {
      assert.throws(() => createFips186KeyPairGenerator({ nlen }), RangeError, String(nlen));
    }
  });
});

describe('privateNumbers', () => {
  it('computes the textbook example (p = 61, q = 53, e = 17)', () => {
    assert.deepEqual(privateNumbers(61n, 53n, 17n), {
      n: 3233n,
      e: 17n,
      d: 413n,
      p: 61n,
      q: 53n,
      dp: 53n,
      dq: 49n,
      qi: 38n,
    });
  });

  it('computes d from λ = lcm(p − 1, q − 1), not φ', () => {
    // p − 1 and q − 1 share the factor 2·3·5: d mod λ differs from d mod φ.
    const k = privateNumbers(31n, 61n, 7n);
    assert.equal(k.d, 43n); // λ = lcm(30, 60) = 60, 7·43 = 301 ≡ 1
    assert.equal((k.e * k.d) % lcm(30n, 60n), 1n);
  });

  it('gives numbers that meet every condition for generated primes', () => {
    for (let i = 0; i < 2; i++) {
      const p = generatePrimeSync(1024, { bigint: true });
      const q = generatePrimeSync(1024, { bigint: true });
      if (gcdReference(p - 1n, E) !== 1n || gcdReference(q - 1n, E) !== 1n) continue;
      const k = privateNumbers(p, q, E);
      if (k.d <= 1n << 1024n) continue; // probability ≈ 2^−1000
      assertFips186Numbers(k, 2048);
      assert.doesNotThrow(() => checkNumbers(k, 2048));
    }
  });
});

describe('checkNumbers', () => {
  const coprime = (x: bigint) => gcdReference(x - 1n, E) === 1n;
  let valid: RsaPrivateNumbers;
  let small: bigint; // the first prime above 2^1023 with gcd(p − 1, e) = 1

  before(() => {
    // A key whose p leaves room for p + 2^924 below 2^1024 and whose p + 2^924 − 1 is coprime to e.
    const generate = createFips186KeyPairGenerator();
    do valid = numbersOf(generate().privateKey);
    while (valid.p > (1n << 1024n) - (1n << 926n) || gcdReference(valid.p + (1n << 924n) - 1n, E) !== 1n);
    small = primeNear((1n << 1023n) + 1n, 'up', coprime);
  });

  const rejects = (k: RsaPrivateNumbers, why: string, nlen = 2048) =>
    assert.throws(() => checkNumbers(k, nlen), KeyConsistencyError, why);
  /** The numbers of p and q (prime or not) with d, dP, dQ and qInv computed by reference arithmetic. */
  const numbersFor = (p: bigint, q: bigint, d?: bigint, e = E): RsaPrivateNumbers => {
    const dd = d ?? modInverseReference(e, lcm(p - 1n, q - 1n));
    return { n: p * q, e, d: dd, p, q, dp: dd % (p - 1n), dq: dd % (q - 1n), qi: modInverseReference(q, p) };
  };

  it('accepts a generated key, and the same key with p and q swapped', () => {
    assert.doesNotThrow(() => checkNumbers(valid, 2048));
    assert.doesNotThrow(() => checkNumbers(numbersFor(valid.q, valid.p), 2048));
  });

  it('rejects n ≠ p·q, and n of the wrong length', () => {
    rejects({ ...valid, n: valid.n + 2n }, 'n = p·q');
    rejects(valid, 'nlen 3072', 3072);
    // Two 1024-bit factors whose product has 2047 bits (both below √2·2^1023).
    const q = primeNear((1n << 1023n) + (1n << 1020n), 'up', coprime);
    assert.ok(bits(small) === 1024 && bits(q) === 1024 && bits(small * q) === 2047);
    rejects(numbersFor(small, q), '2047-bit n');
    rejects(valid, 'nlen 4096', 4096);
  });

  it('rejects p or q of other than nlen/2 bits even when n has nlen bits', () => {
    // Only one factor off: a 1024-bit prime just above 2^1023 and a 1025-bit one just above 2^1024.
    const large = primeNear((1n << 1024n) + 1n, 'up', coprime);
    assert.equal(bits(small * large), 2048);
    rejects(numbersFor(small, large), '1024-bit p, 1025-bit q');
    rejects(numbersFor(large, small), '1025-bit p, 1024-bit q');
  });

  it('rejects |p − q| ≤ 2^(nlen/2 − 100) and accepts the next prime beyond it', () => {
    const distance = 1n << 924n;
    const tooClose = primeNear(valid.p + distance, 'down', coprime);
    const farEnough = primeNear(valid.p + distance + 1n, 'up', coprime);
    rejects(numbersFor(valid.p, tooClose), 'q just under p + 2^924');
    rejects(numbersFor(valid.p, primeNear(valid.p + 2n, 'up', coprime)), 'q the next prime after p');
    const accepted = numbersFor(valid.p, farEnough);
    assertFips186Numbers(accepted, 2048);
    assert.doesNotThrow(() => checkNumbers(accepted, 2048));
    // Exactly 2^924 apart (q need not be prime for this check, and before() made gcd(e, q − 1) = 1).
    rejects(numbersFor(valid.p, valid.p + distance), '|p − q| = 2^924');
  });

  it('rejects gcd(e, p − 1) ≠ 1', () => {
    // With e prime and e | p − 1 no d with e·d ≡ 1 (mod λ) exists, so d is necessarily wrong as well;
    // here d is the valid key's, with dP, dQ and qInv consistent with it.
    const floor = isqrtReference(1n << 2047n);
    const shared = primeInProgression(1n + 2n * E * (floor / (2n * E) + 1n), 2n * E); // e | shared − 1
    rejects(numbersFor(shared, valid.q, valid.d), 'e | p − 1');
    rejects(numbersFor(valid.p, shared, valid.d), 'e | q − 1');
  });

  it('rejects d that is not e^−1 mod λ, or not reduced mod λ', () => {
    const lambda = lcm(valid.p - 1n, valid.q - 1n);
    rejects(numbersFor(valid.p, valid.q, valid.d + 2n), 'd + 2');
    rejects(numbersFor(valid.p, valid.q, valid.d + lambda), 'd + λ');
    rejects(numbersFor(valid.p, valid.q, valid.d - lambda), 'd − λ < 0');
  });

  it('rejects d ≤ 2^(nlen/2) even when e·d ≡ 1 mod λ', () => {
    // p = 4g + 1, q = 6g + 1: λ = 12g is barely above 2^1024, so d = e^−1 mod λ is often below 2^1024
    // while n, the lengths, |p − q| and the gcds are all fine (p and q need not be prime for this check).
    for (let found = 0; found < 3; ) {
      const g = (1n << 1021n) + (1n << 1019n) + randomBelow(1n << 1017n); // 0.15625·2^1024 ≤ g < 0.1640625·2^1024
      const p = 4n * g + 1n;
      const q = 6n * g + 1n;
      if (gcdReference(E, 12n * g) !== 1n) continue;
      const d = modInverseReference(E, lcm(p - 1n, q - 1n));
      if (d > 1n << 1024n) continue;
      found++;
      const k = numbersFor(p, q, d);
      assert.equal(bits(k.n), 2048);
      assert.ok(bits(p) === 1024 && bits(q) === 1024 && q - p > 1n << 924n);
      assert.ok(k.d < lcm(p - 1n, q - 1n) && (E * k.d) % lcm(p - 1n, q - 1n) === 1n);
      rejects(k, 'd ≤ 2^1024');
    }
  });

  it('rejects wrong CRT values', () => {
    rejects({ ...valid, dp: valid.dp + 1n }, 'dP + 1');
    rejects({ ...valid, dp: valid.dp + valid.p - 1n }, 'dP not reduced');
    rejects({ ...valid, dq: valid.dq - 1n }, 'dQ − 1');
    rejects({ ...valid, dq: valid.d }, 'dQ = d');
    rejects({ ...valid, qi: valid.qi + 1n }, 'qInv + 1');
    rejects({ ...valid, qi: modInverseReference(valid.p, valid.q) }, 'p^−1 mod q instead of q^−1 mod p');
    rejects({ ...valid, qi: 0n }, 'qInv = 0');
  });

  it('rejects p below √2·2^(nlen/2 − 1) even when n has nlen bits', () => {
    const floor = isqrtReference(1n << 2047n);
    const p = primeNear(floor, 'down', (x) => gcdReference(x - 1n, E) === 1n);
    const k = numbersFor(p, valid.q > floor + (1n << 1000n) ? valid.q : valid.p);
    assert.equal(bits(k.n), 2048);
    assert.ok(k.d > 1n << 1024n);
    rejects(k, 'p < √2·2^1023');
  });

  it('rejects qInv not reduced mod p', () => {
    rejects({ ...valid, qi: valid.qi + valid.p }, 'qInv + p');
  });

  it('rejects e outside 2^16 < e < 2^256', () => {
    // e = 3 with p, q ≡ 2 (mod 3): a key that is fine in every other respect.
    const coprime3 = (x: bigint) => x % 3n === 2n;
    const p = primeNear(valid.p, 'up', coprime3);
    const q = primeNear(valid.q, 'up', coprime3);
    rejects(numbersFor(p, q, undefined, 3n), 'e = 3');
  });
});

/** a^−1 mod m by the extended Euclidean algorithm (reference; throws unless gcd(a, m) = 1). */
function modInverseReference(a: bigint, m: bigint): bigint {
  let [r0, r1] = [((a % m) + m) % m, m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const quotient = r0 / r1;
    [r0, r1] = [r1, r0 - quotient * r1];
    [s0, s1] = [s1, s0 - quotient * s1];
  }
  if (r0 !== 1n) throw new Error('not invertible');
  return ((s0 % m) + m) % m;
}
