import { RSA_PUBLIC_KEY_ENGINE } from './native-modexp.js';
import { openSslBignumEngine } from './openssl-bignum.js';

/**
 * The one expensive step of a Miller–Rabin round, b^m mod w, as the test needs it: set up once per candidate w
 * (with its exponent m), then applied to each round's base. Two engines do it with OpenSSL's own arithmetic:
 * `openssl-bignum.ts` calls OpenSSL's BIGNUM functions directly; `native-modexp.ts` reaches the same arithmetic
 * through Node's raw RSA public operation where the direct calls are not available.
 */
export interface PowerEngine {
  readonly name: string;
  /** base ↦ base^exponent mod modulus, for an odd modulus without a leading zero byte. */
  prepare(modulus: Buffer, exponent: Buffer): CandidatePower;
  /** Whether two exponentiations modulo numbers of this length cost about as much as one (`powerPair`). */
  pairs(modulusBits: number): boolean;
  /** Both exponentiations at once; each result is as long as its modulus. */
  powerPair(first: CandidatePower, firstBase: Buffer, second: CandidatePower, secondBase: Buffer): [Buffer, Buffer];
}

export interface CandidatePower {
  readonly modulusBytes: number;
  /** base below the modulus and exactly as long as it; so is the result. */
  power(base: Buffer): Buffer;
  /** Wipes and frees what the engine holds for this candidate (its native copies of w and m). */
  release(): void;
}

/** OpenSSL's BIGNUM functions where they can be reached, else the RSA public operation. */
export function defaultPowerEngine(): PowerEngine {
  return openSslBignumEngine() ?? RSA_PUBLIC_KEY_ENGINE;
}
