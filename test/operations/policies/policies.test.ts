// biome-ignore-all lint/suspicious/noTemplateCurlyInString: policy variables are written ${iot:Name}, not JavaScript templates
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreatePolicy,
  CreatePolicyVersion,
  DeletePolicy,
  DeletePolicyVersion,
  GetPolicy,
  GetPolicyVersion,
  ListPolicies,
  ListPolicyVersions,
  SetDefaultPolicyVersion,
} from '../../../src/model/policies.js';
import { OTHER_ACCOUNT, openTestService, SCOPE, type TestService } from '../operation-context.js';
import { allowDocument, arnOf } from './policy-fixtures.js';

const DOC = allowDocument('iot:Connect', arnOf('client/${iot:ClientId}'));
const POLICY_ARN = (name: string, scope = SCOPE) => arnOf(`policy/${name}`, scope);

describe('policy operations: policies and their versions', () => {
  let service: TestService;
  before(async () => {
    service = await openTestService('fleetca-policies-');
  });
  after(() => service.close());

  describe('CreatePolicy and GetPolicy', () => {
    test('creates version 1 as the default, answered in the model order', async () => {
      const before = Date.now();
      const created = await service.call(CreatePolicy, { policyName: 'p-create', policyDocument: DOC });
      assert.deepEqual(created, {
        policyName: 'p-create',
        policyArn: POLICY_ARN('p-create'),
        policyDocument: DOC,
        policyVersionId: '1',
      });
      assert.deepEqual(Object.keys(created), ['policyName', 'policyArn', 'policyDocument', 'policyVersionId']);
      const got = await service.call(GetPolicy, { policyName: 'p-create' });
      assert.deepEqual(Object.keys(got), [
        'policyName',
        'policyArn',
        'policyDocument',
        'defaultVersionId',
        'creationDate',
        'lastModifiedDate',
        'generationId',
      ]);
      assert.equal(got.policyDocument, DOC);
      assert.equal(got.defaultVersionId, '1');
      assert.match(String(got.generationId), /^[0-9a-f]{64}$/);
      assert.ok(Number(got.creationDate) >= before && got.lastModifiedDate === got.creationDate);
    });

    test('keeps the document exactly as given, whitespace included', async () => {
      const spaced = `{\n  "Version": "2012-10-17",\n  "Statement": {"Effect": "Allow", "Action": "iot:*", "Resource": "*"}\n}\n`;
      await service.call(CreatePolicy, { policyName: 'p-spaced', policyDocument: spaced });
      assert.equal((await service.call(GetPolicy, { policyName: 'p-spaced' })).policyDocument, spaced);
    });

    test('an existing name is ResourceAlreadyExistsException with the policy named', async () => {
      await service.call(CreatePolicy, { policyName: 'p-twice', policyDocument: DOC });
      const again = await service.failure(CreatePolicy, { policyName: 'p-twice', policyDocument: DOC });
      assert.equal(again.code, 'ResourceAlreadyExistsException');
      assert.equal(again.status, 409);
      assert.deepEqual(again.details, { resourceId: 'p-twice', resourceArn: POLICY_ARN('p-twice') });
    });

    test('a document that is not a policy is MalformedPolicyException, and nothing is created', async () => {
      for (const policyDocument of [
        '',
        '   ',
        '{not json',
        '{"Version":"2012-10-17"}',
        '{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"iot:Connect","Resource":"*"}]}',
        '{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"iot:Connect","Resource":"*"}]}',
      ]) {
        const refused = await service.failure(CreatePolicy, { policyName: 'p-malformed', policyDocument });
        assert.equal(refused.code, 'MalformedPolicyException', policyDocument);
        assert.equal(refused.status, 400);
      }
      assert.equal((await service.failure(GetPolicy, { policyName: 'p-malformed' })).code, 'ResourceNotFoundException');
    });

    test('2048 characters not counting whitespace pass; 2049 are refused as malformed', async () => {
      const sized = (characters: number, padding: string) => {
        const shell = allowDocument('iot:Publish', arnOf('topic/'));
        const name = 'x'.repeat(characters - shell.length);
        return allowDocument('iot:Publish', arnOf(`topic/${name}`)).replace('{', `{${padding}`);
      };
      const fits = sized(2048, ' \n\t'.repeat(200));
      assert.equal(fits.replace(/\s/g, '').length, 2048);
      await service.call(CreatePolicy, { policyName: 'p-2048', policyDocument: fits });
      const over = sized(2049, '');
      assert.equal(over.length, 2049);
      const refused = await service.failure(CreatePolicy, { policyName: 'p-2049', policyDocument: over });
      assert.equal(refused.code, 'MalformedPolicyException');
      const version = await service.failure(CreatePolicyVersion, { policyName: 'p-2048', policyDocument: over });
      assert.equal(version.code, 'MalformedPolicyException');
    });

    test('names and tags outside the model are InvalidRequestException', async () => {
      const badName = await service.failure(CreatePolicy, { policyName: 'bad name', policyDocument: DOC });
      assert.equal(badName.code, 'InvalidRequestException');
      assert.match(badName.message, /Member must satisfy regular expression pattern: \[\\w\+=,\.@-\]\+/);
      const long = await service.failure(CreatePolicy, { policyName: 'n'.repeat(129), policyDocument: DOC });
      assert.match(long.message, /Member must have length less than or equal to 128/);
      const duplicate = await service.failure(CreatePolicy, {
        policyName: 'p-tags',
        policyDocument: DOC,
        tags: [{ Key: 'a', Value: '1' }, { Key: 'a' }],
      });
      assert.equal(duplicate.code, 'InvalidRequestException');
      assert.equal(duplicate.message, 'Duplicate tag key: a');
    });

    test('tags are kept with the policy', async () => {
      await service.call(CreatePolicy, {
        policyName: 'p-tagged',
        policyDocument: DOC,
        tags: [{ Key: 'team', Value: 'iot' }, { Key: 'env' }],
      });
      assert.deepEqual(await service.registry.policies.listPolicyTags(SCOPE, 'p-tagged'), [
        { Key: 'env' },
        { Key: 'team', Value: 'iot' },
      ]);
    });

    test('a policy belongs to its account and region', async () => {
      await service.call(CreatePolicy, { policyName: 'p-scoped', policyDocument: DOC }, OTHER_ACCOUNT);
      assert.equal((await service.failure(GetPolicy, { policyName: 'p-scoped' })).code, 'ResourceNotFoundException');
      const there = await service.call(GetPolicy, { policyName: 'p-scoped' }, OTHER_ACCOUNT);
      assert.equal(there.policyArn, POLICY_ARN('p-scoped', OTHER_ACCOUNT));
      const missing = await service.failure(GetPolicy, { policyName: 'p-none' });
      assert.deepEqual([missing.code, missing.status], ['ResourceNotFoundException', 404]);
    });
  });

  describe('ListPolicies', () => {
    test('pages by name, descending by default and ascending when asked, each policy once', async () => {
      const scope = { accountId: '333333333333', region: 'us-east-1' };
      const names = ['list-c', 'list-a', 'list-e', 'list-b', 'list-d'];
      for (const policyName of names) await service.call(CreatePolicy, { policyName, policyDocument: DOC }, scope);
      const walk = async (ascendingOrder: boolean) => {
        const seen: string[] = [];
        let marker: string | undefined;
        do {
          const page = await service.call(
            ListPolicies,
            { pageSize: 2, ascendingOrder, ...(marker !== undefined && { marker }) },
            scope,
          );
          const policies = page.policies as { policyName: string; policyArn: string }[];
          assert.ok(policies.length <= 2);
          for (const policy of policies) assert.equal(policy.policyArn, POLICY_ARN(policy.policyName, scope));
          seen.push(...policies.map((policy) => policy.policyName));
          marker = page.nextMarker as string | undefined;
          if (marker !== undefined) assert.match(marker, /^[A-Za-z0-9+/]+={0,2}$/);
        } while (marker !== undefined);
        return seen;
      };
      assert.deepEqual(await walk(true), [...names].sort());
      assert.deepEqual(await walk(false), [...names].sort().reverse());
      const all = await service.call(ListPolicies, {}, scope);
      assert.equal(all.nextMarker, undefined);
      assert.equal((all.policies as unknown[]).length, 5);
    });

    test('a marker that is not one of its own is InvalidRequestException; pageSize is 1 to 250', async () => {
      for (const marker of ['bm90IGEgbWFya2Vy', Buffer.from('p1/targets/abc').toString('base64'), '!!']) {
        assert.equal((await service.failure(ListPolicies, { marker })).code, 'InvalidRequestException', marker);
      }
      assert.equal((await service.failure(ListPolicies, { pageSize: 0 })).code, 'InvalidRequestException');
      assert.equal((await service.failure(ListPolicies, { pageSize: 251 })).code, 'InvalidRequestException');
    });
  });

  describe('versions', () => {
    test('CreatePolicyVersion numbers versions, and the default moves only when asked', async () => {
      await service.call(CreatePolicy, { policyName: 'v-policy', policyDocument: DOC });
      const generation = (await service.call(GetPolicy, { policyName: 'v-policy' })).generationId;
      const doc2 = allowDocument('iot:Publish', arnOf('topic/two'));
      const second = await service.call(CreatePolicyVersion, { policyName: 'v-policy', policyDocument: doc2 });
      assert.deepEqual(second, {
        policyArn: POLICY_ARN('v-policy'),
        policyDocument: doc2,
        policyVersionId: '2',
        isDefaultVersion: false,
      });
      assert.equal((await service.call(GetPolicy, { policyName: 'v-policy' })).policyDocument, DOC);
      const doc3 = allowDocument('iot:Publish', arnOf('topic/three'));
      const third = await service.call(CreatePolicyVersion, {
        policyName: 'v-policy',
        policyDocument: doc3,
        setAsDefault: true,
      });
      assert.equal(third.isDefaultVersion, true);
      const got = await service.call(GetPolicy, { policyName: 'v-policy' });
      assert.deepEqual([got.defaultVersionId, got.policyDocument], ['3', doc3]);
      assert.notEqual(got.generationId, generation);

      const listed = await service.call(ListPolicyVersions, { policyName: 'v-policy' });
      const versions = listed.policyVersions as { versionId: string; isDefaultVersion: boolean; createDate: number }[];
      assert.deepEqual(
        versions.map((v) => [v.versionId, v.isDefaultVersion]),
        [
          ['3', true],
          ['2', false],
          ['1', false],
        ],
      );
      assert.deepEqual(Object.keys(versions[0] ?? {}), ['versionId', 'isDefaultVersion', 'createDate']);

      const one = await service.call(GetPolicyVersion, { policyName: 'v-policy', policyVersionId: '1' });
      assert.deepEqual(Object.keys(one), [
        'policyArn',
        'policyName',
        'policyDocument',
        'policyVersionId',
        'isDefaultVersion',
        'creationDate',
        'lastModifiedDate',
        'generationId',
      ]);
      assert.deepEqual([one.policyDocument, one.isDefaultVersion, one.generationId], [DOC, false, got.generationId]);
      assert.ok(Number(one.lastModifiedDate) >= Number(one.creationDate));
    });

    test('a sixth version is VersionsLimitExceededException until one is deleted', async () => {
      await service.call(CreatePolicy, { policyName: 'v-limit', policyDocument: DOC });
      for (let i = 2; i <= 5; i++) {
        const made = await service.call(CreatePolicyVersion, { policyName: 'v-limit', policyDocument: DOC });
        assert.equal(made.policyVersionId, String(i));
      }
      const sixth = await service.failure(CreatePolicyVersion, { policyName: 'v-limit', policyDocument: DOC });
      assert.deepEqual([sixth.code, sixth.status], ['VersionsLimitExceededException', 409]);
      await service.call(DeletePolicyVersion, { policyName: 'v-limit', policyVersionId: '2' });
      const next = await service.call(CreatePolicyVersion, { policyName: 'v-limit', policyDocument: DOC });
      assert.equal(next.policyVersionId, '6', 'version ids are never reused');
    });

    test('the default version cannot be deleted; an unknown version or policy is ResourceNotFoundException', async () => {
      await service.call(CreatePolicy, { policyName: 'v-default', policyDocument: DOC });
      await service.call(CreatePolicyVersion, { policyName: 'v-default', policyDocument: DOC });
      const refused = await service.failure(DeletePolicyVersion, { policyName: 'v-default', policyVersionId: '1' });
      assert.deepEqual([refused.code, refused.status], ['DeleteConflictException', 409]);
      for (const [model, input] of [
        [DeletePolicyVersion, { policyName: 'v-default', policyVersionId: '9' }],
        [GetPolicyVersion, { policyName: 'v-default', policyVersionId: '9' }],
        [SetDefaultPolicyVersion, { policyName: 'v-default', policyVersionId: '9' }],
        [GetPolicyVersion, { policyName: 'v-none', policyVersionId: '1' }],
        [ListPolicyVersions, { policyName: 'v-none' }],
        [CreatePolicyVersion, { policyName: 'v-none', policyDocument: DOC }],
      ] as const) {
        const missing = await service.failure(model, input);
        assert.deepEqual([missing.code, missing.status], ['ResourceNotFoundException', 404], model.name);
      }
      const badId = await service.failure(GetPolicyVersion, { policyName: 'v-default', policyVersionId: 'one' });
      assert.equal(badId.code, 'InvalidRequestException');
      const malformed = await service.failure(CreatePolicyVersion, { policyName: 'v-default', policyDocument: '{' });
      assert.equal(malformed.code, 'MalformedPolicyException');
    });

    test('SetDefaultPolicyVersion moves the default, after which the old default may be deleted', async () => {
      await service.call(CreatePolicy, { policyName: 'v-set', policyDocument: DOC });
      const doc2 = allowDocument('iot:Subscribe', arnOf('topicfilter/a/#'));
      await service.call(CreatePolicyVersion, { policyName: 'v-set', policyDocument: doc2 });
      assert.deepEqual(await service.call(SetDefaultPolicyVersion, { policyName: 'v-set', policyVersionId: '2' }), {});
      assert.equal((await service.call(GetPolicy, { policyName: 'v-set' })).policyDocument, doc2);
      await service.call(DeletePolicyVersion, { policyName: 'v-set', policyVersionId: '1' });
      const versions = (await service.call(ListPolicyVersions, { policyName: 'v-set' })).policyVersions as unknown[];
      assert.equal(versions.length, 1);
    });
  });

  describe('DeletePolicy', () => {
    test('refused while other versions exist, then deletes the policy and its default version', async () => {
      await service.call(CreatePolicy, { policyName: 'd-versions', policyDocument: DOC });
      await service.call(CreatePolicyVersion, { policyName: 'd-versions', policyDocument: DOC });
      const refused = await service.failure(DeletePolicy, { policyName: 'd-versions' });
      assert.deepEqual([refused.code, refused.status], ['DeleteConflictException', 409]);
      await service.call(DeletePolicyVersion, { policyName: 'd-versions', policyVersionId: '2' });
      assert.deepEqual(await service.call(DeletePolicy, { policyName: 'd-versions' }), {});
      assert.equal((await service.failure(GetPolicy, { policyName: 'd-versions' })).code, 'ResourceNotFoundException');
      assert.equal(
        (await service.failure(GetPolicyVersion, { policyName: 'd-versions', policyVersionId: '1' })).code,
        'ResourceNotFoundException',
      );
      const again = await service.failure(DeletePolicy, { policyName: 'd-versions' });
      assert.deepEqual([again.code, again.status], ['ResourceNotFoundException', 404]);
      await service.call(CreatePolicy, { policyName: 'd-versions', policyDocument: DOC });
      assert.equal((await service.call(GetPolicy, { policyName: 'd-versions' })).defaultVersionId, '1');
    });
  });
});
