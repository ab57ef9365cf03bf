// biome-ignore-all lint/suspicious/noTemplateCurlyInString: policy variables are written ${name}, not JavaScript templates
/** Evaluation rules beyond AWS's examples: wildcards, escapes, several policies, NotAction/NotResource, conditions. */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DataAction, PrincipalFacts } from '../../../src/domain/policies/authorization-request.js';
import { type AuthorizationDecision, Authorizer } from '../../../src/domain/policies/authorizer.js';
import { compilePolicy, resourceArn } from '../../../src/domain/policies/compiled-policy.js';
import { ARN, allow, certificate, deny, doc, principal, type Statement } from './policy-fixtures.js';

interface Case {
  readonly name: string;
  readonly statements: Statement[];
  readonly facts?: PrincipalFacts;
  readonly action?: DataAction;
  readonly resource: string;
  readonly expect: AuthorizationDecision;
  readonly missing?: readonly string[];
  readonly now?: number;
}

const topic = (name: string) => `${ARN}topic/${name}`;
const cond = (operator: string, key: string, value: unknown) => ({ [operator]: { [key]: value } });
const pub = (condition: object) => [allow('iot:Publish', topic('t'), condition)];
const thingFacts = principal({
  thing: { thingName: 'client1', thingTypeName: 'lamp', attributes: { floor: '3', wing: 'east' } },
});
const ip = (sourceIp: string) => principal({ sourceIp });
const LONG = 'x'.repeat(1025);

const CASES: Case[] = [
  {
    name: '* matches the empty rest',
    statements: [allow('iot:Publish', topic('a/*'))],
    resource: topic('a/'),
    expect: 'ALLOWED',
  },
  {
    name: '? is exactly one character',
    statements: [allow('iot:Publish', topic('a?'))],
    resource: topic('ab'),
    expect: 'ALLOWED',
  },
  {
    name: '? is not two characters',
    statements: [allow('iot:Publish', topic('a?'))],
    resource: topic('abc'),
    expect: 'IMPLICIT_DENY',
  },
  {
    name: '? may be a slash',
    statements: [allow('iot:Publish', topic('a?b'))],
    resource: topic('a/b'),
    expect: 'ALLOWED',
  },
  {
    name: '# is literal in a topic filter',
    statements: [allow('iot:Subscribe', `${ARN}topicfilter/a/#`)],
    action: 'iot:Subscribe',
    resource: `${ARN}topicfilter/a/#`,
    expect: 'ALLOWED',
  },
  {
    name: '# does not match a deeper filter',
    statements: [allow('iot:Subscribe', `${ARN}topicfilter/a/#`)],
    action: 'iot:Subscribe',
    resource: `${ARN}topicfilter/a/b`,
    expect: 'IMPLICIT_DENY',
  },
  {
    name: 'resources are case-sensitive',
    statements: [allow('iot:Publish', topic('Foo'))],
    resource: topic('foo'),
    expect: 'IMPLICIT_DENY',
  },
  {
    name: 'action names are not',
    statements: [allow('IOT:PUBLISH', topic('t'))],
    resource: topic('t'),
    expect: 'ALLOWED',
  },
  {
    name: 'iot:* covers Receive',
    statements: [allow('iot:*', '*')],
    action: 'iot:Receive',
    resource: topic('t'),
    expect: 'ALLOWED',
  },
  {
    name: 'a bare * action covers Subscribe',
    statements: [allow('*', '*')],
    action: 'iot:Subscribe',
    resource: `${ARN}topicfilter/t`,
    expect: 'ALLOWED',
  },
  {
    name: 'iot:Pub* is not RetainPublish',
    statements: [allow('iot:Pub*', '*')],
    action: 'iot:RetainPublish',
    resource: topic('t'),
    expect: 'IMPLICIT_DENY',
  },
  {
    name: 'iot:*Publish is RetainPublish too',
    statements: [allow('iot:*Publish', '*')],
    action: 'iot:RetainPublish',
    resource: topic('t'),
    expect: 'ALLOWED',
  },
  {
    name: 'a greengrass action grants no MQTT right',
    statements: [allow('greengrass:*', '*')],
    resource: topic('t'),
    expect: 'IMPLICIT_DENY',
  },
  {
    name: 'NotAction grants the other actions',
    statements: [{ Effect: 'Allow', NotAction: 'iot:Publish', Resource: '*' }],
    action: 'iot:Subscribe',
    resource: `${ARN}topicfilter/t`,
    expect: 'ALLOWED',
  },
  {
    name: 'NotAction leaves its own action out',
    statements: [{ Effect: 'Allow', NotAction: 'iot:Publish', Resource: '*' }],
    resource: topic('t'),
    expect: 'IMPLICIT_DENY',
  },
  {
    name: 'NotResource Deny hits what it does not name',
    statements: [allow('iot:Publish', '*'), { Effect: 'Deny', Action: 'iot:Publish', NotResource: topic('safe/*') }],
    resource: topic('other'),
    expect: 'EXPLICIT_DENY',
  },
  {
    name: 'NotResource Deny spares what it names',
    statements: [allow('iot:Publish', '*'), { Effect: 'Deny', Action: 'iot:Publish', NotResource: topic('safe/*') }],
    resource: topic('safe/x'),
    expect: 'ALLOWED',
  },
  {
    name: 'deny beats allow in the same policy',
    statements: [allow('iot:*', '*'), deny('iot:Publish', topic('t'))],
    resource: topic('t'),
    expect: 'EXPLICIT_DENY',
  },
  {
    name: 'another region is another resource',
    statements: [allow('iot:Publish', topic('t'))],
    resource: 'arn:aws:iot:eu-west-1:123456789012:topic/t',
    expect: 'IMPLICIT_DENY',
  },
  {
    name: 'a wildcard region',
    statements: [allow('iot:Publish', 'arn:aws:iot:*:123456789012:topic/t')],
    resource: 'arn:aws:iot:eu-west-1:123456789012:topic/t',
    expect: 'ALLOWED',
  },
  {
    name: '${*} is a literal star',
    statements: [allow('iot:Publish', topic('${*}'))],
    resource: topic('x'),
    expect: 'IMPLICIT_DENY',
  },
  {
    name: '${*} matches a star',
    statements: [allow('iot:Publish', topic('${*}'))],
    resource: topic('*'),
    expect: 'ALLOWED',
  },
  {
    name: '${?} and ${$} are literal',
    statements: [allow('iot:Publish', topic('${?}${$}'))],
    resource: topic('?$'),
    expect: 'ALLOWED',
  },
  {
    name: 'a client id * substitutes as a character',
    statements: [allow('iot:Publish', topic('${iot:ClientId}'))],
    facts: principal({ clientId: '*' }),
    resource: topic('x'),
    expect: 'IMPLICIT_DENY',
  },
  {
    name: 'a client id + grants the literal filter (reference §1.4)',
    statements: [allow('iot:Subscribe', `${ARN}topicfilter/my/\${iot:ClientId}/topic`)],
    facts: principal({ clientId: '+' }),
    action: 'iot:Subscribe',
    resource: `${ARN}topicfilter/my/+/topic`,
    expect: 'ALLOWED',
  },
  {
    name: 'an unresolved Deny denies nothing',
    statements: [allow('iot:Publish', '*'), deny('iot:Publish', topic('${iot:Connection.Thing.ThingName}'))],
    resource: topic('client1'),
    expect: 'ALLOWED',
    missing: ['iot:Connection.Thing.ThingName'],
  },
  {
    name: 'an unresolved entry leaves the others',
    statements: [allow('iot:Publish', [topic('${iot:Connection.Thing.ThingName}'), topic('open')])],
    resource: topic('open'),
    expect: 'ALLOWED',
  },
  {
    name: 'unresolved NotResource never applies',
    statements: [{ Effect: 'Allow', Action: 'iot:Publish', NotResource: topic('${iot:Connection.Thing.ThingName}') }],
    resource: topic('x'),
    expect: 'IMPLICIT_DENY',
    missing: ['iot:Connection.Thing.ThingName'],
  },
  {
    name: 'no client id: the variable is missing',
    statements: [allow('iot:Publish', topic('${iot:ClientId}'))],
    facts: { scope: principal().scope },
    resource: topic('x'),
    expect: 'IMPLICIT_DENY',
    missing: ['iot:ClientId'],
  },
  {
    name: 'thing type name',
    statements: [allow('iot:Publish', topic('${iot:Connection.Thing.ThingTypeName}/*'))],
    facts: thingFacts,
    resource: topic('lamp/x'),
    expect: 'ALLOWED',
  },
  {
    name: 'thing attribute',
    statements: [allow('iot:Publish', topic('floor/${iot:Connection.Thing.Attributes[floor]}'))],
    facts: thingFacts,
    resource: topic('floor/3'),
    expect: 'ALLOWED',
  },
  {
    name: 'an absent thing attribute',
    statements: [allow('iot:Publish', topic('${iot:Connection.Thing.Attributes[room]}'))],
    facts: thingFacts,
    resource: topic('x'),
    expect: 'IMPLICIT_DENY',
    missing: ['iot:Connection.Thing.Attributes[room]'],
  },
  {
    name: 'certificate value with + is not substituted',
    statements: [allow('iot:Publish', topic('${iot:Certificate.Subject.Organization}'))],
    facts: principal({ certificate: certificate({ 'Subject.Organization': ['a+b'] }) }),
    resource: topic('a+b'),
    expect: 'IMPLICIT_DENY',
  },
  {
    name: '...the variable text stays in the policy',
    statements: [allow('iot:Publish', topic('${iot:Certificate.Subject.Organization}'))],
    facts: principal({ certificate: certificate({ 'Subject.Organization': ['a+b'] }) }),
    resource: topic('${iot:Certificate.Subject.Organization}'),
    expect: 'ALLOWED',
  },
  {
    name: 'certificate value over 1024 characters is not substituted',
    statements: [allow('iot:Publish', topic('${iot:Certificate.Subject.CommonName}'))],
    facts: principal({ certificate: certificate({ 'Subject.CommonName': [LONG] }) }),
    resource: topic(LONG),
    expect: 'IMPLICIT_DENY',
  },
  {
    name: 'index .1 is the second value',
    statements: [allow('iot:Publish', topic('${iot:Certificate.Subject.Country.1}'))],
    facts: principal({ certificate: certificate({ 'Subject.Country': ['US', 'DE'] }) }),
    resource: topic('DE'),
    expect: 'ALLOWED',
  },
  {
    name: 'an index past the values fails',
    statements: [allow('iot:Publish', topic('${iot:Certificate.Subject.Country.2}'))],
    facts: principal({ certificate: certificate({ 'Subject.Country': ['US', 'DE'] }) }),
    resource: topic('x'),
    expect: 'IMPLICIT_DENY',
    missing: ['iot:Certificate.Subject.Country.2'],
  },
  {
    name: 'a sixth value is cut off',
    statements: [allow('iot:Publish', topic('${iot:Certificate.Subject.OrganizationalUnit.5}'))],
    facts: principal({ certificate: certificate({ 'Subject.OrganizationalUnit': ['a', 'b', 'c', 'd', 'e', 'f'] }) }),
    resource: topic('f'),
    expect: 'IMPLICIT_DENY',
  },
  {
    name: 'AvailableKeys lists the certificate variables',
    statements: [
      allow(
        'iot:Publish',
        topic('t'),
        cond('ForAnyValue:StringEquals', 'iot:Certificate.AvailableKeys.List', 'iot:Certificate.Subject.CommonName'),
      ),
    ],
    facts: principal({ certificate: certificate({ 'Subject.CommonName': ['x'] }) }),
    resource: topic('t'),
    expect: 'ALLOWED',
  },
  // conditions
  {
    name: 'IpAddress inside the block',
    statements: pub(cond('IpAddress', 'aws:SourceIp', '10.0.0.0/8')),
    facts: ip('10.1.2.3'),
    resource: topic('t'),
    expect: 'ALLOWED',
  },
  {
    name: 'IpAddress outside the block',
    statements: pub(cond('IpAddress', 'aws:SourceIp', ['10.0.0.0/8', '172.16.0.0/12'])),
    facts: ip('192.168.1.1'),
    resource: topic('t'),
    expect: 'IMPLICIT_DENY',
  },
  {
    name: 'NotIpAddress outside the block',
    statements: pub(cond('NotIpAddress', 'aws:SourceIp', '10.0.0.0/8')),
    facts: ip('192.168.1.1'),
    resource: topic('t'),
    expect: 'ALLOWED',
  },
  {
    name: 'IpAddress IPv6',
    statements: pub(cond('IpAddress', 'aws:SourceIp', '2001:db8::/32')),
    facts: ip('2001:db8:1::5'),
    resource: topic('t'),
    expect: 'ALLOWED',
  },
  {
    name: 'IpAddress IPv4-mapped client',
    statements: pub(cond('IpAddress', 'aws:SourceIp', '203.0.113.0/24')),
    facts: ip('::ffff:203.0.113.9'),
    resource: topic('t'),
    expect: 'ALLOWED',
  },
  {
    name: 'IpAddress without a source address',
    statements: pub(cond('IpAddress', 'aws:SourceIp', '10.0.0.0/8')),
    resource: topic('t'),
    expect: 'IMPLICIT_DENY',
    missing: ['aws:SourceIp'],
  },
  {
    name: 'StringLike on the client id',
    statements: pub(cond('StringLike', 'iot:ClientId', 'client*')),
    resource: topic('t'),
    expect: 'ALLOWED',
  },
  {
    name: 'StringNotLike on the client id',
    statements: pub(cond('StringNotLike', 'iot:ClientId', 'client*')),
    resource: topic('t'),
    expect: 'IMPLICIT_DENY',
  },
  {
    name: 'StringEquals takes * literally',
    statements: pub(cond('StringEquals', 'iot:ClientId', 'client*')),
    resource: topic('t'),
    expect: 'IMPLICIT_DENY',
  },
  {
    name: 'StringEqualsIgnoreCase',
    statements: pub(cond('StringEqualsIgnoreCase', 'iot:ClientId', 'CLIENT1')),
    resource: topic('t'),
    expect: 'ALLOWED',
  },
  {
    name: 'StringNotEquals against every value',
    statements: pub(cond('StringNotEquals', 'iot:ClientId', ['a', 'client1'])),
    resource: topic('t'),
    expect: 'IMPLICIT_DENY',
  },
  {
    name: 'condition keys ignore case',
    statements: pub(cond('StringEquals', 'IOT:CLIENTID', 'client1')),
    resource: topic('t'),
    expect: 'ALLOWED',
  },
  {
    name: 'a condition value with a variable',
    statements: pub(cond('StringEquals', 'iot:Connection.Thing.ThingName', '${iot:ClientId}')),
    facts: thingFacts,
    resource: topic('t'),
    expect: 'ALLOWED',
  },
  {
    name: 'NumericLessThan on an attribute',
    statements: pub(cond('NumericLessThan', 'iot:Connection.Thing.Attributes[floor]', 5)),
    facts: thingFacts,
    resource: topic('t'),
    expect: 'ALLOWED',
  },
  {
    name: 'NumericGreaterThanEquals on an attribute',
    statements: pub(cond('NumericGreaterThanEquals', 'iot:Connection.Thing.Attributes[floor]', '4')),
    facts: thingFacts,
    resource: topic('t'),
    expect: 'IMPLICIT_DENY',
  },
  {
    name: 'Numeric on a non-number fails',
    statements: pub(cond('NumericNotEquals', 'iot:Connection.Thing.Attributes[wing]', '4')),
    facts: thingFacts,
    resource: topic('t'),
    expect: 'IMPLICIT_DENY',
  },
  {
    name: 'DateLessThan on the current time',
    statements: pub(cond('DateLessThan', 'aws:CurrentTime', '2031-01-01T00:00:00Z')),
    resource: topic('t'),
    expect: 'ALLOWED',
    now: Date.UTC(2030, 5, 1),
  },
  {
    name: 'DateLessThan after the date',
    statements: pub(cond('DateLessThan', 'aws:CurrentTime', '2031-01-01T00:00:00Z')),
    resource: topic('t'),
    expect: 'IMPLICIT_DENY',
    now: Date.UTC(2032, 0, 1),
  },
  {
    name: 'DateGreaterThan in epoch seconds',
    statements: pub(cond('DateGreaterThan', 'aws:EpochTime', '1900000000')),
    resource: topic('t'),
    expect: 'ALLOWED',
    now: 1_900_000_001_000,
  },
  {
    name: 'IfExists with the key absent',
    statements: pub(cond('StringEqualsIfExists', 'iot:Connection.Thing.ThingTypeName', 'lamp')),
    resource: topic('t'),
    expect: 'ALLOWED',
  },
  {
    name: 'IfExists with the key present and different',
    statements: pub(cond('StringEqualsIfExists', 'iot:Connection.Thing.ThingTypeName', 'fan')),
    facts: thingFacts,
    resource: topic('t'),
    expect: 'IMPLICIT_DENY',
  },
  {
    name: 'Null true for an absent key',
    statements: pub(cond('Null', 'iot:Connection.Thing.ThingTypeName', 'true')),
    resource: topic('t'),
    expect: 'ALLOWED',
  },
  {
    name: 'Bool false on IsAttached',
    statements: pub(cond('Bool', 'iot:Connection.Thing.IsAttached', 'false')),
    resource: topic('t'),
    expect: 'ALLOWED',
  },
  {
    name: 'ArnLike compares part by part',
    statements: pub(cond('ArnLike', 'iot:Connection.Thing.Attributes[arn]', 'arn:aws:iot:*:123456789012:thing/*')),
    facts: principal({
      thing: { thingName: 'client1', attributes: { arn: 'arn:aws:iot:us-east-1:123456789012:thing/lamp' } },
    }),
    resource: topic('t'),
    expect: 'ALLOWED',
  },
  {
    name: 'ArnNotEquals',
    statements: pub(cond('ArnNotEquals', 'iot:Connection.Thing.Attributes[arn]', 'arn:aws:iot:*:123456789012:thing/*')),
    facts: principal({
      thing: { thingName: 'client1', attributes: { arn: 'arn:aws:iot:us-east-1:123456789012:thing/lamp' } },
    }),
    resource: topic('t'),
    expect: 'IMPLICIT_DENY',
  },
  {
    name: 'an unknown condition key fails the condition',
    statements: pub(cond('StringEquals', 'iot:LastWillTopic', 'x')),
    resource: topic('t'),
    expect: 'IMPLICIT_DENY',
    missing: ['iot:LastWillTopic'],
  },
  {
    name: 'all operators must hold',
    statements: pub({
      StringEquals: { 'iot:ClientId': 'client1' },
      Bool: { 'iot:Connection.Thing.IsAttached': 'true' },
    }),
    resource: topic('t'),
    expect: 'IMPLICIT_DENY',
  },
];

describe('evaluation', () => {
  for (const testCase of CASES) {
    test(testCase.name, () => {
      const now = testCase.now ?? Date.UTC(2030, 0, 1);
      const authorizer = new Authorizer(
        [compilePolicy('p', '1', doc(...testCase.statements))],
        testCase.facts ?? principal(),
        { now: () => now },
      );
      const request = { action: testCase.action ?? 'iot:Publish', resource: testCase.resource };
      const result = authorizer.decide(request);
      assert.equal(result.decision, testCase.expect);
      assert.equal(authorizer.allows(request), testCase.expect === 'ALLOWED');
      if (testCase.missing) assert.deepEqual(result.missingContextValues, testCase.missing);
    });
  }
});

describe('several policies', () => {
  const everything = compilePolicy('everything', '3', doc(allow('iot:*', '*')));
  const noSecrets = compilePolicy(
    'no-secrets',
    '1',
    doc({ Sid: 'secrets', ...deny('iot:Publish', topic('secret/*')) }),
  );
  const unrelated = compilePolicy('unrelated', '2', doc(allow('iot:Connect', `${ARN}client/x`)));
  const authorizer = new Authorizer([everything, noSecrets, unrelated], principal());

  test('explicit deny in one policy beats an allow in another', () => {
    const result = authorizer.decide({ action: 'iot:Publish', resource: topic('secret/a') });
    assert.equal(result.decision, 'EXPLICIT_DENY');
    assert.deepEqual(result.allowedBy, ['everything']);
    assert.deepEqual(result.explicitDenyBy, ['no-secrets']);
    assert.deepEqual(result.implicitDenyBy, ['unrelated']);
    assert.deepEqual(result.deciding, [
      { policyName: 'no-secrets', versionId: '1', statementIndex: 0, sid: 'secrets', effect: 'Deny' },
    ]);
  });

  test('an allow names its policy and statement', () => {
    const result = authorizer.decide({ action: 'iot:Publish', resource: topic('open') });
    assert.equal(result.decision, 'ALLOWED');
    assert.deepEqual(result.deciding, [
      { policyName: 'everything', versionId: '3', statementIndex: 0, effect: 'Allow' },
    ]);
    assert.deepEqual(result.implicitDenyBy, ['no-secrets', 'unrelated']);
  });

  test('no policy at all is an implicit deny', () => {
    const result = new Authorizer([], principal()).decide({ action: 'iot:Connect', resource: `${ARN}client/client1` });
    assert.equal(result.decision, 'IMPLICIT_DENY');
    assert.deepEqual(result.deciding, []);
  });

  test('the cache stays within its size and keeps answering', () => {
    const small = new Authorizer([everything, noSecrets], principal(), { cacheSize: 2 });
    for (let round = 0; round < 3; round++) {
      for (const name of ['a', 'secret/b', 'c', 'secret/d']) {
        assert.equal(small.allows({ action: 'iot:Publish', resource: topic(name) }), !name.startsWith('secret/'));
      }
    }
  });

  test('variables() reports each variable and key with its value', () => {
    const policy = compilePolicy(
      'vars',
      '1',
      doc(
        allow(
          'iot:Publish',
          topic('${iot:ClientId}/${iot:Connection.Thing.ThingName}'),
          cond('ForAllValues:StringEquals', 'iot:ConnectAttributes', ['LastWill']),
        ),
      ),
    );
    const variables = new Authorizer([policy], principal({ connectAttributes: ['LastWill'] })).variables();
    assert.deepEqual(variables, [
      { name: 'iot:ClientId', value: 'client1' },
      { name: 'iot:Connection.Thing.ThingName', value: undefined },
      { name: 'iot:ConnectAttributes', value: ['LastWill'] },
    ]);
  });

  test('resourceArn builds the ARNs the checks name, with the partition of the region', () => {
    assert.equal(resourceArn({ accountId: '123456789012', region: 'us-east-1' }, 'client', 'c1'), `${ARN}client/c1`);
    assert.equal(
      resourceArn({ accountId: '123456789012', region: 'cn-north-1' }, 'topicfilter', 'a/#'),
      'arn:aws-cn:iot:cn-north-1:123456789012:topicfilter/a/#',
    );
  });
});
