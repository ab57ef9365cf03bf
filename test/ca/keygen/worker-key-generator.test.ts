import assert from 'node:assert/strict';
import { createPublicKey, sign, verify } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { KEYGEN_ENGINES } from '../../../src/ca/keygen/engines.js';
import { createWorkerKeyPairGenerator, KeyGenerationBusyError } from '../../../src/ca/keygen/worker-key-generator.js';

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

test('the event loop keeps answering while keys are generated', async (t) => {
  const keys = createWorkerKeyPairGenerator({ threads: 2 });
  // What the loop did, in order: a timer answered ('turn') or a key delivered ('key').
  const events: ('turn' | 'key')[] = [];
  let generating = true;
  const turning = (async () => {
    while (generating) {
      await sleep(1);
      events.push('turn');
    }
  })();
  try {
    await Promise.all(Array.from({ length: 6 }, () => keys.generate().then(() => events.push('key'))));
  } finally {
    generating = false;
    await turning;
    await keys.close();
  }
  // A key made on this thread holds the loop until it is done: no timer would be answered before the first
  // key, nor between keys generated back to back. Six keys on two threads arrive at three times at least.
  const firstKey = events.indexOf('key');
  const lastKey = events.lastIndexOf('key');
  const turnsBefore = firstKey;
  const turnsBetween = events.slice(firstKey, lastKey).filter((e) => e === 'turn').length;
  t.diagnostic(`${turnsBefore} timers answered before the first key, ${turnsBetween} between the first and the last`);
  assert.ok(turnsBefore >= 1, 'no timer was answered before the first key arrived');
  assert.ok(turnsBetween >= 1, 'no timer was answered between the first and the last key');
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

for (const engine of KEYGEN_ENGINES) {
  test(`the ${engine} engine makes RSA-2048 keys in worker threads and counts them`, async () => {
    const keys = createWorkerKeyPairGenerator({ engine, threads: 1 });
    try {
      const { privateKey, publicKey } = await keys.generate();
      assert.equal(privateKey.asymmetricKeyDetails?.modulusLength, 2048);
      assert.equal(privateKey.asymmetricKeyDetails?.publicExponent, 65537n);
      assert.ok(verify('sha256', Buffer.from('x'), publicKey, sign('sha256', Buffer.from('x'), privateKey)));
      const stats = keys.stats();
      assert.equal(stats.engine, engine);
      assert.deepEqual(stats.generated, { request: 1, background: 0 });
      assert.ok(stats.generationSeconds > 0);
      assert.equal(stats.busyThreads, 0);
    } finally {
      await keys.close();
    }
  });
}

test('workers run at a lower priority than the main thread (Linux nice value)', async (t) => {
  if (process.platform !== 'linux') return t.skip('thread priorities are read from /proc');
  const niceOf = (tid: string): number => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  };
  // The main thread's id is the pid; /proc lists tasks in no useful order.
  const mainBefore = niceOf(String(process.pid));
  const keys = createWorkerKeyPairGenerator({ threads: 1, niceness: 7 });
  try {
    await keys.generate();
    const niceness = readdirSync('/proc/self/task').map(niceOf);
    assert.ok(
      niceness.includes(Math.min(mainBefore + 7, 19)),
      `no thread 7 below the main thread among ${niceness.join(',')}`,
    );
    assert.equal(niceOf(String(process.pid)), mainBefore, 'the main thread keeps its priority');
  } finally {
    await keys.close();
  }
});

test('generateWhenIdle only uses a worker nobody waits for', async () => {
  const keys = createWorkerKeyPairGenerator({ threads: 1, maxQueued: 4 });
  try {
    const request = keys.generate();
    assert.equal(keys.generateWhenIdle(), undefined, 'the only worker is busy');
    await request;
    const spare = keys.generateWhenIdle();
    assert.ok(spare, 'an idle worker takes background work');
    assert.equal(keys.generateWhenIdle(), undefined);
    await spare;
    assert.deepEqual(keys.stats().generated, { request: 1, background: 1 });
  } finally {
    await keys.close();
  }
});

test('a queue limit of 0 still lets a free worker take the request', async () => {
  const keys = createWorkerKeyPairGenerator({ threads: 1, maxQueued: 0 });
  try {
    const first = keys.generate();
    await assert.rejects(keys.generate(), KeyGenerationBusyError);
    assert.equal((await first).privateKey.type, 'private');
    assert.equal(keys.stats().throttled, 1);
  } finally {
    await keys.close();
  }
});
