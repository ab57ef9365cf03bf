// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Fn::Sub strings are written with ${Name}, not JavaScript templates
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseSubString } from '../../../src/provisioning/template/parse-sub-string.js';
import { TemplateError } from '../../../src/provisioning/template/template-error.js';

describe('parseSubString', () => {
  test('cuts text and variables', () => {
    assert.deepEqual(parseSubString('a${B}c${D::E}', 'w'), [
      { kind: 'text', text: 'a' },
      { kind: 'variable', name: 'B' },
      { kind: 'text', text: 'c' },
      { kind: 'variable', name: 'D::E' },
    ]);
  });

  test('adjacent variables, no text', () => {
    assert.deepEqual(parseSubString('${A}${B}', 'w'), [
      { kind: 'variable', name: 'A' },
      { kind: 'variable', name: 'B' },
    ]);
    assert.deepEqual(parseSubString('', 'w'), []);
  });

  test('${!...} is literal text merged with its neighbours', () => {
    assert.deepEqual(parseSubString('x${!A}y${B}', 'w'), [
      { kind: 'text', text: 'x${A}y' },
      { kind: 'variable', name: 'B' },
    ]);
    assert.deepEqual(parseSubString('${!}', 'w'), [{ kind: 'text', text: '${}' }]);
  });

  test('a "$" or "{" alone is text', () => {
    assert.deepEqual(parseSubString('$ {A} $$ }', 'w'), [{ kind: 'text', text: '$ {A} $$ }' }]);
  });

  test('refusals carry the place and the offset', () => {
    assert.throws(
      () => parseSubString('ab${C', 'here'),
      (error: unknown) => {
        assert.ok(error instanceof TemplateError);
        assert.equal(error.errorCode, 'InvalidTemplate');
        assert.equal(error.message, 'here: Fn::Sub has an unterminated "${" at offset 2');
        return true;
      },
    );
    assert.throws(() => parseSubString('${A.B}', 'here'), /attribute references such as "A.B" are not supported/);
    assert.throws(() => parseSubString('${ A}', 'here'), /invalid variable name " A"/);
  });
});
