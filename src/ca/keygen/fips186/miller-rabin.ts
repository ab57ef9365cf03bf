import { bigIntToBytes } from './big-integer.js';
import { ModularExponent } from './native-modexp.js';
import { RandomBytes } from './random-bytes.js';

/**
 * The Miller–Rabin probabilistic primality test of FIPS 186-5 appendix B.3.1, for an odd w > 3 given
 * as big-endian bytes without a leading zero. Bases are drawn from the CSPRNG, wlen bits at a time, and
 * redrawn unless 1 < b < w − 1, as the standard says. The one expensive step per round, b^m mod w, is
 * done natively; the few squarings that may follow are cheap in BigInt.
 *
 * Returns true for "probably prime" and false for "composite".
 */
export function millerRabin(wBytes: Buffer, w: bigint, rounds: number, random = new RandomBytes()): boolean {
  if (w <= 3n || (w & 1n) === 0n) throw new RangeError('Miller–Rabin needs an odd w > 3');
  const wMinus1 = w - 1n;
  // Step 1: w − 1 = 2^a · m with m odd.
  let a = 0;
  let m = wMinus1;
  while ((m & 1n) === 0n) {
    m >>= 1n;
    a++;
  }
  const length = wBytes.length;
  const minusOne = bigIntToBytes(wMinus1, length);
  const one = bigIntToBytes(1n, length);
  const power = new ModularExponent(wBytes, bigIntToBytes(m));
  const base = Buffer.alloc(length);
  const topBits = bitsInTopByte(wBytes);

  for (let round = 0; round < rounds; round++) {
    // Step 4.1–4.2: a random wlen-bit b with 1 < b < w − 1.
    do {
      random.fill(base);
      base[0] = (base[0] as number) & (0xff >> (8 - topBits));
    } while (base.compare(one) <= 0 || base.compare(minusOne) >= 0);
    // Step 4.3–4.4.
    const first = power.power(base);
    if (first.equals(one) || first.equals(minusOne)) continue;
    // Step 4.5: square up to a − 1 times looking for w − 1.
    let z = BigInt(`0x${first.toString('hex')}`);
    let passed = false;
    for (let j = 1; j < a; j++) {
      z = (z * z) % w;
      if (z === wMinus1) {
        passed = true;
        break;
      }
      if (z === 1n) return false;
    }
    if (!passed) return false;
  }
  return true;
}

function bitsInTopByte(bytes: Buffer): number {
  const top = bytes[0] as number;
  return top === 0 ? 8 : 32 - Math.clz32(top);
}
