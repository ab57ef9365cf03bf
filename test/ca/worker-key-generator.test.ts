import assert from 'node:assert/strict';
import { createPublicKey, sign, verify } from 'node:crypto';
import { test } from 'node:test';
import { createWorkerKeyPairGenerator, KeyGenerationBusyError } from '../../src/ca/keygen/worker-key-generator.js';

test('worker threads produce matching RSA-2048 key pairs with e = 65537', async () => {
  const keys = createWorkerKeyPairGenerator({ threads: 2 });
  try {
    const pairs = await Promise.all([keys.generate(), keys.generate(), keys.generate()]);
    const moduli = new Set<string>();
    for (const { privateKey, publicKey } of pairs) {
      assert.equal(privateKey.type, 'private');
      assert.equal(privateKey.asymmetricKeyDetails?.modulusLength, 2048);
      assert.equal(privateKey.asymmetricKeyDetails?.publicExponent, 65537n);
      assert.deepEqual(
        createPublicKey(privateKey).export({ type: 'spki', format: 'der' }),
        publicKey.export({ type: 'spki', format: 'der' }),
      );
      const signature = sign('sha256', Buffer.from('pairwise'), privateKey);
      assert.ok(verify('sha256', Buffer.from('pairwise'), publicKey, signature));
      moduli.add(String(publicKey.export({ format: 'jwk' }).n));
    }
    assert.equal(moduli.size, 3, 'every key is fresh');
  } finally {
    await keys.close();
  }
});

test('the event loop keeps answering while keys are generated', async () => {
  const keys = createWorkerKeyPairGenerator({ threads: 2 });
  let worstLag = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    worstLag = Math.max(worstLag, now - last - 5);
    last = now;
  }, 5);
  try {
    await Promise.all(Array.from({ length: 6 }, () => keys.generate()));
  } finally {
    clearInterval(timer);
    await keys.close();
  }
  // In-thread generation blocks for 50–700 ms per key; off-thread the loop only sees small hiccups.
  assert.ok(worstLag < 100, `event loop stalled for ${worstLag.toFixed(1)} ms`);
});

test('a full queue refuses at once with KeyGenerationBusyError; close rejects what waits, finishes what runs', async () => {
  const keys = createWorkerKeyPairGenerator({ threads: 1, maxQueued: 1 });
  const running = keys.generate();
  const queued = keys.generate();
  await assert.rejects(keys.generate(), KeyGenerationBusyError);
  // Handlers first: close() rejects what waits while it runs; the key being made is still delivered.
  const outcomes = Promise.all([assert.rejects(queued, /closed/), running]);
  await keys.close();
  const [, delivered] = await outcomes;
  assert.equal(delivered.privateKey.asymmetricKeyDetails?.modulusLength, 2048);
  await assert.rejects(keys.generate(), /closed/);
});
