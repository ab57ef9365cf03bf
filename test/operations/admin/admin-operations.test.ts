import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ServiceError } from '../../../src/errors.js';
import {
  CreateAccessKey,
  CreateAccount,
  DeleteAccessKey,
  DeleteAccount,
  GrantClaim,
  ListAccessKeys,
  ListAccounts,
  ListClaims,
  RevokeClaim,
} from '../../../src/model/admin.js';
import { ADMIN_OPERATIONS, ALL_OPERATIONS } from '../../../src/operations/catalog.js';
import { invokeOperation } from '../../../src/operations/index.js';
import { StoreError } from '../../../src/registry/store-error.js';
import { makeRecord } from '../../registry/certificate-fixtures.js';
import { makeTemplate } from '../../registry/provisioning-template-store-conformance.js';
import { OTHER_REGION, openTestService, SCOPE, type TestService } from '../operation-context.js';

const failed = (error: ServiceError) => [error.code, error.message];

describe('admin operations', () => {
  let service: TestService;

  before(async () => {
    service = await openTestService('fleetca-admin-ops-');
  });
  after(() => service.close());

  test('are listed in ADMIN_OPERATIONS and reached through the one entry', () => {
    const models = ADMIN_OPERATIONS.map((operation) => operation.model);
    for (const model of [CreateAccount, CreateAccessKey, ListAccounts, ListAccessKeys, DeleteAccessKey]) {
      assert.ok(models.includes(model), model.name);
    }
    for (const operation of ADMIN_OPERATIONS) {
      assert.ok(ALL_OPERATIONS.includes(operation), operation.model.name);
      assert.equal(operation.model.http, undefined, `${operation.model.name} has no REST route yet`);
    }
  });

  test('accounts and keys: created, listed without secrets, deleted; refusals are service errors', async () => {
    const created = await service.call(CreateAccount, { accountId: '111122223333' });
    assert.deepEqual(Object.keys(created), ['accountId', 'accessKeyId', 'secretAccessKey']);
    assert.equal(created.accountId, '111122223333');
    const random = await service.call(CreateAccount, {});
    assert.match(random.accountId as string, /^\d{12}$/);
    const second = await service.call(CreateAccessKey, { accountId: '111122223333' });

    const accounts = (await service.call(ListAccounts, {})).accounts as { accountId: string; createdAt: number }[];
    assert.deepEqual(accounts.map((a) => a.accountId).sort(), ['111122223333', random.accountId].sort());
    assert.equal(typeof accounts[0]?.createdAt, 'number', 'epoch ms: each door renders dates its own way');
    const keys = (await service.call(ListAccessKeys, { accountId: '111122223333' })).accessKeys as object[];
    assert.deepEqual(
      keys.map((key) => Object.keys(key)),
      [
        ['accessKeyId', 'createdAt'],
        ['accessKeyId', 'createdAt'],
      ],
    );

    assert.deepEqual(failed(await service.failure(CreateAccount, { accountId: '111122223333' })), [
      'ResourceAlreadyExistsException',
      'account 111122223333 already exists',
    ]);
    const conflict = await service.failure(DeleteAccount, { accountId: '111122223333' });
    assert.deepEqual(failed(conflict), [
      'DeleteConflictException',
      'account 111122223333 still has 2 access key(s); delete them first (fleetca admin delete-access-key)',
    ]);
    assert.deepEqual(conflict.details, { resourceId: '111122223333' });
    for (const model of [CreateAccessKey, ListAccessKeys, DeleteAccount]) {
      assert.deepEqual(failed(await service.failure(model, { accountId: '999999999999' })), [
        'ResourceNotFoundException',
        'account 999999999999 does not exist',
      ]);
    }

    await service.call(DeleteAccessKey, { accessKeyId: created.accessKeyId });
    assert.deepEqual(failed(await service.failure(DeleteAccessKey, { accessKeyId: created.accessKeyId })), [
      'ResourceNotFoundException',
      `access key ${created.accessKeyId} does not exist`,
    ]);
    await service.call(DeleteAccessKey, { accessKeyId: second.accessKeyId });
    assert.deepEqual(await service.call(DeleteAccount, { accountId: '111122223333' }), {});
  });

  test('the model checks input as every operation does', async () => {
    const error = await service.failure(CreateAccount, { accountId: '42' });
    assert.equal(error.code, 'InvalidRequestException');
    assert.match(error.message, /^2 validation errors detected: Value '42' at 'accountId'/);
    assert.equal((await service.failure(DeleteAccessKey, {})).code, 'InvalidRequestException');
  });

  test('claims: granted in the context scope, listed, revoked; each refusal has its code', async () => {
    const registry = service.registry;
    const active = makeRecord('admin-active', { status: 'ACTIVE' });
    const inactive = makeRecord('admin-inactive');
    await registry.certificates.insertCertificate(active);
    await registry.certificates.insertCertificate(inactive);
    await registry.provisioningTemplates.createTemplate(makeTemplate('fleet'));
    await registry.provisioningTemplates.createTemplate(makeTemplate('jitp', { templateType: 'JITP' }));

    const grant = { certificateId: active.certificateId, templateName: 'fleet' };
    const granted = await service.call(GrantClaim, grant);
    assert.deepEqual(granted, { accountId: SCOPE.accountId, region: SCOPE.region, ...grant });
    assert.deepEqual(await service.call(GrantClaim, grant), granted, 'granting again changes nothing');
    const claims = (await service.call(ListClaims, {})).claims as Record<string, unknown>[];
    assert.deepEqual(
      claims.map((claim) => [claim.certificateId, claim.templateName, claim.kind, typeof claim.createdAt]),
      [[active.certificateId, 'fleet', 'registered', 'number']],
    );
    assert.deepEqual(await service.call(ListClaims, {}, OTHER_REGION), { claims: [] });

    const where = `account ${SCOPE.accountId}, region ${SCOPE.region}`;
    const cases: [Record<string, string>, string, string][] = [
      [
        { certificateId: 'f'.repeat(64), templateName: 'fleet' },
        'ResourceNotFoundException',
        `certificate ${'f'.repeat(64)} does not exist in ${where}`,
      ],
      [
        { certificateId: inactive.certificateId, templateName: 'fleet' },
        'CertificateStateException',
        `certificate ${inactive.certificateId} is INACTIVE; only an ACTIVE certificate can be granted a claim`,
      ],
      [
        { certificateId: active.certificateId, templateName: 'missing' },
        'ResourceNotFoundException',
        `provisioning template missing does not exist in ${where}`,
      ],
      [
        { certificateId: active.certificateId, templateName: 'jitp' },
        'InvalidRequestException',
        'provisioning template jitp is of type JITP; claims are for FLEET_PROVISIONING templates',
      ],
    ];
    for (const [input, code, message] of cases) {
      assert.deepEqual(failed(await service.failure(GrantClaim, input)), [code, message]);
    }

    assert.deepEqual(await service.call(RevokeClaim, grant), {});
    assert.deepEqual(failed(await service.failure(RevokeClaim, grant)), [
      'ResourceNotFoundException',
      `certificate ${active.certificateId} holds no claim for provisioning template fleet in ${where}`,
    ]);
  });

  test('a store that is down is ServiceUnavailableException, with the store’s own error as its cause', async () => {
    const down = new StoreError('UNAVAILABLE', 'PostgreSQL registry postgres://db/x is unavailable');
    const registry = { accounts: { listAccounts: () => Promise.reject(down) } } as never;
    const ctx = {
      scope: SCOPE,
      registry,
      authority: undefined as never,
      keys: undefined as never,
      defaultSubject: Buffer.alloc(0),
      now: () => new Date(),
    };
    await assert.rejects(invokeOperation(ListAccounts, {}, ctx), (error: unknown) => {
      assert.ok(error instanceof ServiceError);
      assert.equal(error.code, 'ServiceUnavailableException');
      assert.equal(error.cause, down);
      return true;
    });
  });
});
