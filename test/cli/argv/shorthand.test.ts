import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseShorthand, ShorthandSyntaxError } from '../../../src/cli/argv/shorthand-parser.js';
import { runFleetca } from '../cli-harness.js';

const PEM = '-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n';
const ID = 'a'.repeat(64);

describe('shorthand parser', () => {
  it('parses key=value pairs, csv lists, explicit lists, hashes and quotes', () => {
    assert.deepEqual(parseShorthand('Key=a,Value=b'), { Key: 'a', Value: 'b' });
    assert.deepEqual(parseShorthand('a=b,c,d=e'), { a: ['b', 'c'], d: 'e' });
    assert.deepEqual(parseShorthand('a=[x, y],b={c=d}'), { a: ['x', 'y'], b: { c: 'd' } });
    assert.deepEqual(parseShorthand("a=\"x,y\",b='it\\'s'"), { a: 'x,y', b: "it's" });
    assert.deepEqual(parseShorthand('a=x\\,y'), { a: 'x,y' });
    assert.deepEqual(parseShorthand('a='), { a: '' });
  });

  it('reports syntax errors with a caret under the failing character', () => {
    assert.throws(
      () => parseShorthand('Key'),
      (error: Error) =>
        error instanceof ShorthandSyntaxError &&
        error.message === "Expected: '=', received: 'EOF' for input:\nKey\n   ^",
    );
    assert.throws(
      () => parseShorthand('Key=a,Key=b'),
      (error: Error) =>
        error.message ===
        'Second instance of key "Key" encountered for input:\nKey=a,Key=b\n      ^\nThis is often because there is a preceding "," instead of a space.',
    );
  });
});

describe('shorthand and JSON on the command line', () => {
  it('takes several shorthand values for a list and one for a structure', async () => {
    const result = await runFleetca([
      'iot',
      'register-ca-certificate',
      '--ca-certificate',
      PEM,
      '--tags',
      'Key=a,Value=b',
      'Key=c,Value=d',
      '--registration-config',
      'templateName=t,roleArn=arn:aws:iam::123456789012:role/r',
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.calls[0]?.params, {
      caCertificate: PEM,
      tags: [
        { Key: 'a', Value: 'b' },
        { Key: 'c', Value: 'd' },
      ],
      registrationConfig: { templateName: 't', roleArn: 'arn:aws:iam::123456789012:role/r' },
    });
  });

  it('still takes JSON: a list, or one object per item', async () => {
    const list = await runFleetca([
      'iot',
      'register-ca-certificate',
      '--ca-certificate',
      PEM,
      '--tags',
      '[{"Key":"a"}]',
    ]);
    assert.deepEqual(list.calls[0]?.params.tags, [{ Key: 'a' }]);
    const items = await runFleetca([
      'iot',
      'register-ca-certificate',
      '--ca-certificate',
      PEM,
      '--tags',
      '{"Key":"a"}',
      '{"Key":"b"}',
    ]);
    assert.deepEqual(items.calls[0]?.params.tags, [{ Key: 'a' }, { Key: 'b' }]);
  });

  it('reports shorthand errors as parameter errors (252); unknown keys go to validation', async () => {
    const bad = await runFleetca([
      'iot',
      'update-ca-certificate',
      '--certificate-id',
      ID,
      '--registration-config',
      'x',
    ]);
    assert.equal(bad.code, 252);
    assert.equal(
      bad.stderr,
      "\nfleetca: [ERROR]: An error occurred (ParamValidation): Error parsing parameter '--registration-config': Expected: '=', received: 'EOF' for input:\nx\n ^\n",
    );
    const unknown = await runFleetca(['iot', 'register-ca-certificate', '--ca-certificate', PEM, '--tags', 'Kee=a']);
    assert.equal(unknown.code, 252);
    assert.match(unknown.stderr, /Missing required parameter in tags\[0\]: "Key"/);
    assert.match(unknown.stderr, /Unknown parameter in tags\[0\]: "Kee", must be one of: Key, Value/);
  });
});
