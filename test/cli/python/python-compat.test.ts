import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePyInt } from '../../../src/cli/python/int.js';
import { expandUser, expandVars } from '../../../src/cli/python/os-path.js';
import { pyBytesRepr, pyFloatRepr, pyStr, pyStrRepr } from '../../../src/cli/python/repr.js';

describe('Python compatibility helpers', () => {
  it('repr() of str and bytes', () => {
    assert.equal(pyStrRepr('abc'), "'abc'");
    assert.equal(pyStrRepr("it's"), '"it\'s"');
    assert.equal(pyStrRepr('a\'b"c'), "'a\\'b\"c'");
    assert.equal(pyStrRepr('tab\t\u0001\u00e9\u200b'), "'tab\\t\\x01\u00e9\\u200b'");
    assert.equal(pyBytesRepr(Buffer.from('hello\n')), "b'hello\\n'");
    assert.equal(pyBytesRepr(Buffer.from([0x00, 0x7f, 0x80])), "b'\\x00\\x7f\\x80'");
  });

  it('str() of values and repr() of floats', () => {
    assert.equal(pyStr(true), 'True');
    assert.equal(pyStr(null), 'None');
    assert.equal(pyStr({ marker: 'x', n: null }), "{'marker': 'x', 'n': None}");
    assert.equal(pyFloatRepr(1.5), '1.5');
    assert.equal(pyFloatRepr(1e16), '1e+16');
    assert.equal(pyFloatRepr(0.0001), '0.0001');
    assert.equal(pyFloatRepr(1700000000.123), '1700000000.123');
  });

  it('int() of text', () => {
    assert.equal(parsePyInt(' 42 '), 42);
    assert.equal(parsePyInt('-0_7'), -7);
    assert.equal(parsePyInt('+3'), 3);
    assert.equal(parsePyInt('1__0'), undefined);
    assert.equal(parsePyInt('0x10'), undefined);
    assert.equal(parsePyInt(''), undefined);
  });

  it('os.path.expandvars and expanduser', () => {
    const env = { HOME: '/home/u/', A: 'x' };
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell-style variables, not templates
    assert.equal(expandVars('$A/${A}/$B/${}', env), 'x/x/$B/${}');
    assert.equal(expandUser('~/f', env), '/home/u/f');
    assert.equal(expandUser('~', env), '/home/u');
    assert.equal(expandUser('a/~', env), 'a/~');
    assert.equal(expandUser('~nosuchuser_xyz/f', env), '~nosuchuser_xyz/f');
    assert.equal(expandUser('~root/f', env), '/root/f');
  });
});
