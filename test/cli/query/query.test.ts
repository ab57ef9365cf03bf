import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileQuery } from '../../../src/cli/query/compile-query.js';
import { runFleetca } from '../cli-harness.js';

const DATA = {
  certs: [
    { id: 'a1', status: 'ACTIVE', n: 1 },
    { id: 'b2', status: 'INACTIVE', n: 2.5 },
  ],
  n: 3,
};

const search = (expression: string, data: unknown = DATA) => compileQuery(expression).search(data);
const syntaxError = (expression: string) => {
  try {
    compileQuery(expression);
  } catch (error) {
    return (error as Error).message;
  }
  return assert.fail(`${expression} compiled`);
};
const runtimeError = (expression: string, data: unknown = DATA) => {
  try {
    search(expression, data);
  } catch (error) {
    return (error as Error).message;
  }
  return assert.fail(`${expression} evaluated`);
};

describe('--query compiled like jmespath.py', () => {
  it('evaluates paths, projections, filters, multiselects, functions and pipes', () => {
    assert.equal(search('certs[0].id'), 'a1');
    assert.deepEqual(search('certs[*].status'), ['ACTIVE', 'INACTIVE']);
    assert.deepEqual(search('certs[?status==`ACTIVE`].id'), ['a1']);
    assert.deepEqual(search("certs[?status=='INACTIVE'].id"), ['b2']);
    assert.deepEqual(search('{ids: certs[].id, count: length(certs)}'), { ids: ['a1', 'b2'], count: 2 });
    assert.deepEqual(search('[n, missing]'), [3, null]);
    assert.deepEqual(search('sort_by(certs, &id)[].id | [0]'), 'a1');
    assert.equal(search('missing'), null);
    assert.deepEqual(search('certs[-1:].id'), ['b2']);
  });

  it('follows jmespath.py where jmespath.js differs', () => {
    assert.equal(search("starts_with('bbb', 'b')", {}), true);
    assert.equal(search('max_by(certs, &id).id'), 'b2');
    assert.equal(search('min_by(`[]`, &id)'), null);
    assert.equal(search('`true` < `1`'), null);
    // Legacy backtick literal that is not JSON: a string.
    assert.equal(search('`foo`', {}), 'foo');
    assert.equal(search('`{bad`', {}), '{bad');
    // jmespath.js accepts `a..b` and `a.`; jmespath.py does not.
    assert.match(syntaxError('a..b'), /got: dot: Parse error at column 2/);
  });

  it('reports syntax errors with jmespath.py texts and carets (ParamValidation)', () => {
    assert.equal(
      syntaxError('[['),
      'Bad value for --query [[: Invalid jmespath expression: Incomplete expression:\n"[["\n   ^',
    );
    assert.equal(
      syntaxError('foo]'),
      'Bad value for --query foo]: Unexpected token: ]: Parse error at column 3, token "]" (RBRACKET), for expression:\n"foo]"\n    ^',
    );
    assert.equal(
      syntaxError('a.'),
      `Bad value for --query a.: Expecting: ['quoted_identifier', 'unquoted_identifier', 'lbracket', 'lbrace'], got: eof: Parse error at column 2, token "" (EOF), for expression:\n"a."\n   ^`,
    );
    assert.equal(syntaxError('$x'), 'Bad value for --query $x: Bad jmespath expression: Unknown token $:\n$x\n^');
    assert.equal(syntaxError('a=b'), "Bad value for --query a=b: Bad jmespath expression: Unknown token '=':\na=b\n ^");
    assert.equal(
      syntaxError("'abc"),
      "Bad value for --query 'abc: Bad jmespath expression: Unclosed ' delimiter:\n'abc\n^",
    );
    assert.equal(
      syntaxError('{a: b, }'),
      `Bad value for --query {a: b, }: Expecting: ['quoted_identifier', 'unquoted_identifier'], got: rbrace: Parse error at column 7, token "}" (RBRACE), for expression:\n"{a: b, }"\n        ^`,
    );
    assert.equal(
      syntaxError('a[1:2:3:4]'),
      'Bad value for --query a[1:2:3:4]: syntax error: Parse error at column 7, token ":" (COLON), for expression:\n"a[1:2:3:4]"\n        ^',
    );
    assert.match(syntaxError('a b'), /^Bad value for --query a b: Unexpected token: b: Parse error at column 2/);
  });

  it('reports evaluation errors with jmespath.py texts', () => {
    assert.equal(runtimeError('foo(@)'), 'Unknown function: foo()');
    assert.equal(
      runtimeError('length(`1`)'),
      `In function length(), invalid type for value: 1, expected one of: ['string', 'array', 'object'], received: "number"`,
    );
    assert.equal(runtimeError('length(@, @)'), 'Expected 1 argument for function length(), received 2');
    assert.equal(runtimeError('not_null()'), 'Expected at least 1 argument for function not_null(), received 0');
    assert.equal(
      runtimeError('join(`,`, certs)'),
      `In function join(), invalid type for value: {'id': 'a1', 'status': 'ACTIVE', 'n': 1}, expected one of: ['array-string'], received: "dict"`,
    );
    assert.equal(
      runtimeError('sort_by(certs, &missing)'),
      `In function sort_by(), invalid type for value: {'id': 'a1', 'status': 'ACTIVE', 'n': 1}, expected one of: ['string', 'number'], received: "null"`,
    );
    assert.equal(runtimeError('certs[?id > `1`]'), "'>' not supported between instances of 'str' and 'int'");
  });
});

describe('--query on the command line', () => {
  const respond = () => ({ certificates: [{ certificateId: 'a'.repeat(64), status: 'ACTIVE' }] });

  it('rejects a bad expression before anything is sent (252)', async () => {
    const result = await runFleetca(['iot', 'list-certificates', '--query', '[['], { respond });
    assert.equal(result.code, 252);
    assert.equal(result.calls.length, 0);
    assert.equal(
      result.stderr,
      '\nfleetca: [ERROR]: An error occurred (ParamValidation): Bad value for --query [[: Invalid jmespath expression: Incomplete expression:\n"[["\n   ^\n',
    );
  });

  it('applies the expression to the response (json)', async () => {
    const result = await runFleetca(['iot', 'list-certificates', '--query', 'certificates[0].status'], { respond });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '"ACTIVE"\n');
  });

  it('fails after the call with exit 255 when evaluation fails', async () => {
    const result = await runFleetca(['iot', 'list-certificates', '--query', 'foo(@)'], { respond });
    assert.equal(result.code, 255);
    assert.equal(result.calls.length, 1);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, '\nfleetca: [ERROR]: Unknown function: foo()\n');
  });

  it('accepts --cli-binary-format and refuses other values', async () => {
    const ok = await runFleetca(['iot', 'list-certificates', '--cli-binary-format', 'raw-in-base64-out'], { respond });
    assert.equal(ok.code, 0, ok.stderr);
    const bad = await runFleetca(['iot', 'list-certificates', '--cli-binary-format', 'hex'], { respond });
    assert.equal(bad.code, 252);
    assert.match(bad.stderr, /argument --cli-binary-format: Found invalid choice 'hex'/);
  });
});
