import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONFIG_FORMAT, HomeError, parseConfig } from '../../src/home/config.js';

const config = (keygen: unknown) => JSON.stringify({ format: CONFIG_FORMAT, keygen });

test('keygen settings in config.json are read when valid', () => {
  const parsed = parseConfig(config({ engine: 'openssl', threads: 3, maxQueued: 0, poolSize: 1000 }), 'c.json');
  assert.deepEqual(parsed.keygen, { engine: 'openssl', threads: 3, maxQueued: 0, poolSize: 1000 });
  assert.equal(parseConfig(JSON.stringify({ format: CONFIG_FORMAT }), 'c.json').keygen, undefined);
});

for (const [keygen, message] of [
  ['fast', /keygen must be an object/],
  [[1], /keygen must be an object/],
  [{ engine: 'forge' }, /keygen.engine must be "fips186-5" or "openssl"/],
  [{ threads: 0 }, /keygen.threads must be a whole number from 1 to 100000/],
  [{ threads: 1.5 }, /keygen.threads/],
  [{ maxQueued: -1 }, /keygen.maxQueued must be a whole number from 0/],
  [{ poolSize: '10' }, /keygen.poolSize/],
  [{ poolSize: 1e9 }, /keygen.poolSize/],
  [{ pool: 10 }, /keygen has unknown settings: pool/],
] as const) {
  test(`config.json keygen ${JSON.stringify(keygen)} is refused with a message that says why`, () => {
    assert.throws(
      () => parseConfig(config(keygen), '/data/config.json'),
      (err: unknown) =>
        err instanceof HomeError && message.test(err.message) && err.message.startsWith('/data/config.json'),
    );
  });
}
