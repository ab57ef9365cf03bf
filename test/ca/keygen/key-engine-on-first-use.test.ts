import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_KEYGEN_ENGINE } from '../../../src/ca/keygen/engines.js';
import { keyEngineOnFirstUse } from '../../../src/ca/keygen/key-engine-on-first-use.js';

test('before its first key, the engine reports its configuration and nothing done', () => {
  const engine = keyEngineOnFirstUse({ threads: 2 });
  assert.deepEqual(engine.stats(), {
    engine: DEFAULT_KEYGEN_ENGINE,
    threads: 2,
    maxQueued: 32,
    busyThreads: 0,
    queued: 0,
    generated: { request: 0, background: 0 },
    generationSeconds: 0,
    throttled: 0,
    failures: 0,
  });
  assert.equal(keyEngineOnFirstUse({ threads: 1, maxQueued: 0 }).stats().maxQueued, 0);
});

test('the first key starts the worker engine, whose counters are reported from then on', async () => {
  const engine = keyEngineOnFirstUse({ threads: 1 });
  try {
    const { privateKey } = await engine.generate();
    assert.equal(privateKey.asymmetricKeyDetails?.modulusLength, 2048);
    assert.deepEqual(engine.stats().generated, { request: 1, background: 0 });
    assert.equal(engine.stats().threads, 1);
  } finally {
    await engine.close();
  }
});

test('closed before any key, it starts nothing and refuses later keys', async () => {
  const engine = keyEngineOnFirstUse({ threads: 1 });
  await engine.close();
  await assert.rejects(engine.generate(), /key generator is closed/);
});
