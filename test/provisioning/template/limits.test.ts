// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Fn::Sub strings are written with ${Name}, not JavaScript templates
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { jsonNestingDepth } from '../../../src/provisioning/template/nesting-depth.js';
import { parseTemplate } from '../../../src/provisioning/template/parse-template.js';
import { TEMPLATE_LIMITS } from '../../../src/provisioning/template/template-limits.js';
import { assertInvalidTemplate, assertTemplateError, evaluate, evaluateValue, parse } from './template-test-helpers.js';

const P = { Parameters: { P: { Type: 'String' } } };

/** A value nesting Fn::Join `levels` times around a Ref (each level adds an object and two lists). */
function nestedJoins(levels: number): unknown {
  let value: unknown = { Ref: 'P' };
  for (let level = 0; level < levels; level++) value = { 'Fn::Join': ['', [value]] };
  return value;
}

describe('limits of the template body', () => {
  test('a body longer than CreateProvisioningTemplate allows is refused', () => {
    const body = JSON.stringify({ Resources: {}, Description: 'x'.repeat(TEMPLATE_LIMITS.maxBodyLength) });
    assertTemplateError(
      () => parseTemplate(body),
      'InvalidTemplate',
      'The template body is longer than 10240 characters',
    );
  });

  test('nesting up to the limit is accepted and evaluated; one level more is refused', () => {
    // The root object and DeviceConfiguration are two levels, each Fn::Join three, the Ref one: 2 + 3 * 9 + 1 = 30.
    const fits = { ...P, Resources: {}, DeviceConfiguration: { Out: nestedJoins(9) } };
    assert.ok(jsonNestingDepth(JSON.stringify(fits), 100) <= TEMPLATE_LIMITS.maxNestingDepth);
    assert.equal(evaluate(fits, { P: 'deep' }).deviceConfiguration.Out, 'deep');
    const tooDeep = { ...P, Resources: {}, DeviceConfiguration: { Out: nestedJoins(11) } };
    assert.ok(jsonNestingDepth(JSON.stringify(tooDeep), 100) > TEMPLATE_LIMITS.maxNestingDepth);
    assertInvalidTemplate(tooDeep, 'The template body nests objects and lists more than 32 deep');
  });

  test('a pathologically deep body is refused without recursion', () => {
    const body = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    assertTemplateError(
      () => parseTemplate(body),
      'InvalidTemplate',
      'The template body nests objects and lists more than 32 deep',
    );
    const objects = `${'{"a":'.repeat(1500)}1${'}'.repeat(1500)}`;
    assertTemplateError(() => parseTemplate(objects), 'InvalidTemplate', /more than 32 deep/);
  });

  test('brackets inside strings do not count as nesting', () => {
    const text = '[[[[[[[[[[{{{{{{{{{{\\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[';
    assert.equal(jsonNestingDepth(`{"a":"${text}"}`, 100), 1);
    assert.equal(evaluateValue(text.replace('\\"', '"')), text.replace('\\"', '"'));
  });

  test('jsonNestingDepth measures objects and arrays and stops early past the limit', () => {
    assert.equal(jsonNestingDepth('{"a":[1,{"b":[]}],"c":{}}', 100), 4);
    assert.equal(jsonNestingDepth('1', 100), 0);
    assert.equal(jsonNestingDepth('[[[[[[[[[[', 3), 4);
  });

  test('conditions referring to each other: a chain at the limit is accepted, a longer one refused', () => {
    const chain = (length: number) => {
      const conditions: Record<string, unknown> = { C0: { 'Fn::Equals': ['a', 'a'] } };
      for (let index = 1; index <= length; index++)
        conditions[`C${index}`] = { 'Fn::Not': [{ Condition: `C${index - 1}` }] };
      return conditions;
    };
    const limit = TEMPLATE_LIMITS.maxConditionChain;
    const ok = {
      Conditions: chain(limit),
      Resources: {},
      DeviceConfiguration: { Out: { 'Fn::If': [`C${limit}`, 'T', 'F'] } },
    };
    assert.equal(evaluate(ok).deviceConfiguration.Out, limit % 2 === 0 ? 'T' : 'F');
    assertInvalidTemplate(
      { Conditions: chain(limit + 1), Resources: {} },
      'Conditions: conditions refer to each other more than 32 deep',
    );
    // Declared in reverse order, so the check meets the chain from its far end first.
    const reversed = Object.fromEntries(Object.entries(chain(limit + 1)).reverse());
    assertInvalidTemplate(
      { Conditions: reversed, Resources: {} },
      'Conditions: conditions refer to each other more than 32 deep',
    );
  });

  test('conditions sharing sub-conditions are evaluated once each (no exponential blow-up)', { timeout: 5000 }, () => {
    const conditions: Record<string, unknown> = { C0: { 'Fn::Equals': [{ Ref: 'P' }, 'x'] } };
    for (let index = 1; index <= 30; index++) {
      conditions[`C${index}`] = { 'Fn::And': [{ Condition: `C${index - 1}` }, { Condition: `C${index - 1}` }] };
    }
    const template = {
      ...P,
      Conditions: conditions,
      Resources: {},
      DeviceConfiguration: { Out: { 'Fn::If': ['C30', 'T', 'F'] } },
    };
    assert.equal(evaluate(template, { P: 'x' }).deviceConfiguration.Out, 'T');
    assert.equal(evaluate(template, { P: 'y' }).deviceConfiguration.Out, 'F');
  });
});

describe('limits of evaluation', () => {
  const big = (length: number) => 'x'.repeat(length);

  test('a string longer than the limit is refused, however it is built', () => {
    const half = big(TEMPLATE_LIMITS.maxStringLength / 2 + 1);
    assertTemplateError(
      () => evaluateValue({ 'Fn::Join': ['', [{ Ref: 'P' }, { Ref: 'P' }]] }, { P: half }, P),
      'InvalidParameters',
      'DeviceConfiguration.Out.Fn::Join: the result is longer than 65536 characters',
    );
    assertTemplateError(
      () => evaluateValue({ 'Fn::Sub': '${P}${P}' }, { P: half }, P),
      'InvalidParameters',
      'DeviceConfiguration.Out.Fn::Sub: the result is longer than 65536 characters',
    );
    assertTemplateError(
      () => evaluateValue({ Ref: 'P' }, { P: big(TEMPLATE_LIMITS.maxStringLength + 1) }, P),
      'InvalidParameters',
      'DeviceConfiguration.Out: the result is longer than 65536 characters',
    );
    assert.equal(evaluateValue({ Ref: 'P' }, { P: big(TEMPLATE_LIMITS.maxStringLength) }, P)?.length, 65536);
  });

  test('a join with a long delimiter counts the delimiters', () => {
    const template = { Parameters: { P: { Type: 'String' }, D: { Type: 'String' } } };
    assertTemplateError(
      () => evaluateValue({ 'Fn::Join': [{ Ref: 'D' }, ['a', 'b', 'c']] }, { D: big(40000) }, template),
      'InvalidParameters',
      'DeviceConfiguration.Out.Fn::Join: the result is longer than 65536 characters',
    );
  });

  test('a split giving more values than the limit is refused', () => {
    const value = { 'Fn::Select': [0, { 'Fn::Split': [',', { Ref: 'P' }] }] };
    assert.equal(evaluateValue(value, { P: ','.repeat(TEMPLATE_LIMITS.maxListLength - 1) }, P), '');
    assertTemplateError(
      () => evaluateValue(value, { P: ','.repeat(TEMPLATE_LIMITS.maxListLength) }, P),
      'InvalidParameters',
      'DeviceConfiguration.Out.Fn::Select[1].Fn::Split: the result has more than 1024 values',
    );
  });

  test('the total a template produces is bounded, even when every string is within its limit', () => {
    const configuration: Record<string, unknown> = {};
    for (let index = 0; index < 20; index++) {
      configuration[`k${index}`] = { 'Fn::Join': ['', [{ Ref: 'P' }, { Ref: 'P' }]] };
    }
    const template = { ...P, Resources: {}, DeviceConfiguration: configuration };
    const plan = evaluate(template, { P: big(1000) });
    assert.equal(Object.keys(plan.deviceConfiguration).length, 20);
    assertTemplateError(
      () => evaluate(template, { P: big(30000) }),
      'InvalidParameters',
      'The template produces more than 1048576 characters of values',
    );
  });

  test('a Fn::Sub repeating one variable thousands of times is bounded', () => {
    const template = { ...P, Resources: {}, DeviceConfiguration: { Out: { 'Fn::Sub': '${P}'.repeat(2400) } } };
    assert.equal(evaluate(template, { P: 'ab' }).deviceConfiguration.Out?.length, 4800);
    assertTemplateError(
      () => evaluate(template, { P: big(100) }),
      'InvalidParameters',
      /the result is longer than 65536/,
    );
  });

  test('messages quote at most a short excerpt of request values', () => {
    const template = { ...P, Mappings: { M: { k: { v: 'x' } } } };
    const error = assertTemplateError(
      () => evaluateValue({ 'Fn::FindInMap': ['M', { Ref: 'P' }, 'v'] }, { P: big(50000) }, template),
      'InvalidParameters',
      /no value for "M", "x{64}\.\.\.", "v"/,
    );
    assert.ok(error.message.length < 250, error.message);
    const status = assertTemplateError(
      () =>
        evaluate(
          {
            ...P,
            Resources: {
              c: {
                Type: 'AWS::IoT::Certificate',
                Properties: { CertificateId: { Ref: 'AWS::IoT::Certificate::Id' }, Status: { Ref: 'P' } },
              },
            },
          },
          { P: big(50000) },
        ),
      'InvalidParameters',
      /Status: expected/,
    );
    assert.ok(status.message.length < 250, status.message);
  });

  test('many resources and values within the body limit parse and evaluate', () => {
    const resources: Record<string, unknown> = {};
    for (let index = 0; index < 100; index++)
      resources[`p${index}`] = { Type: 'AWS::IoT::Policy', Properties: { PolicyName: `n${index}` } };
    const plan = evaluate({ Resources: resources });
    assert.equal(plan.policies.length, 100);
    assert.deepEqual(plan.policies[99], { name: 'n99' });
    assert.ok(parse({ Resources: resources }).policies.length === 100);
  });
});
