// biome-ignore-all lint/suspicious/noTemplateCurlyInString: policy variables are written ${iot:Name}, not JavaScript templates
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { certificateArn } from '../../../src/domain/certificates/certificate-record.js';
import { DeleteCertificate } from '../../../src/model/certificates.js';
import { CreatePolicy, DeletePolicy } from '../../../src/model/policies.js';
import {
  AttachPolicy,
  AttachPrincipalPolicy,
  DetachPolicy,
  DetachPrincipalPolicy,
  ListAttachedPolicies,
  ListPolicyPrincipals,
  ListPrincipalPolicies,
  ListTargetsForPolicy,
} from '../../../src/model/policy-attachments.js';
import type { OperationModel } from '../../../src/model/shapes.js';
import { certificateIdOf, makeRecord } from '../../registry/certificate-fixtures.js';
import { OTHER_ACCOUNT, OTHER_REGION, openTestService, SCOPE, type TestService } from '../operation-context.js';
import { allowDocument, arnOf } from './policy-fixtures.js';

const DOC = allowDocument('iot:Connect', arnOf('client/${iot:ClientId}'));

describe('policy operations: attachments', () => {
  let service: TestService;
  let count = 0;

  /** A certificate record of `scope` in the registry (attachments need no real certificate); its ARN. */
  const newCertificate = async (scope = SCOPE) => {
    const record = makeRecord(`policy-attach-${count++}`, { ...scope, ownedBy: scope.accountId });
    await service.registry.certificates.insertCertificate(record);
    return certificateArn(scope, record.certificateId);
  };
  const newPolicy = (policyName: string) => service.call(CreatePolicy, { policyName, policyDocument: DOC });
  /** Every page of a marker-paged listing, with the page size, collecting `key`. */
  const walk = async (model: OperationModel, input: Record<string, unknown>, key: string, pageSize = 2) => {
    const seen: unknown[] = [];
    let marker: string | undefined;
    do {
      const page = await service.call(model, { ...input, pageSize, ...(marker !== undefined && { marker }) });
      const items = page[key] as unknown[];
      assert.ok(items.length <= pageSize);
      seen.push(...items);
      marker = page.nextMarker as string | undefined;
    } while (marker !== undefined);
    return seen;
  };

  before(async () => {
    service = await openTestService('fleetca-policy-attach-');
  });
  after(() => service.close());

  test('AttachPolicy, both listings, DetachPolicy; attaching twice changes nothing', async () => {
    const target = await newCertificate();
    await newPolicy('a-one');
    await newPolicy('a-two');
    assert.deepEqual(await service.call(AttachPolicy, { policyName: 'a-one', target }), {});
    await service.call(AttachPolicy, { policyName: 'a-two', target });
    await service.call(AttachPolicy, { policyName: 'a-one', target });
    assert.deepEqual(await service.call(ListAttachedPolicies, { target, recursive: true }), {
      policies: [
        { policyName: 'a-one', policyArn: arnOf('policy/a-one') },
        { policyName: 'a-two', policyArn: arnOf('policy/a-two') },
      ],
      nextMarker: undefined,
    });
    assert.deepEqual((await service.call(ListTargetsForPolicy, { policyName: 'a-one' })).targets, [target]);

    assert.deepEqual(await service.call(DetachPolicy, { policyName: 'a-one', target }), {});
    assert.deepEqual(await service.call(DetachPolicy, { policyName: 'a-one', target }), {}, 'not attached: no error');
    assert.deepEqual((await service.call(ListTargetsForPolicy, { policyName: 'a-one' })).targets, []);
    const left = (await service.call(ListAttachedPolicies, { target })).policies as { policyName: string }[];
    assert.deepEqual(
      left.map((policy) => policy.policyName),
      ['a-two'],
    );
  });

  test('an attached policy cannot be deleted, nor a certificate with a policy', async () => {
    const target = await newCertificate();
    await newPolicy('a-held');
    await service.call(AttachPolicy, { policyName: 'a-held', target });
    const refused = await service.failure(DeletePolicy, { policyName: 'a-held' });
    assert.deepEqual([refused.code, refused.status], ['DeleteConflictException', 409]);
    const certificateId = target.split('/')[1] as string;
    const held = await service.failure(DeleteCertificate, { certificateId });
    assert.equal(held.message, `Certificate policies must be detached before deletion (arn: ${target})`);
    await service.call(DetachPolicy, { policyName: 'a-held', target });
    await service.call(DeletePolicy, { policyName: 'a-held' });
    await service.call(DeleteCertificate, { certificateId });
  });

  test('DeleteCertificate with forceDelete detaches its policies', async () => {
    const target = await newCertificate();
    await newPolicy('a-forced');
    await service.call(AttachPolicy, { policyName: 'a-forced', target });
    await service.call(DeleteCertificate, { certificateId: target.split('/')[1] as string, forceDelete: true });
    assert.deepEqual((await service.call(ListTargetsForPolicy, { policyName: 'a-forced' })).targets, []);
    await service.call(DeletePolicy, { policyName: 'a-forced' });
  });

  test('a missing policy or certificate is ResourceNotFoundException; other accounts and regions have none of ours', async () => {
    const target = await newCertificate();
    await newPolicy('a-exists');
    const unknownCertificate = certificateArn(SCOPE, certificateIdOf('never-registered'));
    const elsewhere = [
      unknownCertificate,
      target.replace(SCOPE.accountId, OTHER_ACCOUNT.accountId),
      target.replace(SCOPE.region, OTHER_REGION.region),
      target.replace('arn:aws:', 'arn:aws-cn:'),
      arnOf('thinggroup/floor-3'),
    ];
    for (const missing of elsewhere) {
      const refused = await service.failure(AttachPolicy, { policyName: 'a-exists', target: missing });
      assert.deepEqual([refused.code, refused.status], ['ResourceNotFoundException', 404], missing);
      const listed = await service.failure(ListAttachedPolicies, { target: missing });
      assert.equal(listed.code, 'ResourceNotFoundException', missing);
      const deprecated = await service.failure(ListPrincipalPolicies, { principal: missing });
      assert.equal(deprecated.code, 'ResourceNotFoundException', missing);
    }
    const noPolicy = await service.failure(AttachPolicy, { policyName: 'a-none', target });
    assert.equal(noPolicy.code, 'ResourceNotFoundException');
    const noTargets = await service.failure(ListTargetsForPolicy, { policyName: 'a-none' });
    assert.equal(noTargets.code, 'ResourceNotFoundException');
    const noPrincipals = await service.failure(ListPolicyPrincipals, { policyName: 'a-none' });
    assert.equal(noPrincipals.code, 'ResourceNotFoundException');
  });

  test('a Cognito identity or any other text as target is InvalidRequestException', async () => {
    await newPolicy('a-cognito');
    for (const target of ['us-east-1:0c4b7f5e-1234-4abc-9def-000000000000', 'not an arn', arnOf('thing/lamp')]) {
      const refused = await service.failure(AttachPolicy, { policyName: 'a-cognito', target });
      assert.deepEqual([refused.code, refused.status], ['InvalidRequestException', 400], target);
      assert.equal(
        (await service.failure(DetachPolicy, { policyName: 'a-cognito', target })).code,
        'InvalidRequestException',
      );
    }
  });

  test('an eleventh policy on a certificate is LimitExceededException (410); re-attaching one of the ten is fine', async () => {
    const target = await newCertificate();
    for (let i = 0; i < 11; i++) await newPolicy(`limit-${String(i).padStart(2, '0')}`);
    for (let i = 0; i < 10; i++) {
      await service.call(AttachPolicy, { policyName: `limit-${String(i).padStart(2, '0')}`, target });
    }
    const eleventh = await service.failure(AttachPolicy, { policyName: 'limit-10', target });
    assert.deepEqual([eleventh.code, eleventh.status], ['LimitExceededException', 410]);
    await service.call(AttachPolicy, { policyName: 'limit-03', target });
    const viaPrincipal = await service.failure(AttachPrincipalPolicy, { policyName: 'limit-10', principal: target });
    assert.equal(viaPrincipal.code, 'LimitExceededException');

    const names = (await walk(ListAttachedPolicies, { target }, 'policies', 3)) as { policyName: string }[];
    assert.deepEqual(
      names.map((policy) => policy.policyName),
      Array.from({ length: 10 }, (_, i) => `limit-${String(i).padStart(2, '0')}`),
    );
  });

  test('ListTargetsForPolicy pages through many certificates, each once, by certificate id', async () => {
    await newPolicy('many-targets');
    const targets: string[] = [];
    for (let i = 0; i < 7; i++) {
      const target = await newCertificate();
      targets.push(target);
      await service.call(AttachPolicy, { policyName: 'many-targets', target });
    }
    const sorted = [...targets].sort();
    assert.deepEqual(await walk(ListTargetsForPolicy, { policyName: 'many-targets' }, 'targets', 3), sorted);
    assert.deepEqual(
      await walk(ListPolicyPrincipals, { policyName: 'many-targets', ascendingOrder: true }, 'principals', 3),
      sorted,
    );
    assert.deepEqual(
      await walk(ListPolicyPrincipals, { policyName: 'many-targets' }, 'principals', 3),
      [...sorted].reverse(),
    );
    const badMarker = await service.failure(ListTargetsForPolicy, {
      policyName: 'many-targets',
      marker: Buffer.from('p1/attached/limit-01').toString('base64'),
    });
    assert.equal(badMarker.code, 'InvalidRequestException');
  });

  test('the deprecated principal operations do what AttachPolicy and its listings do', async () => {
    const principal = await newCertificate();
    for (const policyName of ['dep-a', 'dep-b', 'dep-c']) {
      await newPolicy(policyName);
      assert.deepEqual(await service.call(AttachPrincipalPolicy, { policyName, principal }), {});
    }
    const names = async (input: Record<string, unknown>, pageSize = 2) =>
      (
        (await walk(ListPrincipalPolicies, { principal, ...input }, 'policies', pageSize)) as { policyName: string }[]
      ).map((policy) => policy.policyName);
    assert.deepEqual(await names({ ascendingOrder: true }), ['dep-a', 'dep-b', 'dep-c']);
    assert.deepEqual(await names({}), ['dep-c', 'dep-b', 'dep-a']);
    assert.deepEqual(await names({}, 1), ['dep-c', 'dep-b', 'dep-a']);
    assert.deepEqual((await service.call(ListPolicyPrincipals, { policyName: 'dep-b' })).principals, [principal]);
    assert.deepEqual(await service.call(DetachPrincipalPolicy, { policyName: 'dep-b', principal }), {});
    assert.deepEqual(await names({ ascendingOrder: true }), ['dep-a', 'dep-c']);
    assert.deepEqual((await service.call(ListPolicyPrincipals, { policyName: 'dep-b' })).principals, []);
    const cognito = await service.failure(DetachPrincipalPolicy, { policyName: 'dep-a', principal: 'us-east-1:abc' });
    assert.equal(cognito.code, 'InvalidRequestException');
  });
});
