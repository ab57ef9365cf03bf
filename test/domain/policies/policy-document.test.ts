// biome-ignore-all lint/suspicious/noTemplateCurlyInString: policy variables are written ${name}, not JavaScript templates
/** Document validation: what CreatePolicy refuses, with the message it answers, and the 2048-character limit. */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  POLICY_DOCUMENT_SIZE_LIMIT,
  parsePolicyDocument,
  policyDocumentSize,
} from '../../../src/domain/policies/policy-document.js';
import { ServiceError } from '../../../src/errors.js';
import { ARN, allow, doc } from './policy-fixtures.js';

const M = 'Policy document is Malformed: ';
const SYNTAX = `${M}Invalid policy syntax.`;

function refusal(text: string): string {
  try {
    parsePolicyDocument(text);
  } catch (error) {
    assert.ok(error instanceof ServiceError);
    assert.equal(error.code, 'MalformedPolicyException');
    return error.message;
  }
  assert.fail('the document was accepted');
}

const statement = (extra: object) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*', ...extra }],
  });

const REFUSED: ReadonlyArray<[string, string, string]> = [
  ['empty', '', SYNTAX],
  ['whitespace only', '  \n', SYNTAX],
  ['not JSON', '{"Version":', SYNTAX],
  ['a JSON array', '[]', SYNTAX],
  ['a JSON string', '"policy"', SYNTAX],
  [
    'no Version',
    JSON.stringify({ Statement: [allow('iot:*', '*')] }),
    `${M}Unknown policy document version. It must be version 2012-10-17`,
  ],
  [
    'Version 2008-10-17',
    JSON.stringify({ Version: '2008-10-17', Statement: [allow('iot:*', '*')] }),
    `${M}Unknown policy document version. It must be version 2012-10-17`,
  ],
  [
    'an unknown top-level element',
    JSON.stringify({ Version: '2012-10-17', Statement: [allow('iot:*', '*')], Extra: 1 }),
    SYNTAX,
  ],
  ['no Statement', JSON.stringify({ Version: '2012-10-17' }), `${M}Policy has no statements`],
  ['an empty Statement list', JSON.stringify({ Version: '2012-10-17', Statement: [] }), `${M}Policy has no statements`],
  ['a statement that is a string', JSON.stringify({ Version: '2012-10-17', Statement: ['x'] }), SYNTAX],
  ['Effect Permit', statement({ Effect: 'Permit' }), `${M}Invalid effect: Permit`],
  ['Effect allow (lower case)', statement({ Effect: 'allow' }), `${M}Invalid effect: allow`],
  [
    'no Effect',
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Action: 'iot:Connect', Resource: '*' }] }),
    SYNTAX,
  ],
  ['no Action', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Resource: '*' }] }), SYNTAX],
  ['Action and NotAction', statement({ NotAction: 'iot:Publish' }), SYNTAX],
  ['Resource and NotResource', statement({ NotResource: '*' }), SYNTAX],
  ['an empty Action list', statement({ Action: [] }), SYNTAX],
  ['an Action that is a number', statement({ Action: 7 }), SYNTAX],
  ['a Principal', statement({ Principal: '*' }), SYNTAX],
  ['a Sid that is a number', statement({ Sid: 1 }), SYNTAX],
  [
    'an unknown iot action',
    statement({ Action: 'iot:Teleport' }),
    `${M}The following actions are invalid : iot:Teleport`,
  ],
  [
    'a pattern matching no iot action',
    statement({ Action: ['iot:Connect', 'iot:Zz*'] }),
    `${M}The following actions are invalid : iot:Zz*`,
  ],
  [
    'an action of another service',
    statement({ Action: 's3:GetObject' }),
    `${M}The following actions are invalid : s3:GetObject`,
  ],
  ['an action without a service', statement({ Action: 'Publish' }), `${M}The following actions are invalid : Publish`],
  ['a resource that is no ARN', statement({ Resource: '\\' }), `${M}The following resources are invalid : \\`],
  [
    'a resource ARN cut short',
    statement({ Resource: 'arn:aws:iot:us-east-1' }),
    `${M}The following resources are invalid : arn:aws:iot:us-east-1`,
  ],
  [
    'an unknown condition operator',
    statement({ Condition: { StringMatches: { 'iot:ClientId': 'x' } } }),
    `${M}Invalid condition operator: StringMatches`,
  ],
  [
    'an unknown set operator',
    statement({ Condition: { 'ForSomeValues:StringEquals': { 'iot:ClientId': 'x' } } }),
    `${M}Invalid condition operator: ForSomeValues:StringEquals`,
  ],
  [
    'NullIfExists',
    statement({ Condition: { NullIfExists: { 'iot:ClientId': 'true' } } }),
    `${M}Invalid condition operator: NullIfExists`,
  ],
  ['a condition that is a list', statement({ Condition: [] }), SYNTAX],
  [
    'a condition value that is an object',
    statement({ Condition: { StringEquals: { 'iot:ClientId': { a: 1 } } } }),
    SYNTAX,
  ],
  [
    'a numeric condition on text',
    statement({ Condition: { NumericLessThan: { 'iot:ClientId': 'ten' } } }),
    `${M}Invalid value for condition NumericLessThan: ten`,
  ],
  [
    'an IpAddress that is none',
    statement({ Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/33' } } }),
    `${M}Invalid value for condition IpAddress: 10.0.0.0/33`,
  ],
  [
    'a Bool that is neither',
    statement({ Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'yes' } } }),
    `${M}Invalid value for condition Bool: yes`,
  ],
];

describe('refused documents', () => {
  for (const [name, text, message] of REFUSED) {
    test(name, () => assert.equal(refusal(text), message));
  }
});

describe('accepted documents', () => {
  test('a single statement object and list values are normalised', () => {
    const parsed = parsePolicyDocument(
      JSON.stringify({
        Version: '2012-10-17',
        Id: 'x',
        Statement: { Sid: 's1', Effect: 'Deny', NotAction: 'iot:Publish', NotResource: [`${ARN}topic/a`] },
      }),
    );
    assert.equal(parsed.id, 'x');
    assert.deepEqual(parsed.statements, [
      {
        index: 0,
        sid: 's1',
        effect: 'Deny',
        actions: ['iot:Publish'],
        notAction: true,
        resources: [`${ARN}topic/a`],
        notResource: true,
        conditions: [],
      },
    ]);
  });

  for (const action of [
    '*',
    'iot:*',
    'iot:Pub*',
    'iot:?onnect',
    'IOT:CONNECT',
    'iot:RetainPublish',
    'iot:UpdateThingShadow',
    'iot:CreateKeysAndCertificate',
    'greengrass:Discover',
    'greengrass:*',
  ]) {
    test(`action ${action} is accepted`, () =>
      assert.doesNotThrow(() => parsePolicyDocument(statement({ Action: action }))));
  }

  test('conditions with variables are checked when evaluated, not parsed', () => {
    assert.doesNotThrow(() =>
      parsePolicyDocument(
        statement({ Condition: { NumericLessThan: { 'iot:ClientId': '${iot:Connection.Thing.Attributes[max]}' } } }),
      ),
    );
  });

  test('IfExists and set operators on every base operator are known', () => {
    for (const operator of [
      'StringLikeIfExists',
      'ForAllValues:StringNotEqualsIgnoreCase',
      'ForAnyValue:ArnLike',
      'DateGreaterThanEqualsIfExists',
      'NotIpAddressIfExists',
      'BinaryEquals',
      'numericequals',
    ]) {
      const value = operator.includes('Date')
        ? '2030-01-01T00:00:00Z'
        : operator.includes('Ip')
          ? '10.0.0.0/8'
          : operator.includes('numeric')
            ? '1'
            : 'x';
      assert.doesNotThrow(
        () => parsePolicyDocument(statement({ Condition: { [operator]: { 'iot:ClientId': value } } })),
        operator,
      );
    }
  });
});

describe('size', () => {
  /** A valid document of exactly `size` non-whitespace characters, padded with whitespace that does not count. */
  function documentOfSize(size: number): string {
    const base = doc({ Sid: '', ...allow('iot:Connect', '*') });
    const filler = 'a'.repeat(size - policyDocumentSize(base));
    return doc({ Sid: filler, ...allow('iot:Connect', '*') }).replace(/,/g, ',\n    ');
  }

  test('whitespace is not counted', () => {
    assert.equal(policyDocumentSize(' {\n\t"a" : 1 }\r\n'), 7);
  });

  test(`${POLICY_DOCUMENT_SIZE_LIMIT} characters are accepted, whitespace besides`, () => {
    const text = documentOfSize(POLICY_DOCUMENT_SIZE_LIMIT);
    assert.equal(policyDocumentSize(text), 2048);
    assert.ok(text.length > 2048);
    assert.doesNotThrow(() => parsePolicyDocument(text));
  });

  test('2049 characters are refused', () => {
    const text = documentOfSize(POLICY_DOCUMENT_SIZE_LIMIT + 1);
    assert.equal(policyDocumentSize(text), 2049);
    assert.equal(refusal(text), 'Size of a policy document cannot exceeds hard limit of 2048');
  });
});
