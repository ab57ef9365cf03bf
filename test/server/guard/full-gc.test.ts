import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fullGarbageCollection } from '../../../src/server/guard/full-gc.js';

/** A WeakRef keeps its target for the rest of the current job; a timer turn ends it. */
const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 0));

test('fullGarbageCollection frees unreachable objects at once, as the after-flood collection relies on', async () => {
  const gc = fullGarbageCollection();
  assert.ok(gc, 'this runtime should allow a collection on demand');
  let garbage: object[] | undefined = Array.from({ length: 200_000 }, (_, i) => ({ i, name: `socket-${i}` }));
  const weak = new WeakRef(garbage);
  garbage = undefined;
  await nextTurn();
  const before = process.memoryUsage().heapUsed;
  gc();
  assert.equal(weak.deref(), undefined, 'the dropped objects should be collected by one call');
  const freedMb = (before - process.memoryUsage().heapUsed) / 1048576;
  assert.ok(freedMb > 5, `the heap should shrink by the dropped objects (freed ${freedMb.toFixed(1)} MB)`);
});
