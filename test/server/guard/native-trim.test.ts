import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fullGarbageCollection } from '../../../src/server/guard/full-gc.js';
import { nativeMemoryTrim } from '../../../src/server/guard/native-trim.js';

const rssMb = () => process.memoryUsage().rss / 1048576;
const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 0));

test('nativeMemoryTrim hands memory that malloc kept after a collection back to the system', async () => {
  const gc = fullGarbageCollection();
  const trim = nativeMemoryTrim();
  assert.ok(gc, 'this runtime should allow a collection on demand');
  assert.ok(trim, 'on Linux with glibc the trim should be available');
  // 8 KB buffers come from malloc (below its mmap threshold); a few kept ones pin the freed space in between,
  // as a flood's TLS state does, so malloc keeps it after the collection.
  const kept: Buffer[] = [];
  let garbage: Buffer[] | undefined = [];
  for (let i = 0; i < 20_000; i++) {
    garbage.push(Buffer.alloc(8192, 1));
    if (i % 16 === 0) kept.push(Buffer.alloc(5000, 1));
  }
  garbage = undefined;
  await nextTurn();
  gc();
  await nextTurn();
  gc();
  const afterCollection = rssMb();
  trim();
  const given = afterCollection - rssMb();
  assert.ok(given > 50, `the trim should give back most of the 160 MB freed (gave ${given.toFixed(0)} MB)`);
  assert.equal(kept.length, 1250);
});
