import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONFIG_FORMAT, HomeError, parseConfig } from '../../src/home/config.js';

const config = (console: unknown) => JSON.stringify({ format: CONFIG_FORMAT, console });

test('config.json console: true or false, absent when not set', () => {
  assert.equal(parseConfig(config(false), 'c.json').console, false);
  assert.equal(parseConfig(config(true), 'c.json').console, true);
  assert.equal(parseConfig(JSON.stringify({ format: CONFIG_FORMAT }), 'c.json').console, undefined);
});

for (const value of ['false', 0, null, {}, ['off']]) {
  test(`config.json console ${JSON.stringify(value)} is refused with a message that says why`, () => {
    assert.throws(
      () => parseConfig(config(value), '/data/config.json'),
      (err: unknown) => err instanceof HomeError && err.message === '/data/config.json: console must be true or false',
    );
  });
}
