// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Fn::Sub strings are written with ${Name}, not JavaScript templates
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluateTemplate } from '../../../src/provisioning/template/evaluate-template.js';
import { parseTemplate } from '../../../src/provisioning/template/parse-template.js';
import {
  assertTemplateError,
  CERTIFICATE_ID,
  evaluate,
  evaluateValue,
  PSEUDO,
  parse,
} from './template-test-helpers.js';

/** The fleet template of the AWS developer guide (provision-template.md, "Template example for fleet provisioning"). */
const AWS_FLEET_EXAMPLE = {
  Parameters: {
    ThingName: { Type: 'String' },
    SerialNumber: { Type: 'String' },
    DeviceLocation: { Type: 'String' },
  },
  Mappings: { LocationTable: { Seattle: { LocationUrl: 'https://example.aws' } } },
  Resources: {
    thing: {
      Type: 'AWS::IoT::Thing',
      Properties: {
        AttributePayload: { version: 'v1', serialNumber: 'serialNumber' },
        ThingName: { Ref: 'ThingName' },
        ThingTypeName: { 'Fn::Join': ['', ['ThingPrefix_', { Ref: 'SerialNumber' }]] },
        ThingGroups: ['v1-lightbulbs', 'WA'],
        BillingGroup: 'LightBulbBillingGroup',
      },
      OverrideSettings: { AttributePayload: 'MERGE', ThingTypeName: 'REPLACE', ThingGroups: 'DO_NOTHING' },
    },
    certificate: {
      Type: 'AWS::IoT::Certificate',
      Properties: { CertificateId: { Ref: 'AWS::IoT::Certificate::Id' }, Status: 'Active' },
    },
    policy: {
      Type: 'AWS::IoT::Policy',
      Properties: {
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['iot:Publish'],
              Resource: ['arn:aws:iot:us-east-1:123456789012:topic/foo/bar'],
            },
          ],
        },
      },
    },
  },
  DeviceConfiguration: {
    FallbackUrl: 'https://www.example.com/test-site',
    LocationUrl: { 'Fn::FindInMap': ['LocationTable', { Ref: 'DeviceLocation' }, 'LocationUrl'] },
  },
};

/** The typical device-SDK sample template: a SerialNumber parameter, the thing named with Fn::Join. */
const SERIAL_NUMBER_TEMPLATE = {
  Parameters: { SerialNumber: { Type: 'String' }, 'AWS::IoT::Certificate::Id': { Type: 'String' } },
  Resources: {
    certificate: {
      Properties: { CertificateId: { Ref: 'AWS::IoT::Certificate::Id' }, Status: 'Active' },
      Type: 'AWS::IoT::Certificate',
    },
    policy: { Properties: { PolicyName: 'DevicePolicy' }, Type: 'AWS::IoT::Policy' },
    thing: {
      OverrideSettings: { AttributePayload: 'MERGE', ThingGroups: 'DO_NOTHING', ThingTypeName: 'REPLACE' },
      Properties: {
        AttributePayload: {},
        ThingGroups: [],
        ThingName: { 'Fn::Join': ['', ['MAS-', { Ref: 'SerialNumber' }]] },
      },
      Type: 'AWS::IoT::Thing',
    },
  },
};

describe('evaluateTemplate: documented templates', () => {
  test('the AWS developer guide fleet template', () => {
    const plan = evaluate(AWS_FLEET_EXAMPLE, { ThingName: 'bulb-1', SerialNumber: '42', DeviceLocation: 'Seattle' });
    assert.deepEqual(plan, {
      thing: {
        name: 'bulb-1',
        attributes: { version: 'v1', serialNumber: 'serialNumber' },
        thingTypeName: 'ThingPrefix_42',
        thingGroups: ['v1-lightbulbs', 'WA'],
        billingGroup: 'LightBulbBillingGroup',
        overrideSettings: { attributePayload: 'MERGE', thingTypeName: 'REPLACE', thingGroups: 'DO_NOTHING' },
      },
      certificate: { status: 'ACTIVE' },
      policies: [
        {
          document:
            '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iot:Publish"],"Resource":["arn:aws:iot:us-east-1:123456789012:topic/foo/bar"]}]}',
        },
      ],
      deviceConfiguration: { FallbackUrl: 'https://www.example.com/test-site', LocationUrl: 'https://example.aws' },
    });
  });

  test('the AWS fleet template fails when a parameter it needs is missing', () => {
    assertTemplateError(
      () => evaluate(AWS_FLEET_EXAMPLE, { ThingName: 'bulb-1', DeviceLocation: 'Seattle' }),
      'InvalidParameters',
      'Cannot resolve reference value: SerialNumber',
    );
  });

  test('the AWS fleet template fails when the mapping has no such location', () => {
    assertTemplateError(
      () => evaluate(AWS_FLEET_EXAMPLE, { ThingName: 'b', SerialNumber: '1', DeviceLocation: 'Paris' }),
      'InvalidParameters',
      'DeviceConfiguration.LocationUrl.Fn::FindInMap: no value for "LocationTable", "Paris", "LocationUrl" in the Mappings',
    );
  });

  test('the SerialNumber template names the thing with Fn::Join (real accepted thingName MAS-999999999)', () => {
    const plan = evaluate(SERIAL_NUMBER_TEMPLATE, { SerialNumber: '999999999' });
    assert.equal(plan.thing?.name, 'MAS-999999999');
    assert.deepEqual(plan.thing?.attributes, {});
    assert.deepEqual(plan.thing?.thingGroups, []);
    assert.equal(plan.thing?.thingTypeName, undefined);
    assert.equal(plan.thing?.billingGroup, undefined);
    assert.deepEqual(plan.certificate, { status: 'ACTIVE' });
    assert.deepEqual(plan.policies, [{ name: 'DevicePolicy' }]);
    assert.deepEqual(plan.deviceConfiguration, {});
  });

  test('a parsed template is reusable across requests', () => {
    const template = parseTemplate(JSON.stringify(SERIAL_NUMBER_TEMPLATE));
    const first = evaluateTemplate(template, { parameters: { SerialNumber: '1' }, pseudoParameters: PSEUDO });
    const second = evaluateTemplate(template, { parameters: { SerialNumber: '2' }, pseudoParameters: PSEUDO });
    assert.equal(first.thing?.name, 'MAS-1');
    assert.equal(second.thing?.name, 'MAS-2');
  });

  test('a template with no resources gives an empty plan', () => {
    assert.deepEqual(evaluate({ Resources: {} }), { policies: [], deviceConfiguration: {} });
  });
});

describe('evaluateTemplate: references', () => {
  const declared = { Parameters: { Name: { Type: 'String' }, WithDefault: { Type: 'String', Default: 'fallback' } } };

  test('a request parameter gives a declared parameter its value', () => {
    assert.equal(evaluateValue({ Ref: 'Name' }, { Name: 'dev-1' }, declared), 'dev-1');
  });

  test('a default applies when the request omits the parameter, and the request wins when present', () => {
    assert.equal(evaluateValue({ Ref: 'WithDefault' }, {}, declared), 'fallback');
    assert.equal(evaluateValue({ Ref: 'WithDefault' }, { WithDefault: 'given' }, declared), 'given');
  });

  test('an empty string is a value, not a missing one', () => {
    assert.equal(evaluateValue({ Ref: 'WithDefault' }, { WithDefault: '' }, declared), '');
  });

  test('a declared parameter without default and not supplied cannot be resolved (exact AWS wording)', () => {
    assertTemplateError(
      () => evaluateValue({ Ref: 'Name' }, {}, declared),
      'InvalidParameters',
      'Cannot resolve reference value: Name',
    );
  });

  test('request parameters the template does not declare are ignored', () => {
    assertTemplateError(
      () => evaluateValue({ Ref: 'Undeclared' }, { Undeclared: 'x' }),
      'InvalidParameters',
      'Cannot resolve reference value: Undeclared',
    );
    assert.deepEqual(evaluate({ Resources: {} }, { Extra: 'ignored' }).deviceConfiguration, {});
  });

  test('a pseudo parameter the caller does not give cannot be resolved (the real AWS::Region example)', () => {
    assertTemplateError(
      () => evaluateValue({ Ref: 'AWS::Region' }),
      'InvalidParameters',
      'Cannot resolve reference value: AWS::Region',
    );
  });

  test('a pseudo parameter the caller gives resolves without being declared', () => {
    assert.equal(evaluateValue({ Ref: 'AWS::IoT::Certificate::Id' }), CERTIFICATE_ID);
  });

  test('a device cannot set a pseudo parameter through its request parameters', () => {
    const template = { Parameters: { 'AWS::IoT::Certificate::Id': { Type: 'String' } } };
    assert.equal(
      evaluateValue({ Ref: 'AWS::IoT::Certificate::Id' }, { 'AWS::IoT::Certificate::Id': 'b'.repeat(64) }, template),
      CERTIFICATE_ID,
    );
    const noPseudo = () =>
      evaluateTemplate(
        parse({ ...template, Resources: {}, DeviceConfiguration: { Out: { Ref: 'AWS::IoT::Certificate::Id' } } }),
        {
          parameters: { 'AWS::IoT::Certificate::Id': 'b'.repeat(64) },
          pseudoParameters: {},
        },
      );
    assertTemplateError(noPseudo, 'InvalidParameters', 'Cannot resolve reference value: AWS::IoT::Certificate::Id');
  });

  test('a pseudo parameter wins over a declared parameter of the same name with a default', () => {
    const template = { Parameters: { 'AWS::IoT::Certificate::Id': { Type: 'String', Default: 'zzz' } } };
    assert.equal(evaluateValue({ Ref: 'AWS::IoT::Certificate::Id' }, {}, template), CERTIFICATE_ID);
  });

  test('names from Object.prototype are not parameters', () => {
    for (const name of ['constructor', 'toString', '__proto__']) {
      assertTemplateError(
        () => evaluateValue({ Ref: name }),
        'InvalidParameters',
        `Cannot resolve reference value: ${name}`,
      );
    }
  });

  test('a request parameter that is not a string is refused', () => {
    const parameters = { Name: 5 } as unknown as Record<string, string>;
    assertTemplateError(
      () => evaluateValue({ Ref: 'Name' }, parameters, declared),
      'InvalidParameters',
      'DeviceConfiguration.Out: the value of Name is not a string',
    );
  });
});

describe('evaluateTemplate: thing', () => {
  const thingTemplate = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    Parameters: { P: { Type: 'String' } },
    Resources: { thing: { Type: 'AWS::IoT::Thing', Properties: { ThingName: 'thing-1', ...properties }, ...extra } },
  });

  test('attributes resolve intrinsic values, numbers and booleans read as text', () => {
    const plan = evaluate(
      thingTemplate({ AttributePayload: { serial: { Ref: 'P' }, n: 7, flag: true, joined: { 'Fn::Sub': 'x-${P}' } } }),
      { P: 'v' },
    );
    assert.deepEqual(plan.thing?.attributes, { serial: 'v', n: '7', flag: 'true', joined: 'x-v' });
  });

  test('an attribute named __proto__ is an ordinary attribute', () => {
    const plan = parse(
      JSON.parse(
        '{"Resources":{"t":{"Type":"AWS::IoT::Thing","Properties":{"ThingName":"n","AttributePayload":{"__proto__":"x"}}}}}',
      ),
    );
    const attributes = evaluateTemplate(plan, { parameters: {}, pseudoParameters: PSEUDO }).thing?.attributes ?? {};
    assert.deepEqual(Object.keys(attributes), ['__proto__']);
    assert.equal(Object.getPrototypeOf(attributes), Object.prototype);
  });

  test('thing groups may come from Fn::Split', () => {
    const plan = evaluate(thingTemplate({ ThingGroups: { 'Fn::Split': [',', { Ref: 'P' }] } }), { P: 'a,b,c' });
    assert.deepEqual(plan.thing?.thingGroups, ['a', 'b', 'c']);
  });

  test('thing groups that do not resolve to a list of strings are refused', () => {
    assertTemplateError(
      () => evaluate(thingTemplate({ ThingGroups: { 'Fn::FindInMap': ['M', 'k', 'v'] } }, {}), {}),
      'InvalidTemplate',
      /no mapping named "M"/,
    );
    const template = {
      ...thingTemplate({ ThingGroups: { 'Fn::FindInMap': ['M', 'k', 'v'] } }),
      Mappings: { M: { k: { v: 'single' } } },
    };
    assertTemplateError(
      () => evaluate(template),
      'InvalidParameters',
      'Resources.thing.Properties.ThingGroups: expected a list, found a string',
    );
  });

  test('an empty thing name, type or group is refused', () => {
    assertTemplateError(
      () => evaluate(thingTemplate({ ThingName: { Ref: 'P' } }), { P: '' }),
      'InvalidParameters',
      'Resources.thing.Properties.ThingName: resolves to an empty string',
    );
    assertTemplateError(
      () => evaluate(thingTemplate({ ThingTypeName: { Ref: 'P' } }), { P: '' }),
      'InvalidParameters',
      'Resources.thing.Properties.ThingTypeName: resolves to an empty string',
    );
    assertTemplateError(
      () => evaluate(thingTemplate({ ThingGroups: ['ok', { Ref: 'P' }] }), { P: '' }),
      'InvalidParameters',
      'Resources.thing.Properties.ThingGroups[1]: resolves to an empty string',
    );
  });

  test('override settings: only the given ones, upper-case names accepted', () => {
    const plan = evaluate(
      thingTemplate({}, { OverrideSettings: { THING_GROUPS: 'MERGE', ATTRIBUTE_PAYLOAD: 'FAIL' } }),
    );
    assert.deepEqual(plan.thing?.overrideSettings, { thingGroups: 'MERGE', attributePayload: 'FAIL' });
    assert.deepEqual(evaluate(thingTemplate({})).thing?.overrideSettings, {});
  });
});

describe('evaluateTemplate: certificate', () => {
  const certificateTemplate = (properties: Record<string, unknown>) => ({
    Parameters: { P: { Type: 'String' } },
    Resources: { cert: { Type: 'AWS::IoT::Certificate', Properties: properties } },
  });
  const certificateId = { Ref: 'AWS::IoT::Certificate::Id' };

  test('status spellings normalise to ACTIVE / INACTIVE; absent means ACTIVE', () => {
    for (const [spelling, status] of [
      ['ACTIVE', 'ACTIVE'],
      ['Active', 'ACTIVE'],
      ['INACTIVE', 'INACTIVE'],
      ['Inactive', 'INACTIVE'],
    ]) {
      assert.deepEqual(evaluate(certificateTemplate({ CertificateId: certificateId, Status: spelling })).certificate, {
        status,
      });
    }
    assert.deepEqual(evaluate(certificateTemplate({ CertificateId: certificateId })).certificate, { status: 'ACTIVE' });
  });

  test('a status from a parameter is checked when evaluated', () => {
    const template = certificateTemplate({ CertificateId: certificateId, Status: { Ref: 'P' } });
    assert.deepEqual(evaluate(template, { P: 'Inactive' }).certificate, { status: 'INACTIVE' });
    assertTemplateError(
      () => evaluate(template, { P: 'REVOKED' }),
      'InvalidParameters',
      'Resources.cert.Properties.Status: expected ACTIVE, Active, INACTIVE, Inactive, found "REVOKED"',
    );
  });

  test('a CertificateId naming another certificate is refused, even when a device parameter supplies it', () => {
    assertTemplateError(
      () => evaluate(certificateTemplate({ CertificateId: { Ref: 'P' } }), { P: 'b'.repeat(64) }),
      'InvalidParameters',
      'Resources.cert.Properties.CertificateId: does not match the certificate being provisioned',
    );
    assertTemplateError(
      () => evaluate(certificateTemplate({ CertificateId: 'c'.repeat(64) })),
      'InvalidParameters',
      'Resources.cert.Properties.CertificateId: does not match the certificate being provisioned',
    );
  });

  test('a literal CertificateId equal to the provisioned one is accepted', () => {
    assert.deepEqual(evaluate(certificateTemplate({ CertificateId: CERTIFICATE_ID })).certificate, {
      status: 'ACTIVE',
    });
  });

  test('a CertificateId cannot be checked without the caller naming the certificate', () => {
    assertTemplateError(
      () => evaluate(certificateTemplate({ CertificateId: CERTIFICATE_ID }), {}, {}),
      'InvalidParameters',
      'Resources.cert.Properties.CertificateId: cannot be checked, the certificate being provisioned is not known',
    );
  });
});

describe('evaluateTemplate: policies', () => {
  const policyTemplate = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    Parameters: { P: { Type: 'String' } },
    Resources: { policy: { Type: 'AWS::IoT::Policy', Properties: properties, ...extra } },
  });

  test('a document written as a string is handed on as written', () => {
    const text = '{ "Version": "2012-10-17", "Statement": [] }';
    assert.deepEqual(evaluate(policyTemplate({ PolicyDocument: text })).policies, [{ document: text }]);
  });

  test('an object document resolves the intrinsic functions inside it and keeps numbers and booleans', () => {
    const plan = evaluate(
      policyTemplate({
        PolicyDocument: {
          Statement: [
            { Resource: { 'Fn::Sub': 'arn:aws:iot:*:*:client/${P}' }, Condition: { Bool: { x: false } }, n: 1 },
          ],
        },
      }),
      { P: 'dev' },
    );
    assert.deepEqual(plan.policies, [
      { document: '{"Statement":[{"Resource":"arn:aws:iot:*:*:client/dev","Condition":{"Bool":{"x":false}},"n":1}]}' },
    ]);
  });

  test('a document built by a function must be a JSON object', () => {
    const template = policyTemplate({ PolicyDocument: { Ref: 'P' } });
    assert.deepEqual(evaluate(template, { P: '{"a":1}' }).policies, [{ document: '{"a":1}' }]);
    assertTemplateError(
      () => evaluate(template, { P: 'not json' }),
      'InvalidParameters',
      'Resources.policy.Properties.PolicyDocument: the policy document is not valid JSON',
    );
    assertTemplateError(
      () => evaluate(template, { P: '[1]' }),
      'InvalidParameters',
      'Resources.policy.Properties.PolicyDocument: the policy document must be a JSON object',
    );
  });

  test('policy names resolve; several policies keep template order', () => {
    const template = {
      Parameters: { P: { Type: 'String' } },
      Resources: {
        b: { Type: 'AWS::IoT::Policy', Properties: { PolicyName: { 'Fn::Join': ['-', ['p', { Ref: 'P' }]] } } },
        a: { Type: 'AWS::IoT::Policy', Properties: { PolicyName: 'second' } },
      },
    };
    assert.deepEqual(evaluate(template, { P: 'x' }).policies, [{ name: 'p-x' }, { name: 'second' }]);
  });
});

describe('evaluateTemplate: conditions on resources', () => {
  const template = {
    Parameters: { Kind: { Type: 'String', Default: 'sensor' } },
    Conditions: {
      IsSensor: { 'Fn::Equals': [{ Ref: 'Kind' }, 'sensor'] },
      IsGateway: { 'Fn::Not': [{ Condition: 'IsSensor' }] },
    },
    Resources: {
      thing: { Type: 'AWS::IoT::Thing', Condition: 'IsSensor', Properties: { ThingName: 'n' } },
      cert: {
        Type: 'AWS::IoT::Certificate',
        Condition: 'IsGateway',
        Properties: { CertificateId: { Ref: 'AWS::IoT::Certificate::Id' } },
      },
      sensorPolicy: { Type: 'AWS::IoT::Policy', Condition: 'IsSensor', Properties: { PolicyName: 'sensor' } },
      gatewayPolicy: { Type: 'AWS::IoT::Policy', Condition: 'IsGateway', Properties: { PolicyName: 'gateway' } },
      always: { Type: 'AWS::IoT::Policy', Properties: { PolicyName: 'always' } },
    },
  };

  test('a resource whose condition is false is skipped', () => {
    const sensor = evaluate(template);
    assert.equal(sensor.thing?.name, 'n');
    assert.equal(sensor.certificate, undefined);
    assert.deepEqual(sensor.policies, [{ name: 'sensor' }, { name: 'always' }]);
    const gateway = evaluate(template, { Kind: 'gateway' });
    assert.equal(gateway.thing, undefined);
    assert.deepEqual(gateway.certificate, { status: 'ACTIVE' });
    assert.deepEqual(gateway.policies, [{ name: 'gateway' }, { name: 'always' }]);
  });

  test('a skipped resource is not evaluated, so its unresolvable values do not fail the request', () => {
    const skipped = {
      Conditions: { Never: { 'Fn::Equals': ['a', 'b'] } },
      Resources: {
        thing: { Type: 'AWS::IoT::Thing', Condition: 'Never', Properties: { ThingName: { Ref: 'Missing' } } },
      },
    };
    assert.equal(evaluate(skipped).thing, undefined);
  });

  test('an unused condition is never evaluated', () => {
    const unused = { Conditions: { Broken: { 'Fn::Equals': [{ Ref: 'Missing' }, 'x'] } }, Resources: {} };
    assert.deepEqual(evaluate(unused).policies, []);
  });
});
