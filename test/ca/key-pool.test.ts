import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { GeneratedKeyPair } from '../../src/ca/key-generator.js';
import { createKeyPool, type KeyPool } from '../../src/ca/keygen/key-pool.js';
import { createWorkerKeyPairGenerator, KeyGenerationBusyError } from '../../src/ca/keygen/worker-key-generator.js';

const modulus = (keys: GeneratedKeyPair) => String(keys.publicKey.export({ format: 'jwk' }).n);

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

test('the pool fills itself to capacity from idle workers, then stops', async () => {
  const engine = createWorkerKeyPairGenerator({ threads: 2 });
  const pool = createKeyPool(engine, 3);
  try {
    await until(() => pool.stats().ready === 3, 'a full pool');
    await sleep(150);
    assert.equal(pool.stats().ready, 3);
    assert.equal(engine.stats().generated.background, 3, 'no key made beyond capacity');
    assert.equal(engine.stats().busyThreads, 0);
  } finally {
    await pool.close();
  }
});

test('requests drain the pool first, each key is handed out once, and the pool refills', async () => {
  const engine = createWorkerKeyPairGenerator({ threads: 2 });
  const pool: KeyPool = createKeyPool(engine, 2);
  try {
    await until(() => pool.stats().ready === 2, 'a full pool');
    const started = performance.now();
    const pooled = [await pool.generate(), await pool.generate()];
    assert.ok(performance.now() - started < 20, 'pooled keys come without waiting for a worker');
    assert.deepEqual({ hits: pool.stats().hits, misses: pool.stats().misses }, { hits: 2, misses: 0 });
    const more = await Promise.all([pool.generate(), pool.generate(), pool.generate()]);
    const all = [...pooled, ...more].map(modulus);
    assert.equal(new Set(all).size, all.length, 'no key is handed out twice');
    assert.ok(pool.stats().misses >= 1, 'an empty pool is a miss');
    await until(() => pool.stats().ready === 2, 'the pool to refill');
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
    await until(() => pool.stats().ready === 1, 'the background key');
    assert.equal((await pool.generate()).privateKey.asymmetricKeyDetails?.modulusLength, 2048);
  } finally {
    await pool.close();
  }
});

test('closing drops the pooled keys and refuses further requests', async () => {
  const engine = createWorkerKeyPairGenerator({ threads: 1 });
  const pool = createKeyPool(engine, 1);
  await until(() => pool.stats().ready === 1, 'a full pool');
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
    await until(() => pool.stats().ready === 2, 'a full pool');
    assert.deepEqual(events, ['filling 2', 'full 2 true']);
    // One key taken and made again: the pool was never empty, so nothing is said.
    await pool.generate();
    await until(() => pool.stats().ready === 2, 'the pool to refill');
    assert.deepEqual(events, ['filling 2', 'full 2 true']);
    // Four at once from a pool of two: the third finds it dry, once, however many keys come afterwards.
    await Promise.all([pool.generate(), pool.generate(), pool.generate(), pool.generate()]);
    await until(() => pool.stats().ready === 2, 'the pool to refill after running dry');
    assert.deepEqual(events, ['filling 2', 'full 2 true', 'drained 1', 'full 2 true']);
  } finally {
    await pool.close();
  }
});
