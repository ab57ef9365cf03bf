import { createRequire } from 'node:module';
import type { CandidatePower, PowerEngine } from './power-engine.js';

/**
 * Modular exponentiation by OpenSSL's BIGNUM functions, called directly (through koffi) in the OpenSSL that
 * Node itself carries: official Node builds export libcrypto's symbols for addons, and a Node linked to a
 * shared libcrypto has them in the process too. It is the arithmetic the RSA public operation
 * (native-modexp.ts) ends in, BN_mod_exp_mont, without a key object, an EVP context and a JWK per candidate.
 *
 * It also reaches BN_mod_exp_mont_consttime_x2, OpenSSL's two exponentiations at once (public API since 3.0;
 * the two halves of an RSA-2048 CRT signature). On processors with AVX-512 IFMA (or AVX-IFMA) it interleaves
 * both in one vectorised pass, and two 1024-bit exponentiations then cost about one (measured 0.26 ms for
 * the pair against 0.26 ms for one); elsewhere it runs them one after the other in constant time, slower than
 * two BN_mod_exp_mont (0.74 ms against 0.65 ms with the IFMA code masked off). So pairs are used only where
 * OpenSSL says that code runs (its
 * ossl_rsaz_*ifma_eligible checks, which Node exports too; absent → no pairs) and for the sizes it covers:
 * 1024-bit moduli since OpenSSL 3.0, 1536 and 2048 bits as well in 3.5 (measured; 3.0 runs those serially).
 *
 * Not available (another runtime, a stripped build, no koffi for the platform) → undefined, and the
 * generator uses the RSA public operation instead.
 */
export function openSslBignumEngine(): PowerEngine | undefined {
  if (engine === undefined) engine = load() ?? null;
  return engine ?? undefined;
}

let engine: PowerEngine | null | undefined;

/** A native pointer as koffi hands it over. */
type Native = bigint;
type Koffi = typeof import('koffi');
type TypeSpec = Parameters<Koffi['out']>[0];

interface Bignums {
  newBn(): Native | null;
  clearFree(bn: Native): void;
  bin2bn(bytes: Buffer, length: number, into: Native): Native | null;
  bn2binpad(bn: Native, out: Buffer, length: number): number;
  newCtx(): Native | null;
  freeCtx(ctx: Native): void;
  newMont(): Native | null;
  setMont(mont: Native, modulus: Native, ctx: Native): number;
  freeMont(mont: Native): void;
  modExp(r: Native, a: Native, p: Native, m: Native, ctx: Native, mont: Native): number;
  modExpPair(...args: [Native, Native, Native, Native, Native, Native, Native, Native, Native, Native, Native]): number;
  pairedCode: boolean;
}

function load(): PowerEngine | undefined {
  if (!process.versions.openssl || Number(process.versions.openssl.split('.')[0]) < 3) return undefined;
  try {
    const koffi = createRequire(import.meta.url)('koffi') as Koffi;
    const lib = koffi.load(null); // the process itself: Node and the libcrypto it carries or links
    const pointer = koffi.pointer(koffi.opaque());
    const bytes = 'uint8_t *';
    const f = (name: string, result: TypeSpec, args: TypeSpec[]) => lib.func(name, result, args);
    const eligible = (name: string): boolean => {
      try {
        return f(name, 'int', [])() !== 0;
      } catch {
        return false; // not exported: no pairs
      }
    };
    const bignums: Bignums = {
      newBn: f('BN_new', pointer, []),
      clearFree: f('BN_clear_free', 'void', [pointer]),
      bin2bn: f('BN_bin2bn', pointer, [bytes, 'int', pointer]),
      bn2binpad: f('BN_bn2binpad', 'int', [pointer, koffi.out(bytes), 'int']),
      newCtx: f('BN_CTX_new', pointer, []),
      freeCtx: f('BN_CTX_free', 'void', [pointer]),
      newMont: f('BN_MONT_CTX_new', pointer, []),
      setMont: f('BN_MONT_CTX_set', 'int', [pointer, pointer, pointer]),
      freeMont: f('BN_MONT_CTX_free', 'void', [pointer]),
      modExp: f('BN_mod_exp_mont', 'int', Array(6).fill(pointer)),
      modExpPair: f('BN_mod_exp_mont_consttime_x2', 'int', Array(11).fill(pointer)),
      pairedCode: eligible('ossl_rsaz_avx512ifma_eligible') || eligible('ossl_rsaz_avxifma_eligible'),
    };
    const candidate = new OpenSslEngine(bignums);
    return selfTestPasses(candidate) ? candidate : undefined;
  } catch {
    return undefined;
  }
}

/** 3^(2^k) mod (2^61 − 1), singly and in a pair, against BigInt: the bindings are what they claim to be. */
function selfTestPasses(candidate: OpenSslEngine): boolean {
  const modulus = (1n << 61n) - 1n;
  const exponent = 1n << 40n;
  let expected = 3n;
  for (let i = 0; i < 40; i++) expected = (expected * expected) % modulus;
  const m = Buffer.from(modulus.toString(16).padStart(16, '0'), 'hex');
  const power = candidate.prepare(m, Buffer.from(exponent.toString(16).padStart(12, '0'), 'hex'));
  try {
    const base = Buffer.alloc(8);
    base[7] = 3;
    const single = power.power(base);
    const [a, b] = candidate.powerPair(power, base, power, base);
    return [single, a, b].every((x) => BigInt(`0x${x.toString('hex')}`) === expected);
  } finally {
    power.release();
  }
}

const PAIRED_BITS_OPENSSL_30 = new Set([1024]);
const PAIRED_BITS_OPENSSL_35 = new Set([1024, 1536, 2048]);

class OpenSslEngine implements PowerEngine {
  readonly name = 'openssl-bignum';
  private readonly pairedBits: ReadonlySet<number>;

  constructor(private readonly bn: Bignums) {
    const [major = 0, minor = 0] = (process.versions.openssl ?? '').split('.').map(Number);
    const paired = major > 3 || (major === 3 && minor >= 5) ? PAIRED_BITS_OPENSSL_35 : PAIRED_BITS_OPENSSL_30;
    this.pairedBits = bn.pairedCode ? paired : new Set();
  }

  prepare(modulus: Buffer, exponent: Buffer): CandidatePower {
    return new OpenSslPower(this.bn, modulus, exponent);
  }

  pairs(modulusBits: number): boolean {
    return this.pairedBits.has(modulusBits);
  }

  powerPair(first: CandidatePower, firstBase: Buffer, second: CandidatePower, secondBase: Buffer): [Buffer, Buffer] {
    if (!(first instanceof OpenSslPower) || !(second instanceof OpenSslPower)) throw new TypeError('not this engine');
    // Slot 0 for the first, 1 for the second: they may be one candidate running two rounds.
    const a = first.loadBase(firstBase, 0);
    const b = second.loadBase(secondBase, 1);
    const pair = this.bn.modExpPair;
    const done = pair(
      a.results[0],
      a.bases[0],
      a.exponent,
      a.modulus,
      a.mont,
      b.results[1],
      b.bases[1],
      b.exponent,
      b.modulus,
      b.mont,
      a.ctx,
    );
    if (done !== 1) throw new Error('BN_mod_exp_mont_consttime_x2 failed');
    return [first.result(0), second.result(1)];
  }
}

/** What an exponentiation needs, in OpenSSL's memory. */
interface Registers {
  /** Two of each, so that one candidate can run two rounds in one pair. */
  readonly results: readonly [Native, Native];
  readonly bases: readonly [Native, Native];
  readonly exponent: Native;
  readonly modulus: Native;
  readonly mont: Native;
  readonly ctx: Native;
}

/** One candidate's numbers in OpenSSL's memory: w, m, w's Montgomery form, base and result registers. */
class OpenSslPower implements CandidatePower {
  readonly modulusBytes: number;
  private registers: Registers | undefined;
  private montReady = false;

  constructor(
    private readonly bn: Bignums,
    modulus: Buffer,
    exponent: Buffer,
  ) {
    if (modulus.length === 0 || modulus[0] === 0 || ((modulus[modulus.length - 1] as number) & 1) === 0) {
      throw new RangeError('the modulus must be odd and have no leading zero byte');
    }
    this.modulusBytes = modulus.length;
    const made: Native[] = [];
    const bignum = (bytes?: Buffer): Native => {
      const number = required(bn.newBn());
      made.push(number);
      if (bytes) required(bn.bin2bn(bytes, bytes.length, number));
      return number;
    };
    let ctx: Native | null = null;
    let mont: Native | null = null;
    try {
      const [modulusBn, exponentBn] = [bignum(modulus), bignum(exponent)];
      const bases = [bignum(), bignum()] as const;
      const results = [bignum(), bignum()] as const;
      ctx = required(bn.newCtx());
      mont = required(bn.newMont());
      this.registers = { modulus: modulusBn, exponent: exponentBn, bases, results, ctx, mont };
    } catch (err) {
      for (const number of made) bn.clearFree(number);
      if (mont) bn.freeMont(mont);
      if (ctx) bn.freeCtx(ctx);
      throw err;
    }
  }

  power(base: Buffer): Buffer {
    const r = this.loadBase(base, 0);
    if (this.bn.modExp(r.results[0], r.bases[0], r.exponent, r.modulus, r.ctx, r.mont) !== 1) {
      throw new Error('BN_mod_exp_mont failed');
    }
    return this.result(0);
  }

  /** Sets a base register (and, the first time, the Montgomery form of w) for an exponentiation. */
  loadBase(base: Buffer, slot: 0 | 1): Registers {
    const r = this.registers;
    if (!r) throw new Error('released');
    if (base.length !== this.modulusBytes) throw new RangeError('the base must be as long as the modulus');
    required(this.bn.bin2bn(base, base.length, r.bases[slot]));
    if (!this.montReady) {
      if (this.bn.setMont(r.mont, r.modulus, r.ctx) !== 1) throw new Error('BN_MONT_CTX_set failed');
      this.montReady = true;
    }
    return r;
  }

  result(slot: 0 | 1): Buffer {
    const r = this.registers;
    if (!r) throw new Error('released');
    const out = Buffer.alloc(this.modulusBytes);
    if (this.bn.bn2binpad(r.results[slot], out, out.length) !== out.length) throw new Error('BN_bn2binpad failed');
    return out;
  }

  release(): void {
    const r = this.registers;
    if (!r) return;
    this.registers = undefined;
    for (const bn of [r.modulus, r.exponent, ...r.bases, ...r.results]) this.bn.clearFree(bn);
    // Both are freed with BN_clear_free inside: the Montgomery form holds w, the context the temporaries.
    this.bn.freeMont(r.mont);
    this.bn.freeCtx(r.ctx);
  }
}

function required(pointer: Native | null): Native {
  if (!pointer) throw new Error('OpenSSL could not allocate');
  return pointer;
}
