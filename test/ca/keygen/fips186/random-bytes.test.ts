import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RandomBytes } from '../../../../src/ca/keygen/fips186/random-bytes.js';

/** Whether `bytes` holds a run of at least `length` zero bytes (never, in practice, for random bytes of this size). */
function hasZeroRun(bytes: Buffer, length: number): boolean {
  let run = 0;
  for (const byte of bytes) {
    run = byte === 0 ? run + 1 : 0;
    if (run >= length) return true;
  }
  return false;
}

describe('RandomBytes', () => {
  it('fills the target it is given, of any size, and returns it', () => {
    const random = new RandomBytes();
    for (const size of [0, 1, 7, 100, 128, 192, 256, 4096, 8191, 8192, 8193, 20000]) {
      const target = Buffer.alloc(size);
      assert.equal(random.fill(target), target);
      assert.equal(target.length, size);
      if (size >= 16) assert.ok(!hasZeroRun(target, 16), `${size} bytes`);
    }
  });

  it('hands out each byte once: no repeats, and no wiped (zero) bytes, across refills', () => {
    const random = new RandomBytes();
    const seen = new Set<string>();
    // 100-byte draws do not divide the pool evenly, so draws meet its end at every possible offset.
    for (let i = 0; i < 2000; i++) {
      const draw = random.fill(Buffer.alloc(i % 3 === 0 ? 100 : 128));
      assert.ok(!hasZeroRun(draw, 16), `draw ${i}`);
      const key = draw.toString('hex');
      assert.ok(!seen.has(key), `draw ${i} repeats an earlier one`);
      seen.add(key);
    }
  });

  it('gives evenly distributed byte values', () => {
    const random = new RandomBytes();
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 2048; i++)
      for (const byte of random.fill(Buffer.alloc(128))) counts[byte] = (counts[byte] ?? 0) + 1;
    const expected = (2048 * 128) / 256;
    const chiSquare = counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
    // 255 degrees of freedom: mean 255, standard deviation ≈ 22.6.
    assert.ok(chiSquare < 255 + 8 * 22.6, `χ² = ${chiSquare}`);
  });

  it('keeps separate instances independent', () => {
    const a = new RandomBytes().fill(Buffer.alloc(64));
    const b = new RandomBytes().fill(Buffer.alloc(64));
    assert.notDeepEqual(a, b);
  });
});
