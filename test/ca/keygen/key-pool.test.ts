import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GeneratedKeyPair } from '../../../src/ca/key-generator.js';
import { createKeyPool, type KeyPool } from '../../../src/ca/keygen/key-pool.js';
import { createWorkerKeyPairGenerator, KeyGenerationBusyError } from '../../../src/ca/keygen/worker-key-generator.js';
import { eventually } from '../../helpers/eventually.js';

const modulus = (keys: GeneratedKeyPair) => String(keys.publicKey.export({ format: 'jwk' }).n);

/** `promise`'s value if it settles before the event loop turns (a worker's key needs a turn), else 'later'. */
function beforeTheLoopTurns<T>(promise: Promise<T>): Promise<T | 'later'> {
  return Promise.race([promise, new Promise<'later'>((resolve) => setImmediate(() => resolve('later')))]);
}

test('the pool fills itself to capacity from idle workers, then stops', async () => {
  const engine = createWorkerKeyPairGenerator({ threads: 2 });
  const pool = createKeyPool(engine, 3);
  try {
    await eventually('a full pool', () => pool.stats().ready === 3);
    // Full, with no worker busy and nothing queued: no further key is on its way. A few turns of the event loop
    // give one started late (on an idle worker's call) the chance to show.
    for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(pool.stats().ready, 3);
    assert.equal(engine.stats().generated.background, 3, 'no key made beyond capacity');
    assert.equal(engine.stats().busyThreads, 0);
    assert.equal(engine.stats().queued, 0);
  } finally {
    await pool.close();
  }
});

test('requests drain the pool first, each key is handed out once, and the pool refills', async () => {
  const engine = createWorkerKeyPairGenerator({ threads: 2 });
  const pool: KeyPool = createKeyPool(engine, 2);
  try {
    await eventually('a full pool', () => pool.stats().ready === 2);
    const first = await beforeTheLoopTurns(pool.generate());
    const second = await beforeTheLoopTurns(pool.generate());
    assert.ok(first !== 'later' && second !== 'later', 'pooled keys come without waiting for a worker');
    assert.equal(engine.stats().generated.request, 0, 'no key was made for these requests');
    assert.deepEqual({ hits: pool.stats().hits, misses: pool.stats().misses }, { hits: 2, misses: 0 });
    const more = await Promise.all([pool.generate(), pool.generate(), pool.generate()]);
    const all = [first, second, ...more].map(modulus);
    assert.equal(new Set(all).size, all.length, 'no key is handed out twice');
    assert.ok(pool.stats().misses >= 1, 'an empty pool is a miss');
    await eventually('the pool to refill', () => pool.stats().ready === 2);
  } finally {
    await pool.close();
  }
});

test('an empty pool behind a full queue throttles the request', async () => {
  const engine = createWorkerKeyPairGenerator({ threads: 1, maxQueued: 0 });
  const pool = createKeyPool(engine, 1);
  try {
    // The refill holds the only worker and the queue takes nothing: a miss now is refused at once.
    assert.equal(engine.stats().busyThreads, 1);
    await assert.rejects(pool.generate(), KeyGenerationBusyError);
    assert.equal(pool.stats().misses, 1);
    await eventually('the background key', () => pool.stats().ready === 1);
    assert.equal((await pool.generate()).privateKey.asymmetricKeyDetails?.modulusLength, 2048);
  } finally {
    await pool.close();
  }
});

test('closing drops the pooled keys and refuses further requests', async () => {
  const engine = createWorkerKeyPairGenerator({ threads: 1 });
  const pool = createKeyPool(engine, 1);
  await eventually('a full pool', () => pool.stats().ready === 1);
  await pool.close();
  assert.equal(pool.stats().ready, 0);
  await assert.rejects(pool.generate(), /closed/);
});

test('the observer hears episodes, not keys: filling, full, drained, full again', async () => {
  const engine = createWorkerKeyPairGenerator({ threads: 2 });
  const events: string[] = [];
  const pool = createKeyPool(engine, 2, {
    filling: (capacity) => events.push(`filling ${capacity}`),
    full: (keys, seconds) => events.push(`full ${keys} ${seconds >= 0}`),
    drained: (waiting) => events.push(`drained ${waiting}`),
  });
  try {
    await eventually('a full pool', () => pool.stats().ready === 2);
    assert.deepEqual(events, ['filling 2', 'full 2 true']);
    // One key taken and made again: the pool was never empty, so nothing is said.
    await pool.generate();
    await eventually('the pool to refill', () => pool.stats().ready === 2);
    assert.deepEqual(events, ['filling 2', 'full 2 true']);
    // Four at once from a pool of two: the third finds it dry, once, however many keys come afterwards.
    await Promise.all([pool.generate(), pool.generate(), pool.generate(), pool.generate()]);
    await eventually('the pool to refill after running dry', () => pool.stats().ready === 2);
    assert.deepEqual(events, ['filling 2', 'full 2 true', 'drained 1', 'full 2 true']);
  } finally {
    await pool.close();
  }
});
