import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { storeOnFirstUse } from '../../src/registry/store-on-first-use.js';

interface Counter {
  add(by: number): Promise<number>;
  total(): Promise<number>;
}

/** A counter store whose `make` calls are counted; `failures` first makes fail. */
function countedCounter(failures = 0) {
  let makes = 0;
  const make = async (): Promise<Counter> => {
    makes++;
    if (makes <= failures) throw new Error(`make ${makes} failed`);
    let sum = 0;
    return {
      async add(by) {
        sum += by;
        return sum;
      },
      async total() {
        return sum;
      },
    };
  };
  return { make, makes: () => makes };
}

describe('a store made on its first use', () => {
  test('is made by the first call only, once however many calls come at the same time', async () => {
    const counted = countedCounter();
    const store = storeOnFirstUse(counted.make);
    assert.equal(counted.makes(), 0, 'nothing is made before a call');
    assert.deepEqual(await Promise.all([store.add(1), store.add(2), store.add(3)]), [1, 3, 6]);
    assert.equal(await store.total(), 6);
    assert.equal(counted.makes(), 1);
    assert.equal(store.add, store.add, 'a method is the same function each time');
  });

  test('a failed make reaches the caller and is tried again by the next call', async () => {
    const counted = countedCounter(1);
    const store = storeOnFirstUse(counted.make);
    await assert.rejects(store.add(1), /make 1 failed/);
    assert.equal(await store.add(1), 1);
    assert.equal(counted.makes(), 2);
  });

  test('is not taken for a promise, and a method the store lacks rejects', async () => {
    const store = storeOnFirstUse(countedCounter().make);
    assert.equal(await Promise.resolve(store), store);
    await assert.rejects((store as unknown as { missing(): Promise<void> }).missing(), TypeError);
  });
});
