/** Conversions between big-endian byte strings and BigInt, and the few BigInt helpers the generator needs. */

export function bytesToBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0
    ? 0n
    : BigInt(`0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex')}`);
}

/** Unsigned big-endian bytes of x, left-padded with zeros to `length` (or the minimum length when omitted). */
export function bigIntToBytes(x: bigint, length?: number): Buffer {
  if (x < 0n) throw new RangeError('negative integers have no unsigned encoding');
  let hex = x.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  const minimal = Buffer.from(hex, 'hex');
  if (length === undefined || minimal.length === length) return minimal;
  if (minimal.length > length) throw new RangeError(`integer needs ${minimal.length} bytes, only ${length} allowed`);
  const padded = Buffer.alloc(length);
  minimal.copy(padded, length - minimal.length);
  return padded;
}

export function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

export function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** floor(√n) by Newton's method. */
export function integerSquareRoot(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(bitLength(n) / 2));
  for (;;) {
    const next = (x + n / x) >> 1n;
    if (next >= x) return x;
    x = next;
  }
}

/** a^−1 mod m by the extended Euclidean algorithm; fast when a is small (a public exponent). */
export function modularInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const quotient = oldR / r;
    [oldR, r] = [r, oldR - quotient * r];
    [oldS, s] = [s, oldS - quotient * s];
  }
  if (oldR !== 1n) throw new RangeError('not invertible');
  return ((oldS % m) + m) % m;
}
