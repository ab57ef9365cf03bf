/** The wildcard matcher: AWS's `*` and `?`, literal `+`/`#`, and no catastrophic backtracking. */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileGlob } from '../../../src/domain/policies/resource-pattern.js';

const CASES: ReadonlyArray<[string, string, boolean]> = [
  ['a/b', 'a/b', true],
  ['a/b', 'a/B', false],
  ['a/*', 'a/b/c/d', true],
  ['*/c', 'a/b/c', true],
  ['a*c*e', 'abcde', true],
  ['a*c*e', 'abcdf', false],
  ['a*b*c', 'a/b/c/b', false],
  ['a?c', 'abc', true],
  ['a?c', 'ac', false],
  ['??', 'ab', true],
  ['a/+/c', 'a/+/c', true],
  ['a/+/c', 'a/b/c', false],
  ['a/#', 'a/#', true],
  ['a/#', 'a/b', false],
  ['*', '', true],
  ['a**b', 'ab', true],
  ['x*', 'y', false],
  ['*x', 'yx', true],
];

for (const [pattern, candidate, expected] of CASES) {
  test(`${pattern} ${expected ? 'matches' : 'does not match'} ${candidate}`, () => {
    assert.equal(compileGlob(pattern)(candidate), expected);
  });
}

test('case folding for action names', () => {
  assert.equal(compileGlob('iot:pub*', true)('IOT:PUBLISH'), true);
});

test('a pathological pattern stays fast', () => {
  const pattern = `${'a*'.repeat(40)}b`;
  const candidate = 'a'.repeat(5000);
  const started = process.hrtime.bigint();
  assert.equal(compileGlob(pattern)(candidate), false);
  assert.ok(process.hrtime.bigint() - started < 2_000_000_000n, 'the walk is polynomial');
});
