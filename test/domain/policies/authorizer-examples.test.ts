/**
 * AWS's own policy examples (developerguide connect-policy.md, pub-sub-policy.md, cert-policy-variables.md,
 * use-policy-variables.md, thing-policy-variables.md), each request with the effect the guide describes.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type {
  AuthorizationRequest,
  DataAction,
  PrincipalFacts,
} from '../../../src/domain/policies/authorization-request.js';
import { type AuthorizationDecision, Authorizer } from '../../../src/domain/policies/authorizer.js';
import { compilePolicy } from '../../../src/domain/policies/compiled-policy.js';
import { ARN, allow, certificate, deny, doc, principal } from './policy-fixtures.js';

interface Case {
  readonly name: string;
  readonly policy: string;
  readonly facts: PrincipalFacts;
  readonly action: DataAction;
  readonly resource: string;
  readonly expect: AuthorizationDecision;
  readonly missing?: readonly string[];
}

const thing = (thingName: string, extra: object = {}) => ({ thing: { thingName, attributes: {}, ...extra } });
const attrs = (connectAttributes: string[]) => principal({ connectAttributes });

const CONNECT_CLIENT1 = doc(allow('iot:Connect', `${ARN}client/client1`));
const CONNECT_DENY_TWO = doc(
  deny('iot:Connect', [`${ARN}client/client1`, `${ARN}client/client2`]),
  allow('iot:Connect', `${ARN}client/\${iot:Connection.Thing.ThingName}`),
);
const only = (operator: string, values: string[]) =>
  doc(allow('iot:Connect', '*', { [operator]: { 'iot:ConnectAttributes': values } }));
const NO_PERSISTENT = doc(
  allow('iot:Connect', '*'),
  deny('iot:Connect', '*', { 'ForAnyValue:StringEquals': { 'iot:ConnectAttributes': ['PersistentConnect'] } }),
);
const BOTH_REQUIRED = doc(
  allow('iot:Connect', '*', {
    'ForAllValues:StringEquals': { 'iot:ConnectAttributes': ['PersistentConnect', 'LastWill'] },
  }),
  deny('iot:Connect', '*', { 'ForAllValues:StringEquals': { 'iot:ConnectAttributes': ['PersistentConnect'] } }),
  deny('iot:Connect', '*', { 'ForAllValues:StringEquals': { 'iot:ConnectAttributes': ['LastWill'] } }),
  deny('iot:Connect', '*', { 'ForAllValues:StringEquals': { 'iot:ConnectAttributes': [] } }),
);
const LASTWILL_NOT_PERSISTENT = doc(
  deny('iot:Connect', '*', { 'ForAnyValue:StringEquals': { 'iot:ConnectAttributes': ['PersistentConnect'] } }),
  allow('iot:Connect', '*', { 'ForAllValues:StringEquals': { 'iot:ConnectAttributes': ['LastWill'] } }),
);
const PUB_THING_PREFIX = doc(
  allow('iot:Connect', `${ARN}client/\${iot:Connection.Thing.ThingName}`),
  allow('iot:Publish', `${ARN}topic/\${iot:Connection.Thing.ThingName}/*`),
);
const PUB_CLIENT_PREFIX = doc(
  allow('iot:Connect', [`${ARN}client/client1`, `${ARN}client/client2`, `${ARN}client/client3`]),
  allow('iot:Publish', `${ARN}topic/\${iot:ClientId}/*`),
);
const ROOMS = doc(
  allow('iot:Connect', `${ARN}client/\${iot:Connection.Thing.ThingName}`),
  allow('iot:Subscribe', `${ARN}topicfilter/\${iot:Connection.Thing.ThingName}/room*`),
  allow('iot:Receive', `${ARN}topic/\${iot:Connection.Thing.ThingName}/room*`),
);
const SOME_PLUS_TOPIC = doc(
  allow('iot:Connect', `${ARN}client/client1`),
  allow('iot:Subscribe', `${ARN}topicfilter/some/+/topic`),
);
const TWO_TOPICS = doc(allow('iot:Subscribe', [`${ARN}topicfilter/my/topic`, `${ARN}topicfilter/my/othertopic`]));
const EXCEPT_BAR = doc(
  allow('iot:Connect', [`${ARN}client/client1`, `${ARN}client/client2`]),
  allow('iot:Publish', `${ARN}topic/\${iot:ClientId}/*`),
  deny('iot:Publish', `${ARN}topic/\${iot:ClientId}/bar`),
);
const EXCEPT_BAR_THING = doc(
  allow('iot:Publish', `${ARN}topic/\${iot:Thing.ThingName}/*`),
  deny('iot:Publish', `${ARN}topic/\${iot:Thing.ThingName}/bar`),
);
const ORG_LIST = doc(
  allow('iot:Connect', `${ARN}client/\${iot:Connection.Thing.ThingName}`),
  allow('iot:Publish', `${ARN}topic/my/topic/\${iot:Connection.Thing.ThingName}`, {
    'ForAllValues:StringEquals': { 'iot:Certificate.Subject.Organization.List': ['Example Corp', 'AnyCompany'] },
  }),
);
const SERIAL_CLIENT = doc(
  allow('iot:Connect', `${ARN}client/\${iot:Certificate.SerialNumber}`),
  allow('iot:Publish', `${ARN}topic/\${iot:Certificate.Subject.Organization}/device-stats/\${iot:ClientId}/*`),
);
const NULL_CHECK = doc(
  allow('iot:Connect', `${ARN}client/*`, {
    Null: { 'iot:Certificate.SerialNumber': 'false', 'iot:Certificate.Subject.CommonName': 'false' },
  }),
);
const IS_ATTACHED = doc(
  allow('iot:Connect', `${ARN}client/*`, { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } }),
);

const SERIAL = '10525622389124227206';
const CERT = certificate({
  SerialNumber: [SERIAL],
  'Subject.CommonName': ['LightBulb Device Cert'],
  'Subject.Organization': ['IoT Devices'],
});

const CASES: Case[] = [
  // connect-policy.md
  {
    name: 'connect: client1 may connect',
    policy: CONNECT_CLIENT1,
    facts: principal(),
    action: 'iot:Connect',
    resource: `${ARN}client/client1`,
    expect: 'ALLOWED',
  },
  {
    name: 'connect: client2 is not named',
    policy: CONNECT_CLIENT1,
    facts: principal({ clientId: 'client2' }),
    action: 'iot:Connect',
    resource: `${ARN}client/client2`,
    expect: 'IMPLICIT_DENY',
  },
  {
    name: 'connect: client1 denied even as a thing',
    policy: CONNECT_DENY_TWO,
    facts: principal(thing('client1')),
    action: 'iot:Connect',
    resource: `${ARN}client/client1`,
    expect: 'EXPLICIT_DENY',
  },
  {
    name: 'connect: a thing connects as its name',
    policy: CONNECT_DENY_TWO,
    facts: principal({ clientId: 'thing-7', ...thing('thing-7') }),
    action: 'iot:Connect',
    resource: `${ARN}client/thing-7`,
    expect: 'ALLOWED',
  },
  {
    name: 'connect: no thing, no grant',
    policy: CONNECT_DENY_TWO,
    facts: principal({ clientId: 'c3' }),
    action: 'iot:Connect',
    resource: `${ARN}client/c3`,
    expect: 'IMPLICIT_DENY',
    missing: ['iot:Connection.Thing.ThingName'],
  },
  // persistent sessions (connect-policy.md#persistent-sessions-examples)
  {
    name: 'persistent: allowed with PersistentConnect',
    policy: only('ForAllValues:StringEquals', ['PersistentConnect']),
    facts: attrs(['PersistentConnect']),
    action: 'iot:Connect',
    resource: `${ARN}client/client1`,
    expect: 'ALLOWED',
  },
  {
    name: 'persistent: LastWill not in the list',
    policy: only('ForAllValues:StringEquals', ['PersistentConnect']),
    facts: attrs(['PersistentConnect', 'LastWill']),
    action: 'iot:Connect',
    resource: `${ARN}client/client1`,
    expect: 'IMPLICIT_DENY',
  },
  {
    name: 'persistent: a clean connect is within any list',
    policy: only('ForAllValues:StringEquals', ['PersistentConnect']),
    facts: attrs([]),
    action: 'iot:Connect',
    resource: `${ARN}client/client1`,
    expect: 'ALLOWED',
  },
  {
    name: 'persistent: StringNotEquals lets LastWill in',
    policy: only('ForAllValues:StringNotEquals', ['PersistentConnect']),
    facts: attrs(['LastWill']),
    action: 'iot:Connect',
    resource: `${ARN}client/client1`,
    expect: 'ALLOWED',
  },
  {
    name: 'persistent: StringNotEquals keeps PersistentConnect out',
    policy: only('ForAllValues:StringNotEquals', ['PersistentConnect']),
    facts: attrs(['PersistentConnect']),
    action: 'iot:Connect',
    resource: `${ARN}client/client1`,
    expect: 'IMPLICIT_DENY',
  },
  {
    name: 'persistent: ForAnyValue deny catches PersistentConnect',
    policy: NO_PERSISTENT,
    facts: attrs(['PersistentConnect', 'LastWill']),
    action: 'iot:Connect',
    resource: `${ARN}client/client1`,
    expect: 'EXPLICIT_DENY',
  },
  {
    name: 'persistent: ForAnyValue deny passes LastWill',
    policy: NO_PERSISTENT,
    facts: attrs(['LastWill']),
    action: 'iot:Connect',
    resource: `${ARN}client/client1`,
    expect: 'ALLOWED',
  },
  {
    name: 'persistent: default features only, clean',
    policy: only('ForAllValues:StringEquals', []),
    facts: attrs([]),
    action: 'iot:Connect',
    resource: `${ARN}client/client1`,
    expect: 'ALLOWED',
  },
  {
    name: 'persistent: default features only, LastWill',
    policy: only('ForAllValues:StringEquals', []),
    facts: attrs(['LastWill']),
    action: 'iot:Connect',
    resource: `${ARN}client/client1`,
    expect: 'IMPLICIT_DENY',
  },
  {
    name: 'persistent: ForAnyValue needs a value',
    policy: only('ForAnyValue:StringEquals', ['PersistentConnect']),
    facts: attrs([]),
    action: 'iot:Connect',
    resource: `${ARN}client/client1`,
    expect: 'IMPLICIT_DENY',
    missing: ['iot:ConnectAttributes'],
  },
  {
    name: 'persistent: both required, both given',
    policy: BOTH_REQUIRED,
    facts: attrs(['PersistentConnect', 'LastWill']),
    action: 'iot:Connect',
    resource: `${ARN}client/client1`,
    expect: 'ALLOWED',
  },
  {
    name: 'persistent: both required, one given',
    policy: BOTH_REQUIRED,
    facts: attrs(['PersistentConnect']),
    action: 'iot:Connect',
    resource: `${ARN}client/client1`,
    expect: 'EXPLICIT_DENY',
  },
  {
    name: 'persistent: both required, none given',
    policy: BOTH_REQUIRED,
    facts: attrs([]),
    action: 'iot:Connect',
    resource: `${ARN}client/client1`,
    expect: 'EXPLICIT_DENY',
  },
  {
    name: 'persistent: LastWill alone allowed',
    policy: LASTWILL_NOT_PERSISTENT,
    facts: attrs(['LastWill']),
    action: 'iot:Connect',
    resource: `${ARN}client/client1`,
    expect: 'ALLOWED',
  },
  {
    name: 'persistent: PersistentConnect refused',
    policy: LASTWILL_NOT_PERSISTENT,
    facts: attrs(['PersistentConnect', 'LastWill']),
    action: 'iot:Connect',
    resource: `${ARN}client/client1`,
    expect: 'EXPLICIT_DENY',
  },
  // pub-sub-policy.md
  {
    name: 'pub-sub (5): a thing publishes under its name, * crossing /',
    policy: PUB_THING_PREFIX,
    facts: principal({ clientId: 't1', ...thing('t1') }),
    action: 'iot:Publish',
    resource: `${ARN}topic/t1/a/b/c`,
    expect: 'ALLOWED',
  },
  {
    name: "pub-sub (5): not under another thing's name",
    policy: PUB_THING_PREFIX,
    facts: principal({ clientId: 't1', ...thing('t1') }),
    action: 'iot:Publish',
    resource: `${ARN}topic/t2/x`,
    expect: 'IMPLICIT_DENY',
  },
  {
    name: 'pub-sub (5): the thing may connect as itself',
    policy: PUB_THING_PREFIX,
    facts: principal({ clientId: 't1', ...thing('t1') }),
    action: 'iot:Connect',
    resource: `${ARN}client/t1`,
    expect: 'ALLOWED',
  },
  {
    name: 'pub-sub (5) unregistered: under the client id',
    policy: PUB_CLIENT_PREFIX,
    facts: principal({ clientId: 'client2' }),
    action: 'iot:Publish',
    resource: `${ARN}topic/client2/x`,
    expect: 'ALLOWED',
  },
  {
    name: 'pub-sub (5) unregistered: the prefix needs the slash',
    policy: PUB_CLIENT_PREFIX,
    facts: principal({ clientId: 'client2' }),
    action: 'iot:Publish',
    resource: `${ARN}topic/client2x`,
    expect: 'IMPLICIT_DENY',
  },
  {
    name: 'pub-sub (6): subscribe room1',
    policy: ROOMS,
    facts: principal({ clientId: 't1', ...thing('t1') }),
    action: 'iot:Subscribe',
    resource: `${ARN}topicfilter/t1/room1`,
    expect: 'ALLOWED',
  },
  {
    name: 'pub-sub (6): room* covers a filter with +',
    policy: ROOMS,
    facts: principal({ clientId: 't1', ...thing('t1') }),
    action: 'iot:Subscribe',
    resource: `${ARN}topicfilter/t1/room/+`,
    expect: 'ALLOWED',
  },
  {
    name: 'pub-sub (6): receive on a room',
    policy: ROOMS,
    facts: principal({ clientId: 't1', ...thing('t1') }),
    action: 'iot:Receive',
    resource: `${ARN}topic/t1/roomA`,
    expect: 'ALLOWED',
  },
  {
    name: 'pub-sub (6): no publish granted',
    policy: ROOMS,
    facts: principal({ clientId: 't1', ...thing('t1') }),
    action: 'iot:Publish',
    resource: `${ARN}topic/t1/room1`,
    expect: 'IMPLICIT_DENY',
  },
  {
    name: 'pub-sub (4): + is literal and matches itself',
    policy: SOME_PLUS_TOPIC,
    facts: principal(),
    action: 'iot:Subscribe',
    resource: `${ARN}topicfilter/some/+/topic`,
    expect: 'ALLOWED',
  },
  {
    name: 'pub-sub (4): + is not a wildcard',
    policy: SOME_PLUS_TOPIC,
    facts: principal(),
    action: 'iot:Subscribe',
    resource: `${ARN}topicfilter/some/a/topic`,
    expect: 'IMPLICIT_DENY',
  },
  {
    name: 'pub-sub (7): the second topic of two',
    policy: TWO_TOPICS,
    facts: principal(),
    action: 'iot:Subscribe',
    resource: `${ARN}topicfilter/my/othertopic`,
    expect: 'ALLOWED',
  },
  {
    name: 'pub-sub (9): bar is denied',
    policy: EXCEPT_BAR,
    facts: principal(),
    action: 'iot:Publish',
    resource: `${ARN}topic/client1/bar`,
    expect: 'EXPLICIT_DENY',
  },
  {
    name: 'pub-sub (9): baz is allowed',
    policy: EXCEPT_BAR,
    facts: principal(),
    action: 'iot:Publish',
    resource: `${ARN}topic/client1/baz`,
    expect: 'ALLOWED',
  },
  {
    name: 'pub-sub (9): a deeper bar is not the denied topic',
    policy: EXCEPT_BAR,
    facts: principal(),
    action: 'iot:Publish',
    resource: `${ARN}topic/client1/x/bar`,
    expect: 'ALLOWED',
  },
  {
    name: 'pub-sub (9 registered): iot:Thing.ThingName is no variable AWS defines',
    policy: EXCEPT_BAR_THING,
    facts: principal({ clientId: 't1', ...thing('t1') }),
    action: 'iot:Publish',
    resource: `${ARN}topic/t1/x`,
    expect: 'IMPLICIT_DENY',
    missing: ['iot:Thing.ThingName'],
  },
  // cert-policy-variables.md and use-policy-variables.md
  {
    name: 'cert: every organization in the list',
    policy: ORG_LIST,
    facts: principal({
      clientId: 't1',
      ...thing('t1'),
      certificate: certificate({ 'Subject.Organization': ['Example Corp'] }),
    }),
    action: 'iot:Publish',
    resource: `${ARN}topic/my/topic/t1`,
    expect: 'ALLOWED',
  },
  {
    name: 'cert: an organization outside the list',
    policy: ORG_LIST,
    facts: principal({
      clientId: 't1',
      ...thing('t1'),
      certificate: certificate({ 'Subject.Organization': ['Example Corp', 'Other'] }),
    }),
    action: 'iot:Publish',
    resource: `${ARN}topic/my/topic/t1`,
    expect: 'IMPLICIT_DENY',
  },
  {
    name: 'cert: client id = serial number in decimal',
    policy: SERIAL_CLIENT,
    facts: principal({ clientId: SERIAL, certificate: CERT }),
    action: 'iot:Connect',
    resource: `${ARN}client/${SERIAL}`,
    expect: 'ALLOWED',
  },
  {
    name: 'cert: serial number in hex is another client',
    policy: SERIAL_CLIENT,
    facts: principal({ clientId: '921285cbb7a5e086', certificate: CERT }),
    action: 'iot:Connect',
    resource: `${ARN}client/921285cbb7a5e086`,
    expect: 'IMPLICIT_DENY',
  },
  {
    name: 'cert: organization and client id in the topic',
    policy: SERIAL_CLIENT,
    facts: principal({ clientId: SERIAL, certificate: CERT }),
    action: 'iot:Publish',
    resource: `${ARN}topic/IoT Devices/device-stats/${SERIAL}/t`,
    expect: 'ALLOWED',
  },
  {
    name: 'cert: without an organization the statement grants nothing',
    policy: SERIAL_CLIENT,
    facts: principal({ certificate: certificate({ SerialNumber: ['1'] }) }),
    action: 'iot:Publish',
    resource: `${ARN}topic/x/device-stats/client1/t`,
    expect: 'IMPLICIT_DENY',
    missing: ['iot:Certificate.Subject.Organization'],
  },
  {
    name: 'cert: Null false with both present',
    policy: NULL_CHECK,
    facts: principal({ certificate: CERT }),
    action: 'iot:Connect',
    resource: `${ARN}client/client1`,
    expect: 'ALLOWED',
  },
  {
    name: 'cert: Null false without a common name',
    policy: NULL_CHECK,
    facts: principal({ certificate: certificate({ SerialNumber: ['7'] }) }),
    action: 'iot:Connect',
    resource: `${ARN}client/client1`,
    expect: 'IMPLICIT_DENY',
  },
  // thing-policy-variables.md
  {
    name: 'thing: IsAttached true when the thing is attached',
    policy: IS_ATTACHED,
    facts: principal(thing('client1')),
    action: 'iot:Connect',
    resource: `${ARN}client/client1`,
    expect: 'ALLOWED',
  },
  {
    name: 'thing: IsAttached false without a thing',
    policy: IS_ATTACHED,
    facts: principal(),
    action: 'iot:Connect',
    resource: `${ARN}client/client1`,
    expect: 'IMPLICIT_DENY',
  },
];

for (const testCase of CASES) {
  test(testCase.name, () => {
    const authorizer = new Authorizer([compilePolicy('example', '1', testCase.policy)], testCase.facts);
    const request: AuthorizationRequest = { action: testCase.action, resource: testCase.resource };
    const result = authorizer.decide(request);
    assert.equal(result.decision, testCase.expect);
    assert.equal(authorizer.allows(request), testCase.expect === 'ALLOWED');
    assert.equal(authorizer.allows(request), testCase.expect === 'ALLOWED', 'the cached answer agrees');
    if (testCase.missing) assert.deepEqual(result.missingContextValues, testCase.missing);
  });
}
