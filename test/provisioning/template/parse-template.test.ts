import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseTemplate } from '../../../src/provisioning/template/parse-template.js';
import { TemplateError } from '../../../src/provisioning/template/template-error.js';
import { assertInvalidTemplate, assertTemplateError, parse } from './template-test-helpers.js';

const thing = (properties: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::IoT::Thing',
  Properties: { ThingName: 'n', ...properties },
  ...extra,
});
const certificate = (properties: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::IoT::Certificate',
  Properties: { CertificateId: { Ref: 'AWS::IoT::Certificate::Id' }, ...properties },
  ...extra,
});

describe('parseTemplate: the body', () => {
  test('TemplateError is an Error with a code and a message', () => {
    const error = assertTemplateError(
      () => parseTemplate('nope'),
      'InvalidTemplate',
      'The template body is not valid JSON',
    );
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'TemplateError');
  });

  test('a body that is not a JSON object is refused', () => {
    const bodies: Array<[string, string]> = [
      ['[]', 'a list'],
      ['"text"', 'a string'],
      ['42', 'a number'],
      ['null', 'null'],
      ['true', 'a boolean'],
    ];
    for (const [body, found] of bodies) {
      assertTemplateError(
        () => parseTemplate(body),
        'InvalidTemplate',
        `The template body must be a JSON object, found ${found}`,
      );
    }
    assertTemplateError(() => parseTemplate(''), 'InvalidTemplate', 'The template body is not valid JSON');
    assertTemplateError(
      () => parseTemplate('{"Resources": {}'),
      'InvalidTemplate',
      'The template body is not valid JSON',
    );
  });

  test('the smallest template parses', () => {
    const template = parseTemplate('{"Resources": {}}');
    assert.deepEqual(template.policies, []);
    assert.equal(template.thing, undefined);
  });

  test('Resources is required and must be an object', () => {
    assertInvalidTemplate({}, 'The template has no Resources section');
    assertInvalidTemplate({ Resources: [] }, 'Resources must be an object, found a list');
    assertInvalidTemplate({ Resources: 'x' }, 'Resources must be an object, found a string');
  });

  test('unknown sections are refused; the CloudFormation descriptors are tolerated', () => {
    assertInvalidTemplate(
      { Resources: {}, Outputs: {} },
      'Unknown template section "Outputs" (expected Parameters, Mappings, Conditions, Resources, DeviceConfiguration)',
    );
    parse({ Resources: {}, AWSTemplateFormatVersion: '2010-09-09', Description: 'd' });
    assertInvalidTemplate({ Resources: {}, Description: 5 }, 'Description must be a string, found a number');
  });

  test('messages quote at most a short excerpt of what they complain about', () => {
    const longName = 'X'.repeat(5000);
    const error = assertInvalidTemplate({ Resources: {}, [longName]: 1 }, /^Unknown template section "X{64}\.\.\."/);
    assert.ok(error.message.length < 200, error.message);
    const typeError = assertInvalidTemplate(
      { Resources: { r: { Type: longName, Properties: {} } } },
      /unknown resource type/,
    );
    assert.ok(typeError.message.length < 250, typeError.message);
  });
});

describe('parseTemplate: Parameters', () => {
  test('String parameters, with or without Default and Description', () => {
    const template = parse({
      Parameters: { A: { Type: 'String' }, B: { Type: 'String', Default: 'b', Description: 'the b' } },
      Resources: {},
    });
    assert.deepEqual(
      [...template.parameters],
      [
        ['A', {}],
        ['B', { defaultValue: 'b' }],
      ],
    );
  });

  test('pseudo parameters may be declared (as JITP templates do)', () => {
    const template = parse({ Parameters: { 'AWS::IoT::Certificate::Id': { Type: 'String' } }, Resources: {} });
    assert.ok(template.parameters.has('AWS::IoT::Certificate::Id'));
  });

  test('bad declarations are refused', () => {
    const cases: Array<[unknown, string]> = [
      [[], 'Parameters must be an object, found a list'],
      [{ A: 'String' }, 'Parameters.A: a parameter declaration must be an object, found a string'],
      [{ A: {} }, 'Parameters.A.Type: the only parameter type is "String", found nothing'],
      [{ A: { Type: 'Number' } }, 'Parameters.A.Type: the only parameter type is "String", found "Number"'],
      [{ A: { Type: 'string' } }, 'Parameters.A.Type: the only parameter type is "String", found "string"'],
      [{ A: { Type: 'String', Default: 5 } }, 'Parameters.A.Default: expected a string, found a number'],
      [{ A: { Type: 'String', Description: [] } }, 'Parameters.A.Description: expected a string, found a list'],
      [
        { A: { Type: 'String', AllowedValues: ['x'] } },
        'Parameters.A: unsupported key "AllowedValues" (a parameter has Type, Default and Description)',
      ],
      [{ 'bad name': { Type: 'String' } }, 'Parameters: "bad name" is not a valid parameter name'],
      [{ 'a.b': { Type: 'String' } }, 'Parameters: "a.b" is not a valid parameter name'],
    ];
    for (const [parameters, message] of cases)
      assertInvalidTemplate({ Parameters: parameters, Resources: {} }, message);
  });
});

describe('parseTemplate: Mappings', () => {
  test('two-level maps of strings, numbers, booleans and lists', () => {
    const template = parse({ Mappings: { M: { k: { s: 'v', n: 1, b: true, l: ['a', 2] } } }, Resources: {} });
    assert.deepEqual(template.mappings.get('M')?.get('k')?.get('l'), ['a', 2]);
  });

  test('bad mappings are refused, including intrinsic functions', () => {
    const cases: Array<[unknown, string]> = [
      ['x', 'Mappings must be an object, found a string'],
      [{ M: [] }, 'Mappings.M: a mapping must be an object, found a list'],
      [{ M: { k: 'v' } }, 'Mappings.M.k: expected an object of values, found a string'],
      [
        { M: { k: { v: null } } },
        'Mappings.M.k.v: a mapping value must be a string, number, boolean or a list of them',
      ],
      [
        { M: { k: { v: { Ref: 'P' } } } },
        'Mappings.M.k.v: a mapping value must be a string, number, boolean or a list of them',
      ],
      [
        { M: { k: { v: [['nested']] } } },
        'Mappings.M.k.v: a mapping value must be a string, number, boolean or a list of them',
      ],
      [{ 'M!': {} }, 'Mappings: "M!" is not a valid mapping name'],
    ];
    for (const [mappings, message] of cases) assertInvalidTemplate({ Mappings: mappings, Resources: {} }, message);
  });
});

describe('parseTemplate: Conditions', () => {
  test('every condition function parses, conditions may refer to later ones', () => {
    const template = parse({
      Parameters: { P: { Type: 'String' } },
      Conditions: {
        A: { 'Fn::And': [{ Condition: 'B' }, { 'Fn::Or': [{ Condition: 'B' }, { 'Fn::Not': [{ Condition: 'B' }] }] }] },
        B: { 'Fn::Equals': [{ Ref: 'P' }, 'x'] },
      },
      Resources: {},
    });
    assert.deepEqual([...template.conditions.keys()], ['A', 'B']);
  });

  test('bad condition shapes are refused', () => {
    const cases: Array<[unknown, string | RegExp]> = [
      [[], 'Conditions must be an object, found a list'],
      [{ C: 'x' }, /^Conditions\.C: expected a condition function/],
      [{ C: {} }, /^Conditions\.C: expected a condition function/],
      [{ C: { 'Fn::Equals': ['a', 'b'], 'Fn::Not': [] } }, /^Conditions\.C: expected a condition function/],
      [
        { C: { Ref: 'P' } },
        'Conditions.C: "Ref" is not a condition function (Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition)',
      ],
      [{ C: { 'Fn::Equals': ['a'] } }, 'Conditions.C.Fn::Equals: expected a list of 2, found a list of 1'],
      [{ C: { 'Fn::Equals': 'a' } }, 'Conditions.C.Fn::Equals: expected a list of 2, found a string'],
      [{ C: { 'Fn::Equals': [['a'], 'b'] } }, 'Conditions.C.Fn::Equals[0]: expected a string, found a list'],
      [
        { C: { 'Fn::And': [{ Condition: 'D' }] }, D: { 'Fn::Equals': ['a', 'a'] } },
        'Conditions.C.Fn::And: expected a list of 2 to 10, found a list of 1',
      ],
      [
        { C: { 'Fn::Or': Array(11).fill({ 'Fn::Equals': ['a', 'a'] }) } },
        'Conditions.C.Fn::Or: expected a list of 2 to 10, found a list of 11',
      ],
      [{ C: { 'Fn::Not': [] } }, 'Conditions.C.Fn::Not: expected a list of 1, found a list of 0'],
      [{ C: { 'Fn::Not': ['a'] } }, /^Conditions\.C\.Fn::Not\[0\]: expected a condition function/],
      [{ C: { Condition: 'Nope' } }, 'Conditions.C.Condition: no condition named "Nope"'],
      [{ C: { Condition: 5 } }, 'Conditions.C.Condition: expected a condition name, found a number'],
      [{ C: { 'Fn::Not': [{ Condition: 'C' }] } }, /^Conditions: condition "C" refers to itself/],
      [
        { C: { 'Fn::Not': [{ Condition: 'D' }] }, D: { 'Fn::Not': [{ Condition: 'C' }] } },
        /^Conditions: condition "C" refers to itself, directly or through other conditions$/,
      ],
      [{ 'C.x': { 'Fn::Equals': ['a', 'a'] } }, 'Conditions: "C.x" is not a valid condition name'],
    ];
    for (const [conditions, message] of cases) {
      assertInvalidTemplate({ Parameters: { P: { Type: 'String' } }, Conditions: conditions, Resources: {} }, message);
    }
  });

  test('a resource condition must name a declared condition', () => {
    assertInvalidTemplate(
      { Resources: { t: thing({}, { Condition: 'Nope' }) } },
      'Resources.t.Condition: no condition named "Nope"',
    );
    assertInvalidTemplate(
      { Resources: { t: thing({}, { Condition: { 'Fn::Equals': ['a', 'a'] } }) } },
      'Resources.t.Condition: expected a condition name, found an object',
    );
  });
});

describe('parseTemplate: Resources', () => {
  test('resource declarations are checked', () => {
    const cases: Array<[unknown, string]> = [
      [{ r: 'x' }, 'Resources.r: a resource must be an object, found a string'],
      [{ r: { Properties: {} } }, 'Resources.r.Type: expected a resource type, found nothing'],
      [
        { r: { Type: 'AWS::IoT::ThingGroup', Properties: {} } },
        'Resources.r.Type: unknown resource type "AWS::IoT::ThingGroup" (expected AWS::IoT::Thing, AWS::IoT::Certificate or AWS::IoT::Policy)',
      ],
      [{ r: { Type: 'AWS::IoT::Thing' } }, 'Resources.r.Properties: expected an object, found nothing'],
      [{ r: { Type: 'AWS::IoT::Thing', Properties: [] } }, 'Resources.r.Properties: expected an object, found a list'],
      [
        { r: { ...thing(), DependsOn: 'x' } },
        'Resources.r: unsupported key "DependsOn" (a resource has Type, Properties, OverrideSettings and Condition)',
      ],
      [{ 'r.1': thing() }, 'Resources: "r.1" is not a valid resource name'],
      [
        { a: thing(), b: thing() },
        'Resources: a template can declare only one AWS::IoT::Thing resource (found "a" and "b")',
      ],
      [
        { a: certificate(), b: certificate() },
        'Resources: a template can declare only one AWS::IoT::Certificate resource (found "a" and "b")',
      ],
    ];
    for (const [resources, message] of cases) assertInvalidTemplate({ Resources: resources }, message);
  });

  test('thing properties are checked', () => {
    const cases: Array<[unknown, string]> = [
      [{ Type: 'AWS::IoT::Thing', Properties: {} }, 'Resources.t.Properties: ThingName is required'],
      [thing({ ThingName: ['a'] }), 'Resources.t.Properties.ThingName: expected a string, found a list'],
      [thing({ ThingName: null }), 'Resources.t.Properties.ThingName: expected a string, found null'],
      [thing({ ThingTypeName: {} }), 'Resources.t.Properties.ThingTypeName: expected a string, found an object'],
      [thing({ BillingGroup: ['b'] }), 'Resources.t.Properties.BillingGroup: expected a string, found a list'],
      [thing({ ThingGroups: 'g' }), 'Resources.t.Properties.ThingGroups: expected a list, found a string'],
      [thing({ ThingGroups: { Ref: 'P' } }), 'Resources.t.Properties.ThingGroups: expected a list, found a string'],
      [thing({ ThingGroups: ['g', ['h']] }), 'Resources.t.Properties.ThingGroups[1]: expected a string, found a list'],
      [
        thing({ AttributePayload: ['a'] }),
        'Resources.t.Properties.AttributePayload: expected an object of attribute names and values, found a list',
      ],
      [
        thing({ AttributePayload: { Ref: 'P' } }),
        'Resources.t.Properties.AttributePayload: expected an object of attribute names and values, found an object',
      ],
      [
        thing({ AttributePayload: { a: { b: 'c' } } }),
        'Resources.t.Properties.AttributePayload.a: expected a string, found an object',
      ],
      [
        thing({ Attributes: {} }),
        'Resources.t.Properties: unknown property "Attributes" of AWS::IoT::Thing (expected ThingName, AttributePayload, ThingTypeName, ThingGroups, BillingGroup)',
      ],
      [
        thing({ PackageVersions: {} }),
        'Resources.t.Properties.PackageVersions: package versions are not supported by fleetca',
      ],
      [
        thing({}, { OverrideSettings: { Status: 'REPLACE' } }),
        'Resources.t.OverrideSettings: unknown setting "Status" (expected AttributePayload, ThingTypeName, ThingGroups)',
      ],
      [
        thing({}, { OverrideSettings: { ThingGroups: 'KEEP' } }),
        'Resources.t.OverrideSettings.ThingGroups: expected DO_NOTHING, REPLACE, FAIL or MERGE, found "KEEP"',
      ],
      [
        thing({}, { OverrideSettings: { ThingGroups: { Ref: 'P' } } }),
        'Resources.t.OverrideSettings.ThingGroups: expected DO_NOTHING, REPLACE, FAIL or MERGE, found an object',
      ],
      [
        thing({}, { OverrideSettings: { ThingTypeName: 'MERGE' } }),
        'Resources.t.OverrideSettings.ThingTypeName: MERGE is valid only for ThingGroups and AttributePayload',
      ],
      [
        thing({}, { OverrideSettings: { ThingGroups: 'MERGE', THING_GROUPS: 'FAIL' } }),
        'Resources.t.OverrideSettings.THING_GROUPS: the setting is given twice',
      ],
      [thing({}, { OverrideSettings: 'REPLACE' }), 'Resources.t.OverrideSettings: expected an object, found a string'],
    ];
    for (const [resource, message] of cases) {
      assertInvalidTemplate({ Parameters: { P: { Type: 'String' } }, Resources: { t: resource } }, message);
    }
  });

  test('certificate properties are checked', () => {
    const fleetOnly = 'Only certificate IDs can be used with a fleet provisioning template';
    const cases: Array<[unknown, string]> = [
      [
        { Type: 'AWS::IoT::Certificate', Properties: { Status: 'ACTIVE' } },
        'Resources.c.Properties: CertificateId is required',
      ],
      [
        certificate({ Status: 'active' }),
        'Resources.c.Properties.Status: expected ACTIVE, Active, INACTIVE, Inactive, found "active"',
      ],
      [
        certificate({ Status: 'REVOKED' }),
        'Resources.c.Properties.Status: expected ACTIVE, Active, INACTIVE, Inactive, found "REVOKED"',
      ],
      [certificate({ Status: ['ACTIVE'] }), 'Resources.c.Properties.Status: expected a string, found a list'],
      [certificate({ CertificateId: ['x'] }), 'Resources.c.Properties.CertificateId: expected a string, found a list'],
      [
        certificate({ CertificateSigningRequest: { Ref: 'CSR' } }),
        `Resources.c.Properties.CertificateSigningRequest: ${fleetOnly}`,
      ],
      [certificate({ CertificatePem: 'x' }), `Resources.c.Properties.CertificatePem: ${fleetOnly}`],
      [certificate({ CACertificatePem: 'x' }), `Resources.c.Properties.CACertificatePem: ${fleetOnly}`],
      [
        certificate({ Foo: 'x' }),
        'Resources.c.Properties: unknown property "Foo" of AWS::IoT::Certificate (expected CertificateId, Status)',
      ],
      [
        certificate({}, { OverrideSettings: { Status: 'MERGE' } }),
        'Resources.c.OverrideSettings.Status: expected DO_NOTHING, REPLACE or FAIL, found "MERGE"',
      ],
      [
        certificate({}, { OverrideSettings: { ThingGroups: 'REPLACE' } }),
        'Resources.c.OverrideSettings: unknown setting "ThingGroups" (expected Status)',
      ],
    ];
    for (const [resource, message] of cases) assertInvalidTemplate({ Resources: { c: resource } }, message);
    parse({ Resources: { c: certificate({ Status: 'Inactive' }, { OverrideSettings: { Status: 'DO_NOTHING' } }) } });
  });

  test('policy properties are checked', () => {
    const policy = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
      Type: 'AWS::IoT::Policy',
      Properties: properties,
      ...extra,
    });
    const cases: Array<[unknown, string]> = [
      [policy({}), 'Resources.p.Properties: a policy needs PolicyName or PolicyDocument, but not both'],
      [
        policy({ PolicyName: 'n', PolicyDocument: '{}' }),
        'Resources.p.Properties: a policy needs PolicyName or PolicyDocument, but not both',
      ],
      [policy({ PolicyName: ['n'] }), 'Resources.p.Properties.PolicyName: expected a string, found a list'],
      [policy({ PolicyDocument: ['x'] }), 'Resources.p.Properties.PolicyDocument: expected a JSON string or an object'],
      [policy({ PolicyDocument: 5 }), 'Resources.p.Properties.PolicyDocument: expected a JSON string or an object'],
      [
        policy({ PolicyDocument: '{not json' }),
        'Resources.p.Properties.PolicyDocument: the policy document is not valid JSON',
      ],
      [
        policy({ PolicyDocument: '"text"' }),
        'Resources.p.Properties.PolicyDocument: the policy document must be a JSON object',
      ],
      [
        policy({ PolicyName: 'n' }, { OverrideSettings: {} }),
        'Resources.p.OverrideSettings: OverrideSettings are not available for policy resources',
      ],
      [
        policy({ PolicyName: 'n', Extra: 1 }),
        'Resources.p.Properties: unknown property "Extra" of AWS::IoT::Policy (expected PolicyName, PolicyDocument)',
      ],
    ];
    for (const [resource, message] of cases) assertInvalidTemplate({ Resources: { p: resource } }, message);
  });
});

describe('parseTemplate: DeviceConfiguration', () => {
  test('values must resolve to strings; nested objects are refused', () => {
    const cases: Array<[unknown, string]> = [
      [[], 'DeviceConfiguration must be an object of names and values, found a list'],
      [{ Ref: 'P' }, 'DeviceConfiguration must be an object of names and values, found an object'],
      [{ a: { b: 'c' } }, 'DeviceConfiguration.a: expected a string, found an object'],
      [{ a: ['b'] }, 'DeviceConfiguration.a: expected a string, found a list'],
      [{ a: null }, 'DeviceConfiguration.a: expected a string, found null'],
      [{ a: { 'Fn::Split': [',', 'x,y'] } }, 'DeviceConfiguration.a: expected a string, found a list'],
    ];
    for (const [configuration, message] of cases) {
      assertInvalidTemplate(
        { Parameters: { P: { Type: 'String' } }, Resources: {}, DeviceConfiguration: configuration },
        message,
      );
    }
  });

  test('every error parseTemplate throws is a TemplateError with InvalidTemplate', () => {
    for (const body of [
      '{',
      '{"Resources":{"r":{"Type":1}}}',
      '{"Resources":{},"DeviceConfiguration":{"a":{"Fn::Nope":1}}}',
    ]) {
      assert.throws(
        () => parseTemplate(body),
        (error: unknown) => error instanceof TemplateError && error.errorCode === 'InvalidTemplate',
      );
    }
  });
});
