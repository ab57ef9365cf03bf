// biome-ignore-all lint/suspicious/noTemplateCurlyInString: policy variables are written ${iot:Name}, not JavaScript templates
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ExplainAuthorization } from '../../../src/model/admin.js';
import { CreatePolicy, CreatePolicyVersion } from '../../../src/model/policies.js';
import { AttachPolicy } from '../../../src/model/policy-attachments.js';
import { GetEffectivePolicies, TestAuthorization } from '../../../src/model/policy-authorization.js';
import { AttachThingPrincipal, CreateThing } from '../../../src/model/things.js';
import { principalFacts } from '../../../src/operations/policies/principal-facts.js';
import { openTestService, SCOPE, type TestService } from '../operation-context.js';
import { allowDocument, arnOf, denyDocument, realCertificate } from './policy-fixtures.js';

const EMPTY = { policies: [] };
const policyRef = (policyName: string) => ({ policyName, policyArn: arnOf(`policy/${policyName}`) });

describe('GetEffectivePolicies, TestAuthorization and explain-authorization', () => {
  let service: TestService;
  let device: { certificateArn: string; certificateId: string };

  before(async () => {
    service = await openTestService('fleetca-policy-auth-');
    device = await realCertificate(service, 'sensor-7', '/O=Acme/OU=Lyon/CN=sensor-7');
    const create = (policyName: string, policyDocument: string) =>
      service.call(CreatePolicy, { policyName, policyDocument });
    await create('connect-own-id', allowDocument('iot:Connect', arnOf('client/${iot:ClientId}'), 'OwnClientId'));
    await create(
      'publish-by-cn',
      allowDocument('iot:Publish', arnOf('topic/sensors/${iot:Certificate.Subject.CommonName}/*')),
    );
    await create('deny-admin', denyDocument('iot:Publish', arnOf('topic/sensors/*/admin')));
    await create(
      'thing-topics',
      allowDocument(
        ['iot:Subscribe', 'iot:Receive'],
        [
          arnOf('topicfilter/things/${iot:Connection.Thing.ThingName}/#'),
          arnOf('topic/things/${iot:Connection.Thing.ThingName}/*'),
        ],
      ),
    );
    await create('unattached', allowDocument('iot:Publish', arnOf('topic/extra')));
    for (const policyName of ['connect-own-id', 'publish-by-cn', 'deny-admin', 'thing-topics']) {
      await service.call(AttachPolicy, { policyName, target: device.certificateArn });
    }
    await service.call(CreateThing, { thingName: 'sensor-7', attributePayload: { attributes: { site: 'lyon' } } });
    await service.call(AttachThingPrincipal, { thingName: 'sensor-7', principal: device.certificateArn });
    await service.call(CreateThing, { thingName: 'stranger' });
  });
  after(() => service.close());

  const authorize = (authInfos: unknown[], extra: Record<string, unknown> = {}) =>
    service.call(TestAuthorization, { principal: device.certificateArn, authInfos, ...extra });
  const decisions = async (authInfos: unknown[], extra: Record<string, unknown> = {}) =>
    ((await authorize(authInfos, extra)).authResults as { authDecision: string }[]).map((r) => r.authDecision);

  test('GetEffectivePolicies lists the default documents of the attached policies, by name', async () => {
    const { effectivePolicies } = await service.call(GetEffectivePolicies, { principal: device.certificateArn });
    const policies = effectivePolicies as { policyName: string; policyArn: string; policyDocument: string }[];
    assert.deepEqual(
      policies.map((p) => p.policyName),
      ['connect-own-id', 'deny-admin', 'publish-by-cn', 'thing-topics'],
    );
    assert.deepEqual(Object.keys(policies[0] ?? {}), ['policyName', 'policyArn', 'policyDocument']);
    const newer = allowDocument('iot:Connect', arnOf('client/*'));
    await service.call(CreatePolicyVersion, { policyName: 'deny-admin', policyDocument: newer });
    const again = (await service.call(GetEffectivePolicies, { principal: device.certificateArn }))
      .effectivePolicies as { policyName: string; policyDocument: string }[];
    assert.notEqual(again.find((p) => p.policyName === 'deny-admin')?.policyDocument, newer, 'not the default');
    const withThing = await service.call(GetEffectivePolicies, {
      principal: device.certificateArn,
      thingName: 'sensor-7',
    });
    assert.equal((withThing.effectivePolicies as unknown[]).length, 4);
    assert.deepEqual(await service.call(GetEffectivePolicies, { thingName: 'sensor-7' }), { effectivePolicies: [] });
  });

  test('GetEffectivePolicies refuses what names nothing of ours', async () => {
    const missingThing = await service.failure(GetEffectivePolicies, {
      principal: device.certificateArn,
      thingName: 'nope',
    });
    assert.equal(missingThing.code, 'ResourceNotFoundException');
    const missingCertificate = await service.failure(GetEffectivePolicies, {
      principal: device.certificateArn.replace(/.{4}$/, 'ffff'),
    });
    assert.equal(missingCertificate.code, 'ResourceNotFoundException');
    const group = await service.failure(GetEffectivePolicies, { principal: arnOf('thinggroup/floor-1') });
    assert.equal(group.code, 'ResourceNotFoundException');
    const cognito = await service.failure(GetEffectivePolicies, { cognitoIdentityPoolId: 'us-east-1:pool' });
    assert.equal(cognito.code, 'InvalidRequestException');
  });

  test('TestAuthorization answers per authInfo: allowed, implicit and explicit deny, with the policies', async () => {
    const { authResults } = await authorize(
      [
        { actionType: 'CONNECT', resources: [arnOf('client/sensor-7')] },
        { actionType: 'PUBLISH', resources: [arnOf('topic/sensors/sensor-7/temperature')] },
        { actionType: 'PUBLISH', resources: [arnOf('topic/sensors/sensor-7/admin')] },
        { actionType: 'PUBLISH', resources: [arnOf('topic/sensors/other/temperature')] },
      ],
      { clientId: 'sensor-7' },
    );
    const results = authResults as Record<string, unknown>[];
    assert.deepEqual(Object.keys(results[0] ?? {}), [
      'authInfo',
      'allowed',
      'denied',
      'authDecision',
      'missingContextValues',
    ]);
    assert.deepEqual(results[0], {
      authInfo: { actionType: 'CONNECT', resources: [arnOf('client/sensor-7')] },
      allowed: { policies: [policyRef('connect-own-id')] },
      denied: {
        implicitDeny: { policies: [policyRef('deny-admin'), policyRef('publish-by-cn'), policyRef('thing-topics')] },
        explicitDeny: EMPTY,
      },
      authDecision: 'ALLOWED',
      missingContextValues: [],
    });
    assert.equal(results[1]?.authDecision, 'ALLOWED');
    assert.deepEqual(results[2]?.denied, {
      implicitDeny: { policies: [policyRef('connect-own-id'), policyRef('thing-topics')] },
      explicitDeny: { policies: [policyRef('deny-admin')] },
    });
    assert.deepEqual(results[2]?.allowed, { policies: [policyRef('publish-by-cn')] });
    assert.equal(results[2]?.authDecision, 'EXPLICIT_DENY');
    assert.equal(results[3]?.authDecision, 'IMPLICIT_DENY');
  });

  test('variables: the client id, the certificate subject, and the thing only when the client id names an attached thing', async () => {
    assert.deepEqual(
      await decisions([{ actionType: 'CONNECT', resources: [arnOf('client/other')] }], { clientId: 'sensor-7' }),
      ['IMPLICIT_DENY'],
    );
    const thingFilter = { actionType: 'SUBSCRIBE', resources: [arnOf('topicfilter/things/sensor-7/#')] };
    assert.deepEqual(await decisions([thingFilter], { clientId: 'sensor-7' }), ['ALLOWED']);
    const stranger = await authorize([thingFilter], { clientId: 'stranger' });
    const [result] = stranger.authResults as { authDecision: string; missingContextValues: string[] }[];
    assert.equal(result?.authDecision, 'IMPLICIT_DENY', 'stranger exists but is not attached to the certificate');
    assert.ok(result?.missingContextValues.includes('iot:Connection.Thing.ThingName'));
    const noClient = await authorize([{ actionType: 'CONNECT', resources: [arnOf('client/sensor-7')] }]);
    const [bare] = noClient.authResults as { authDecision: string; missingContextValues: string[] }[];
    assert.deepEqual([bare?.authDecision, bare?.missingContextValues], ['IMPLICIT_DENY', ['iot:ClientId']]);
  });

  test('several resources in one authInfo are allowed only when each is', async () => {
    const mixed = [arnOf('topic/sensors/sensor-7/a'), arnOf('topic/sensors/sensor-7/admin')];
    assert.deepEqual(await decisions([{ actionType: 'PUBLISH', resources: mixed }]), ['EXPLICIT_DENY']);
    const both = [arnOf('topic/sensors/sensor-7/a'), arnOf('topic/sensors/sensor-7/b')];
    assert.deepEqual(await decisions([{ actionType: 'PUBLISH', resources: both }]), ['ALLOWED']);
    assert.deepEqual(await decisions([{ actionType: 'RECEIVE', resources: [] }]), ['IMPLICIT_DENY']);
  });

  test('policyNamesToAdd and policyNamesToSkip change which policies count', async () => {
    const extra = { actionType: 'PUBLISH', resources: [arnOf('topic/extra')] };
    assert.deepEqual(await decisions([extra]), ['IMPLICIT_DENY']);
    assert.deepEqual(await decisions([extra], { policyNamesToAdd: ['unattached'] }), ['ALLOWED']);
    const admin = { actionType: 'PUBLISH', resources: [arnOf('topic/sensors/sensor-7/admin')] };
    assert.deepEqual(await decisions([admin], { policyNamesToSkip: ['deny-admin'] }), ['ALLOWED']);
    const missing = await service.failure(TestAuthorization, {
      principal: device.certificateArn,
      authInfos: [extra],
      policyNamesToAdd: ['no-such-policy'],
    });
    assert.equal(missing.code, 'ResourceNotFoundException');
  });

  test('input outside the model or naming nothing of ours is refused', async () => {
    const cases: [Record<string, unknown>, string, RegExp?][] = [
      [{ principal: device.certificateArn, authInfos: [] }, 'InvalidRequestException', /greater than or equal to 1/],
      [
        { principal: device.certificateArn, authInfos: Array(11).fill({ actionType: 'CONNECT', resources: [] }) },
        'InvalidRequestException',
        /less than or equal to 10/,
      ],
      [
        { principal: device.certificateArn, authInfos: [{ actionType: 'RETAIN_PUBLISH', resources: [] }] },
        'InvalidRequestException',
        /enum value set: \[PUBLISH, SUBSCRIBE, RECEIVE, CONNECT\]/,
      ],
      [{ principal: device.certificateArn, authInfos: [{ actionType: 'CONNECT' }] }, 'InvalidRequestException'],
      [{ authInfos: [{ actionType: 'CONNECT', resources: [] }] }, 'InvalidRequestException'],
      [
        { principal: 'us-east-1:cognito-id', authInfos: [{ actionType: 'CONNECT', resources: [] }] },
        'InvalidRequestException',
      ],
      [
        { principal: arnOf(`cert/${'0'.repeat(64)}`), authInfos: [{ actionType: 'CONNECT', resources: [] }] },
        'ResourceNotFoundException',
      ],
    ];
    for (const [input, code, message] of cases) {
      const refused = await service.failure(TestAuthorization, input);
      assert.equal(refused.code, code, JSON.stringify(input));
      if (message) assert.match(refused.message, message);
    }
  });

  test('explain-authorization names the deciding statement and the value of every variable', async () => {
    const explained = await service.call(ExplainAuthorization, {
      principal: device.certificateArn,
      action: 'connect',
      resource: arnOf('client/sensor-7'),
      clientId: 'sensor-7',
    });
    assert.equal(explained.decision, 'ALLOWED');
    assert.deepEqual(explained.decidingStatements, [
      { policyName: 'connect-own-id', policyVersionId: '1', statementIndex: 0, sid: 'OwnClientId', effect: 'Allow' },
    ]);
    const variables = explained.variables as { name: string; value?: string }[];
    assert.deepEqual(
      variables.find((v) => v.name === 'iot:ClientId'),
      { name: 'iot:ClientId', value: 'sensor-7' },
    );
    assert.deepEqual(
      variables.find((v) => v.name === 'iot:Certificate.Subject.CommonName'),
      {
        name: 'iot:Certificate.Subject.CommonName',
        value: 'sensor-7',
      },
    );
    assert.deepEqual(
      variables.find((v) => v.name === 'iot:Connection.Thing.ThingName'),
      {
        name: 'iot:Connection.Thing.ThingName',
        value: 'sensor-7',
      },
    );
    const denied = await service.call(ExplainAuthorization, {
      principal: device.certificateArn,
      action: 'publish',
      resource: arnOf('topic/sensors/sensor-7/admin'),
    });
    assert.equal(denied.decision, 'EXPLICIT_DENY');
    assert.deepEqual(
      (denied.decidingStatements as { policyName: string; effect: string }[]).map((s) => [s.policyName, s.effect]),
      [['deny-admin', 'Deny']],
    );
    const unknownAction = await service.failure(ExplainAuthorization, {
      principal: device.certificateArn,
      action: 'shout',
      resource: arnOf('topic/a'),
    });
    assert.equal(unknownAction.code, 'InvalidRequestException');
  });

  test('principalFacts: certificate values from the PEM, the thing only when attached and named by the client id', async () => {
    const facts = await principalFacts(service.registry, {
      scope: SCOPE,
      certificateId: device.certificateId,
      clientId: 'sensor-7',
      sourceIp: '192.0.2.7',
    });
    assert.deepEqual(facts.thing, { thingName: 'sensor-7', attributes: { site: 'lyon' } });
    assert.deepEqual(facts.certificate?.get('Subject.CommonName'), ['sensor-7']);
    assert.deepEqual(facts.certificate?.get('Subject.Organization'), ['Acme']);
    assert.equal(facts.sourceIp, '192.0.2.7');
    const stranger = await principalFacts(service.registry, {
      scope: SCOPE,
      certificateId: device.certificateId,
      clientId: 'stranger',
    });
    assert.equal(stranger.thing, undefined);
    assert.equal(stranger.clientId, 'stranger');
  });
});
