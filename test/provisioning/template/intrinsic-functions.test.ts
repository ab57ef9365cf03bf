// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Fn::Sub strings are written with ${Name}, not JavaScript templates
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertInvalidTemplate, assertTemplateError, evaluateValue, valueTemplate } from './template-test-helpers.js';

const PARAMETERS = {
  Parameters: {
    Serial: { Type: 'String' },
    Csv: { Type: 'String', Default: 'a,b,c' },
    Index: { Type: 'String', Default: '1' },
    Region: { Type: 'String', Default: 'eu' },
  },
  Mappings: {
    Endpoints: {
      eu: { Url: 'https://eu.example', Ports: ['8883', '443'], Port: 8883 },
      us: { Url: 'https://us.example' },
    },
  },
  Conditions: { InEurope: { 'Fn::Equals': [{ Ref: 'Region' }, 'eu'] } },
};

/** Evaluates one value with the parameters, mappings and conditions above. */
function value(expression: unknown, parameters: Record<string, string> = {}): string | undefined {
  return evaluateValue(expression, { Serial: 'S1', ...parameters }, PARAMETERS);
}
/** Asserts that the value is refused when the template is parsed. */
function refusedAtParse(expression: unknown, message: string | RegExp): void {
  assertInvalidTemplate(valueTemplate(expression, PARAMETERS), message);
}
/** Asserts that the value parses but fails for these parameters. */
function refusedAtEvaluation(
  expression: unknown,
  message: string | RegExp,
  parameters: Record<string, string> = {},
): void {
  assertTemplateError(() => value(expression, parameters), 'InvalidParameters', message);
}

const AT = 'DeviceConfiguration.Out';

describe('Ref', () => {
  test('resolves parameters', () => assert.equal(value({ Ref: 'Serial' }), 'S1'));
  test('refuses a name that is not a string or not a name', () => {
    refusedAtParse({ Ref: ['Serial'] }, `${AT}.Ref: expected a parameter name, found a list`);
    refusedAtParse({ Ref: '' }, `${AT}.Ref: "" is not a valid parameter name`);
    refusedAtParse({ Ref: 'a b' }, `${AT}.Ref: "a b" is not a valid parameter name`);
    refusedAtParse({ Ref: 'x'.repeat(129) }, /is not a valid parameter name$/);
  });
  test('an intrinsic function must be the only key of its object', () => {
    refusedAtParse(
      { Ref: 'Serial', Other: 1 },
      `${AT}: an intrinsic function must be the only key of its object (found 2 keys)`,
    );
  });
});

describe('Fn::Join', () => {
  test('joins strings, numbers and nested functions', () => {
    assert.equal(value({ 'Fn::Join': ['-', ['a', { Ref: 'Serial' }, 3, true]] }), 'a-S1-3-true');
    assert.equal(value({ 'Fn::Join': ['', ['x', 'y']] }), 'xy');
    assert.equal(value({ 'Fn::Join': [',', []] }), '');
    assert.equal(value({ 'Fn::Join': ['+', { 'Fn::Split': [',', { Ref: 'Csv' }] }] }), 'a+b+c');
    assert.equal(value({ 'Fn::Join': ['/', { 'Fn::FindInMap': ['Endpoints', 'eu', 'Ports'] }] }), '8883/443');
  });
  test('refuses wrong shapes when parsed', () => {
    refusedAtParse({ 'Fn::Join': ['-'] }, `${AT}.Fn::Join: expected [delimiter, [values]], found a list of 1`);
    refusedAtParse({ 'Fn::Join': 'a' }, `${AT}.Fn::Join: expected [delimiter, [values]], found a string`);
    refusedAtParse({ 'Fn::Join': [['-'], ['a']] }, `${AT}.Fn::Join[0]: expected a string, found a list`);
    refusedAtParse({ 'Fn::Join': ['-', 'a'] }, `${AT}.Fn::Join[1]: expected a list, found a string`);
    refusedAtParse({ 'Fn::Join': ['-', { Ref: 'Csv' }] }, `${AT}.Fn::Join[1]: expected a list, found a string`);
    refusedAtParse({ 'Fn::Join': ['-', ['a', ['b']]] }, `${AT}.Fn::Join[1][1]: expected a string, found a list`);
    refusedAtParse({ 'Fn::Join': ['-', ['a', null]] }, `${AT}.Fn::Join[1][1]: expected a string, found null`);
  });
  test('refuses values that turn out wrong when evaluated', () => {
    refusedAtEvaluation(
      { 'Fn::Join': ['-', { 'Fn::FindInMap': ['Endpoints', 'eu', 'Url'] }] },
      `${AT}.Fn::Join[1]: expected a list, found a string`,
    );
    refusedAtEvaluation(
      { 'Fn::Join': ['-', { 'Fn::Select': [0, [[['nested']]]] }] },
      `${AT}.Fn::Join[1][0]: expected a string, found a list`,
    );
  });
});

describe('Fn::Sub', () => {
  test('substitutes parameters and pseudo parameters; ${!Name} is a literal', () => {
    assert.equal(value({ 'Fn::Sub': 'dev-${Serial}' }), 'dev-S1');
    assert.equal(value({ 'Fn::Sub': '${Serial}${Serial}' }), 'S1S1');
    assert.equal(value({ 'Fn::Sub': '${AWS::IoT::Certificate::Id}' }), 'a'.repeat(64));
    assert.equal(value({ 'Fn::Sub': 'keep ${!Serial} and ${!Not.A.Name}' }), 'keep ${Serial} and ${Not.A.Name}');
    assert.equal(value({ 'Fn::Sub': 'no variables $ { } $x' }), 'no variables $ { } $x');
    assert.equal(value({ 'Fn::Sub': '' }), '');
  });
  test('the [string, {variables}] form; variables shadow parameters and may be functions', () => {
    assert.equal(
      value({
        'Fn::Sub': ['${Serial}/${Region}/${Extra}', { Serial: 'shadowed', Extra: { 'Fn::Join': ['', ['e', 'x']] } }],
      }),
      'shadowed/eu/ex',
    );
    assert.equal(value({ 'Fn::Sub': ['${V}', { V: 12 }] }), '12');
  });
  test('an unknown variable cannot be resolved (exact AWS wording)', () => {
    refusedAtEvaluation({ 'Fn::Sub': 'x-${Nope}' }, 'Cannot resolve reference value: Nope');
    refusedAtEvaluation({ 'Fn::Sub': ['${AWS::Region}', {}] }, 'Cannot resolve reference value: AWS::Region');
  });
  test('refuses wrong shapes when parsed', () => {
    refusedAtParse({ 'Fn::Sub': 5 }, `${AT}.Fn::Sub: expected a string or [string, {variables}], found a number`);
    refusedAtParse(
      { 'Fn::Sub': ['a'] },
      `${AT}.Fn::Sub: expected a string or [string, {variables}], found a list of 1`,
    );
    refusedAtParse({ 'Fn::Sub': [{ Ref: 'Serial' }, {}] }, `${AT}.Fn::Sub[0]: expected a string, found an object`);
    refusedAtParse({ 'Fn::Sub': ['x', ['a']] }, `${AT}.Fn::Sub[1]: expected an object of variables, found a list`);
    refusedAtParse({ 'Fn::Sub': ['x', { 'a b': 'c' }] }, `${AT}.Fn::Sub[1]: "a b" is not a valid variable name`);
    refusedAtParse({ 'Fn::Sub': ['${V}', { V: ['c'] }] }, `${AT}.Fn::Sub[1].V: expected a string, found a list`);
    refusedAtParse({ 'Fn::Sub': 'x ${Serial' }, `${AT}.Fn::Sub: Fn::Sub has an unterminated "\${" at offset 2`);
    refusedAtParse({ 'Fn::Sub': '${}' }, `${AT}.Fn::Sub: Fn::Sub has an invalid variable name ""`);
    refusedAtParse({ 'Fn::Sub': '${a b}' }, `${AT}.Fn::Sub: Fn::Sub has an invalid variable name "a b"`);
    refusedAtParse(
      { 'Fn::Sub': '${thing.Arn}' },
      `${AT}.Fn::Sub: Fn::Sub attribute references such as "thing.Arn" are not supported`,
    );
    refusedAtParse({ 'Fn::Sub': ['${V', {}] }, `${AT}.Fn::Sub[0]: Fn::Sub has an unterminated "\${" at offset 0`);
  });
});

describe('Fn::Select', () => {
  test('selects by a number, a digit string or a parameter', () => {
    assert.equal(value({ 'Fn::Select': [0, ['x', 'y']] }), 'x');
    assert.equal(value({ 'Fn::Select': ['1', ['x', 'y']] }), 'y');
    assert.equal(value({ 'Fn::Select': [{ Ref: 'Index' }, { 'Fn::Split': [',', { Ref: 'Csv' }] }] }), 'b');
    assert.equal(value({ 'Fn::Select': [1, { 'Fn::FindInMap': ['Endpoints', 'eu', 'Ports'] }] }), '443');
    assert.equal(value({ 'Fn::Select': [0, [{ 'Fn::Sub': '${Serial}!' }]] }), 'S1!');
  });
  test('refuses wrong shapes and literal out-of-range indexes when parsed', () => {
    refusedAtParse({ 'Fn::Select': [0] }, `${AT}.Fn::Select: expected [index, [values]], found a list of 1`);
    refusedAtParse(
      { 'Fn::Select': [-1, ['a']] },
      `${AT}.Fn::Select[0]: the index must be a non-negative integer, found "-1"`,
    );
    refusedAtParse(
      { 'Fn::Select': [1.5, ['a']] },
      `${AT}.Fn::Select[0]: the index must be a non-negative integer, found "1.5"`,
    );
    refusedAtParse(
      { 'Fn::Select': ['one', ['a']] },
      `${AT}.Fn::Select[0]: the index must be a non-negative integer, found "one"`,
    );
    refusedAtParse(
      { 'Fn::Select': [true, ['a']] },
      `${AT}.Fn::Select[0]: the index must be a non-negative integer, found "true"`,
    );
    refusedAtParse({ 'Fn::Select': [[0], ['a']] }, `${AT}.Fn::Select[0]: expected a string, found a list`);
    refusedAtParse({ 'Fn::Select': [0, 'a'] }, `${AT}.Fn::Select[1]: expected a list, found a string`);
    refusedAtParse(
      { 'Fn::Select': [2, ['a', 'b']] },
      `${AT}.Fn::Select: index 2 is out of range for a list of 2 values`,
    );
  });
  test('refuses out-of-range and bad indexes when evaluated', () => {
    const split = { 'Fn::Split': [',', { Ref: 'Csv' }] };
    refusedAtEvaluation(
      { 'Fn::Select': [{ Ref: 'Index' }, split] },
      `${AT}.Fn::Select: index 7 is out of range for a list of 3 values`,
      {
        Index: '7',
      },
    );
    refusedAtEvaluation(
      { 'Fn::Select': [{ Ref: 'Index' }, split] },
      `${AT}.Fn::Select[0]: the index must be a non-negative integer, found "-1"`,
      { Index: '-1' },
    );
    refusedAtEvaluation(
      { 'Fn::Select': [{ Ref: 'Index' }, split] },
      `${AT}.Fn::Select[0]: the index must be a non-negative integer, found "99999999999"`,
      { Index: '99999999999' },
    );
    refusedAtEvaluation({ 'Fn::Select': [0, [null]] }, `${AT}.Fn::Select: the value at index 0 is null`);
  });
});

describe('Fn::Split', () => {
  test('splits into a list (empty pieces kept)', () => {
    assert.equal(value({ 'Fn::Select': [2, { 'Fn::Split': ['|', 'a||c'] }] }), 'c');
    assert.equal(value({ 'Fn::Join': ['+', { 'Fn::Split': ['::', { 'Fn::Sub': 'x::${Serial}::' }] }] }), 'x+S1+');
  });
  test('refuses wrong shapes when parsed', () => {
    refusedAtParse({ 'Fn::Split': [','] }, `${AT}.Fn::Split: expected [delimiter, string], found a list of 1`);
    refusedAtParse({ 'Fn::Split': ['', 'abc'] }, `${AT}.Fn::Split[0]: the delimiter must not be empty`);
    refusedAtParse({ 'Fn::Split': [[','], 'abc'] }, `${AT}.Fn::Split[0]: expected a string, found a list`);
    refusedAtParse({ 'Fn::Split': [',', ['a']] }, `${AT}.Fn::Split[1]: expected a string, found a list`);
    // The value itself must be a string, and a split gives a list.
    refusedAtParse({ 'Fn::Split': [',', 'a,b'] }, `${AT}: expected a string, found a list`);
  });
  test('refuses an empty delimiter from a parameter when evaluated', () => {
    refusedAtEvaluation(
      { 'Fn::Select': [0, { 'Fn::Split': [{ Ref: 'Serial' }, 'abc'] }] },
      `${AT}.Fn::Select[1].Fn::Split[0]: the delimiter must not be empty`,
      { Serial: '' },
    );
  });
});

describe('Fn::FindInMap', () => {
  test('looks up literal and computed keys; numbers read as text', () => {
    assert.equal(value({ 'Fn::FindInMap': ['Endpoints', { Ref: 'Region' }, 'Url'] }), 'https://eu.example');
    assert.equal(
      value({ 'Fn::FindInMap': ['Endpoints', { Ref: 'Region' }, 'Url'] }, { Region: 'us' }),
      'https://us.example',
    );
    assert.equal(value({ 'Fn::FindInMap': ['Endpoints', 'eu', 'Port'] }), '8883');
  });
  test('refuses missing literal keys and wrong shapes when parsed', () => {
    refusedAtParse(
      { 'Fn::FindInMap': ['Endpoints', 'eu'] },
      `${AT}.Fn::FindInMap: expected [mapName, topLevelKey, secondLevelKey], found a list of 2`,
    );
    refusedAtParse({ 'Fn::FindInMap': ['Nope', 'eu', 'Url'] }, `${AT}.Fn::FindInMap: no mapping named "Nope"`);
    refusedAtParse({ 'Fn::FindInMap': ['Endpoints', 'ap', 'Url'] }, `${AT}.Fn::FindInMap: mapping has no key "ap"`);
    refusedAtParse(
      { 'Fn::FindInMap': ['Endpoints', 'eu', 'Nope'] },
      `${AT}.Fn::FindInMap: mapping has no second-level key "Nope"`,
    );
    refusedAtParse(
      { 'Fn::FindInMap': ['Endpoints', ['eu'], 'Url'] },
      `${AT}.Fn::FindInMap[1]: expected a string, found a list`,
    );
  });
  test('refuses keys that are missing when evaluated', () => {
    refusedAtEvaluation(
      { 'Fn::FindInMap': ['Endpoints', { Ref: 'Region' }, 'Url'] },
      `${AT}.Fn::FindInMap: no value for "Endpoints", "ap", "Url" in the Mappings`,
      { Region: 'ap' },
    );
    refusedAtEvaluation(
      { 'Fn::FindInMap': ['Endpoints', { Ref: 'Region' }, 'Url'] },
      `${AT}.Fn::FindInMap: no value for "Endpoints", "__proto__", "Url" in the Mappings`,
      { Region: '__proto__' },
    );
    refusedAtEvaluation({ 'Fn::FindInMap': ['Endpoints', 'eu', 'Ports'] }, `${AT}: expected a string, found a list`);
  });
});

describe('Fn::If and conditions', () => {
  test('chooses a branch by a condition', () => {
    const choice = { 'Fn::If': ['InEurope', 'eu-value', { 'Fn::Sub': 'other-${Region}' }] };
    assert.equal(value(choice), 'eu-value');
    assert.equal(value(choice, { Region: 'us' }), 'other-us');
  });
  test('only the chosen branch is evaluated', () => {
    assert.equal(value({ 'Fn::If': ['InEurope', 'ok', { Ref: 'Missing' }] }), 'ok');
  });
  test('Fn::And, Fn::Or, Fn::Not and {"Condition"} combine as logic says', () => {
    const conditions = {
      A: { 'Fn::Equals': [{ Ref: 'X' }, 'a'] },
      B: { 'Fn::Equals': ['b', { Ref: 'Y' }] },
      Both: { 'Fn::And': [{ Condition: 'A' }, { Condition: 'B' }] },
      Either: { 'Fn::Or': [{ Condition: 'A' }, { Condition: 'B' }] },
      Neither: { 'Fn::Not': [{ Condition: 'Either' }] },
      NumberEquals: { 'Fn::Equals': [1, '1'] },
    };
    const template = { Parameters: { X: { Type: 'String' }, Y: { Type: 'String' } }, Conditions: conditions };
    const show = (name: string) => ({ 'Fn::If': [name, 'T', 'F'] });
    const outcome = (x: string, y: string) =>
      ['Both', 'Either', 'Neither', 'NumberEquals']
        .map((name) => evaluateValue(show(name), { X: x, Y: y }, template))
        .join('');
    assert.equal(outcome('a', 'b'), 'TTFT');
    assert.equal(outcome('a', '-'), 'FTFT');
    assert.equal(outcome('-', 'b'), 'FTFT');
    assert.equal(outcome('-', '-'), 'FFTT');
  });
  test('refuses wrong shapes when parsed', () => {
    refusedAtParse(
      { 'Fn::If': ['InEurope', 'a'] },
      `${AT}.Fn::If: expected [conditionName, valueIfTrue, valueIfFalse], found a list of 2`,
    );
    refusedAtParse({ 'Fn::If': ['Nope', 'a', 'b'] }, `${AT}.Fn::If[0]: no condition named "Nope"`);
    refusedAtParse(
      { 'Fn::If': [{ Condition: 'InEurope' }, 'a', 'b'] },
      `${AT}.Fn::If[0]: expected a condition name, found an object`,
    );
    refusedAtParse({ 'Fn::If': ['InEurope', ['a'], ['b']] }, `${AT}: expected a string, found a list`);
  });
  test('an unresolvable reference in a condition fails when the condition is used', () => {
    const template = { Conditions: { C: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu'] } } };
    assertTemplateError(
      () => evaluateValue({ 'Fn::If': ['C', 'a', 'b'] }, {}, template),
      'InvalidParameters',
      'Cannot resolve reference value: AWS::Region',
    );
  });
});

describe('unknown and misplaced functions', () => {
  test('unknown or unsupported functions are refused by name', () => {
    for (const name of ['Fn::GetAtt', 'Fn::Base64', 'Fn::ImportValue', 'Fn::Nope']) {
      refusedAtParse(
        { [name]: ['a', 'b'] },
        `${AT}: unknown or unsupported intrinsic function "${name}" (supported: Ref, Fn::Join, Fn::Sub, Fn::Select, Fn::Split, Fn::FindInMap, Fn::If)`,
      );
    }
  });
  test('condition functions are refused outside the Conditions section', () => {
    refusedAtParse({ 'Fn::Equals': ['a', 'a'] }, `${AT}: Fn::Equals can be used only in the Conditions section`);
    refusedAtParse(
      { 'Fn::Not': [{ Condition: 'InEurope' }] },
      `${AT}: Fn::Not can be used only in the Conditions section`,
    );
  });
  test('functions are found however deeply they nest', () => {
    refusedAtParse(
      { 'Fn::Join': ['', [{ 'Fn::Select': [0, [{ 'Fn::Sub': ['${X}', { X: { 'Fn::Oops': 1 } }] }]] }]] },
      /^DeviceConfiguration\.Out\.Fn::Join\[1\]\[0\]\.Fn::Select\[1\]\[0\]\.Fn::Sub\[1\]\.X: unknown or unsupported intrinsic function "Fn::Oops"/,
    );
    assert.equal(
      value({
        'Fn::Join': [
          '',
          [{ 'Fn::Select': [0, [{ 'Fn::Sub': ['${X}', { X: { 'Fn::Join': ['.', ['p', { Ref: 'Serial' }]] } }] }]] }],
        ],
      }),
      'p.S1',
    );
  });
  test('a policy document may hold a statement whose only key is "Condition" (it is data, not a condition)', () => {
    const template = {
      Resources: {
        p: { Type: 'AWS::IoT::Policy', Properties: { PolicyDocument: { Statement: [{ Condition: { x: 'y' } }] } } },
      },
    };
    assert.doesNotThrow(() => evaluateValue('x', {}, template));
  });
});
