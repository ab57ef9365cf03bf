import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  MAX_POLICIES_PER_CERTIFICATE,
  policyAttachRule,
  policyCreationRule,
  policyDeletionRule,
  policyDetachRule,
  setDefaultRule,
  versionCreationRule,
  versionDeletionRule,
} from '../../src/domain/policies/policy-lifecycle.js';
import type { PolicyRecord } from '../../src/domain/policies/policy-record.js';
import type { Scope } from '../../src/domain/scope.js';
import { ServiceError } from '../../src/errors.js';
import type { NamePage } from '../../src/registry/policy-store.js';
import type { Registry } from '../../src/registry/registry.js';
import type { RegistryChange } from '../../src/registry/registry-changes.js';
import { StoreError } from '../../src/registry/store-error.js';
import { eventually } from '../helpers/eventually.js';
import { makeRecord, OTHER_ACCOUNT, OTHER_REGION, SCOPE, T0 } from './certificate-fixtures.js';

/** What an engine hands the suite for one test: a fresh registry, and another connection to it when there is one. */
export interface PolicyStoreFixture {
  readonly registry: Registry;
  readonly reopen?: () => Promise<Registry>;
  readonly cleanup: () => Promise<void>;
}

export const document = (n: number | string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: `r${n}` }] });

/** A policy of `scope` as CreatePolicy would make it. */
export function makePolicy(policyName: string, scope: Scope = SCOPE, at = T0): PolicyRecord {
  return {
    ...scope,
    policyName,
    defaultVersionId: '1',
    creationDate: at,
    lastModifiedDate: at,
    generationId: `g-${policyName}`,
  };
}

const errorCode = (code: string) => (error: unknown) => error instanceof ServiceError && error.code === code;
const allow = () => {};

async function allNames(list: (after: string | undefined) => Promise<NamePage | undefined>): Promise<string[]> {
  const names: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await list(after);
    assert.ok(page);
    names.push(...page.names);
    if (page.next === undefined) return names;
    assert.equal(page.next, page.names.at(-1));
    after = page.next;
  }
}

/** The behaviour every PolicyStore must show; each test gets a fresh, empty registry. */
export function policyStoreConformance(name: string, open: () => Promise<PolicyStoreFixture>): void {
  const withRegistry = (fn: (fixture: PolicyStoreFixture) => Promise<void>) => async () => {
    const fixture = await open();
    try {
      await fn(fixture);
    } finally {
      await fixture.cleanup();
    }
  };
  const addCertificate = async (registry: Registry, seed: string, scope: Scope = SCOPE) => {
    const record = makeRecord(seed, { ...scope, ownedBy: scope.accountId });
    await registry.certificates.insertCertificate(record);
    return record.certificateId;
  };
  const create = (registry: Registry, policyName: string, scope: Scope = SCOPE, doc = document(1)) =>
    registry.policies.createPolicy(makePolicy(policyName, scope), doc, policyCreationRule(scope, policyName));
  const heard = (registry: Registry) => {
    const changes: RegistryChange[] = [];
    registry.changes.subscribe((change) => changes.push(change));
    return changes;
  };

  describe(`${name}: PolicyStore conformance`, () => {
    test(
      'CreatePolicy stores version 1 as the default, with its document unchanged and its tags; a taken name is refused',
      withRegistry(async ({ registry }) => {
        const spaced = `{ "Version": "2012-10-17",\n  "Statement": [] }`;
        const record = makePolicy('p.one@x=y,z+w-v_');
        const stored = await registry.policies.createPolicy(
          record,
          spaced,
          policyCreationRule(SCOPE, record.policyName),
          [{ Key: 'b', Value: '2' }, { Key: 'a' }],
        );
        assert.deepEqual(stored, record);
        assert.deepEqual(await registry.policies.getPolicy(SCOPE, record.policyName), {
          policy: record,
          document: spaced,
        });
        assert.deepEqual(await registry.policies.listPolicyTags(SCOPE, record.policyName), [
          { Key: 'a' },
          { Key: 'b', Value: '2' },
        ]);
        assert.equal(await registry.policies.listPolicyTags(SCOPE, 'absent'), undefined);
        assert.equal(await registry.policies.getPolicy(SCOPE, 'absent'), undefined);
        await assert.rejects(create(registry, record.policyName, SCOPE, document(2)), (error: unknown) => {
          assert.ok(error instanceof ServiceError && error.code === 'ResourceAlreadyExistsException');
          assert.equal(error.message, `Policy cannot be created - name already exists (name=${record.policyName})`);
          return true;
        });
        assert.equal((await registry.policies.getPolicy(SCOPE, record.policyName))?.document, spaced);
        // A rule that lets an existing name through is refused by the store, which overwrites nothing.
        await assert.rejects(registry.policies.createPolicy(record, document(3), allow), StoreError);
      }),
    );

    test(
      'ListPolicies pages by name, descending or ascending, after a marker; scopes are apart',
      withRegistry(async ({ registry }) => {
        const names = ['b', 'A', 'a', 'c-1', 'c_1', 'Z9', 'c.1'];
        for (const policyName of names) await create(registry, policyName);
        await create(registry, 'other-account', OTHER_ACCOUNT);
        await create(registry, 'other-region', OTHER_REGION);
        const byteOrder = [...names].sort((x, y) => (Buffer.from(x) < Buffer.from(y) ? -1 : 1));
        for (const ascending of [true, false]) {
          for (const limit of [1, 2, 3, 7, 50]) {
            const seen: string[] = [];
            let after: string | undefined;
            for (;;) {
              const page = await registry.policies.listPolicies(SCOPE, { limit, ascending, ...(after && { after }) });
              assert.ok(page.records.length <= limit);
              seen.push(...page.records.map((policy) => policy.policyName));
              if (page.next === undefined) break;
              assert.equal(page.next, page.records.at(-1)?.policyName);
              after = page.next;
            }
            assert.deepEqual(seen, ascending ? byteOrder : [...byteOrder].reverse(), `limit ${limit}`);
          }
        }
        const first = await registry.policies.listPolicies(SCOPE, { limit: 7, ascending: true });
        assert.equal(first.next, undefined, 'an exact last page says nothing follows');
        assert.deepEqual(
          (await registry.policies.listPolicies(OTHER_ACCOUNT, { limit: 10, ascending: true })).records,
          [makePolicy('other-account', OTHER_ACCOUNT)],
        );
        assert.equal(await registry.policies.getPolicy(OTHER_REGION, 'b'), undefined);
      }),
    );

    test(
      'versions: numbered on, at most 5, newest first; the default moves and changes the generation',
      withRegistry(async ({ registry }) => {
        await create(registry, 'v');
        const v2 = await registry.policies.createPolicyVersion(
          SCOPE,
          'v',
          document(2),
          false,
          T0 + 2,
          versionCreationRule('v'),
        );
        assert.deepEqual(v2, {
          ...SCOPE,
          policyName: 'v',
          versionId: '2',
          document: document(2),
          isDefaultVersion: false,
          creationDate: T0 + 2,
        });
        assert.equal((await registry.policies.getPolicy(SCOPE, 'v'))?.document, document(1));
        const v3 = await registry.policies.createPolicyVersion(
          SCOPE,
          'v',
          document(3),
          true,
          T0 + 3,
          versionCreationRule('v'),
        );
        assert.equal(v3.isDefaultVersion, true);
        const got = await registry.policies.getPolicy(SCOPE, 'v');
        assert.equal(got?.document, document(3));
        assert.equal(got?.policy.defaultVersionId, '3');
        assert.equal(got?.policy.lastModifiedDate, T0 + 3);
        assert.notEqual(got?.policy.generationId, 'g-v');
        assert.equal(got?.policy.creationDate, T0);
        await registry.policies.createPolicyVersion(SCOPE, 'v', document(4), false, T0 + 4, versionCreationRule('v'));
        await registry.policies.createPolicyVersion(SCOPE, 'v', document(5), false, T0 + 5, versionCreationRule('v'));
        await assert.rejects(
          registry.policies.createPolicyVersion(SCOPE, 'v', document(6), false, T0 + 6, versionCreationRule('v')),
          (error: unknown) =>
            errorCode('VersionsLimitExceededException')(error) &&
            (error as Error).message === 'The policy v already has the maximum number of versions (5)',
        );
        // A rule that lets a sixth through is refused by the store.
        await assert.rejects(
          registry.policies.createPolicyVersion(SCOPE, 'v', document(6), false, T0 + 6, allow),
          StoreError,
        );
        const versions = await registry.policies.listPolicyVersions(SCOPE, 'v');
        assert.deepEqual(
          versions?.map((v) => [v.versionId, v.isDefaultVersion, v.creationDate]),
          [
            ['5', false, T0 + 5],
            ['4', false, T0 + 4],
            ['3', true, T0 + 3],
            ['2', false, T0 + 2],
            ['1', false, T0],
          ],
        );
        assert.deepEqual(await registry.policies.getPolicyVersion(SCOPE, 'v', '1'), {
          ...SCOPE,
          policyName: 'v',
          versionId: '1',
          document: document(1),
          isDefaultVersion: false,
          creationDate: T0,
        });
        assert.equal(await registry.policies.getPolicyVersion(SCOPE, 'v', '9'), undefined);
        assert.equal(await registry.policies.listPolicyVersions(SCOPE, 'absent'), undefined);
        await assert.rejects(
          registry.policies.createPolicyVersion(SCOPE, 'absent', document(1), false, T0, versionCreationRule('absent')),
          errorCode('ResourceNotFoundException'),
        );

        // Deleting: never the default; an absent version is not found; the freed slot takes the next number.
        await assert.rejects(
          registry.policies.deletePolicyVersion(SCOPE, 'v', '3', versionDeletionRule('3')),
          (error: unknown) => errorCode('DeleteConflictException')(error),
        );
        await assert.rejects(registry.policies.deletePolicyVersion(SCOPE, 'v', '3', allow), StoreError);
        await assert.rejects(
          registry.policies.deletePolicyVersion(SCOPE, 'v', '9', versionDeletionRule('9')),
          errorCode('ResourceNotFoundException'),
        );
        await registry.policies.deletePolicyVersion(SCOPE, 'v', '5', versionDeletionRule('5'));
        const v6 = await registry.policies.createPolicyVersion(
          SCOPE,
          'v',
          document(6),
          false,
          T0 + 6,
          versionCreationRule('v'),
        );
        assert.equal(v6.versionId, '6', 'ids are never reused');

        // SetDefaultPolicyVersion.
        await registry.policies.setDefaultPolicyVersion(SCOPE, 'v', '1', T0 + 7, setDefaultRule('1'));
        assert.equal((await registry.policies.getPolicy(SCOPE, 'v'))?.document, document(1));
        assert.equal((await registry.policies.getPolicyVersion(SCOPE, 'v', '3'))?.isDefaultVersion, false);
        await assert.rejects(
          registry.policies.setDefaultPolicyVersion(SCOPE, 'v', '5', T0 + 8, setDefaultRule('5')),
          errorCode('ResourceNotFoundException'),
        );
        await assert.rejects(registry.policies.setDefaultPolicyVersion(SCOPE, 'v', '5', T0 + 8, allow), StoreError);
        // Ten or more versions sort as numbers.
        for (const id of ['2', '3', '4', '6'])
          await registry.policies.deletePolicyVersion(SCOPE, 'v', id, versionDeletionRule(id));
        for (let i = 7; i <= 10; i++) {
          await registry.policies.createPolicyVersion(SCOPE, 'v', document(i), false, T0 + i, versionCreationRule('v'));
        }
        assert.deepEqual(
          (await registry.policies.listPolicyVersions(SCOPE, 'v'))?.map((v) => v.versionId),
          ['10', '9', '8', '7', '1'],
        );
      }),
    );

    test(
      'DeletePolicy: refused while attached or holding other versions, then deletes versions and tags',
      withRegistry(async ({ registry }) => {
        const certificateId = await addCertificate(registry, 'deleting');
        await registry.policies.createPolicy(makePolicy('d'), document(1), policyCreationRule(SCOPE, 'd'), [
          { Key: 'k', Value: 'v' },
        ]);
        await registry.policies.createPolicyVersion(SCOPE, 'd', document(2), false, T0 + 1, versionCreationRule('d'));
        await registry.policies.attachPolicy(SCOPE, 'd', certificateId, policyAttachRule());
        await assert.rejects(registry.policies.deletePolicy(SCOPE, 'd', policyDeletionRule('d')), (error: unknown) => {
          assert.ok(errorCode('DeleteConflictException')(error));
          assert.match((error as Error).message, /attached to one or more principals \(name=d\)/);
          return true;
        });
        await assert.rejects(registry.policies.deletePolicy(SCOPE, 'd', allow), StoreError);
        assert.equal(await registry.policies.detachPolicy(SCOPE, 'd', certificateId, policyDetachRule()), true);
        await assert.rejects(registry.policies.deletePolicy(SCOPE, 'd', policyDeletionRule('d')), (error: unknown) => {
          assert.ok(errorCode('DeleteConflictException')(error));
          assert.match((error as Error).message, /versions other than/);
          return true;
        });
        await registry.policies.deletePolicyVersion(SCOPE, 'd', '2', versionDeletionRule('2'));
        await registry.policies.deletePolicy(SCOPE, 'd', policyDeletionRule('d'));
        assert.equal(await registry.policies.getPolicy(SCOPE, 'd'), undefined);
        assert.equal(await registry.policies.getPolicyVersion(SCOPE, 'd', '1'), undefined);
        await assert.rejects(
          registry.policies.deletePolicy(SCOPE, 'd', policyDeletionRule('d')),
          errorCode('ResourceNotFoundException'),
        );
        // The name is free again, with no trace of the old tags or versions.
        await create(registry, 'd', SCOPE, document(9));
        assert.deepEqual(await registry.policies.listPolicyTags(SCOPE, 'd'), []);
        assert.deepEqual(
          (await registry.policies.listPolicyVersions(SCOPE, 'd'))?.map((v) => v.versionId),
          ['1'],
        );
      }),
    );

    test(
      'attach and detach: both ends must exist, attaching twice is one attachment, at most 10 policies a certificate',
      withRegistry(async ({ registry }) => {
        const certificateId = await addCertificate(registry, 'attaching');
        const foreign = await addCertificate(registry, 'foreign', OTHER_ACCOUNT);
        await create(registry, 'p0');
        await registry.policies.attachPolicy(SCOPE, 'p0', certificateId, policyAttachRule());
        await registry.policies.attachPolicy(SCOPE, 'p0', certificateId, policyAttachRule());
        assert.deepEqual(await registry.policies.listPolicyTargets(SCOPE, 'p0', { limit: 10 }), {
          names: [certificateId],
        });
        await assert.rejects(
          registry.policies.attachPolicy(SCOPE, 'absent', certificateId, policyAttachRule()),
          errorCode('ResourceNotFoundException'),
        );
        await assert.rejects(
          registry.policies.attachPolicy(SCOPE, 'p0', foreign, policyAttachRule()),
          errorCode('ResourceNotFoundException'),
        );
        await assert.rejects(registry.policies.attachPolicy(SCOPE, 'absent', certificateId, allow), StoreError);
        for (let i = 1; i < MAX_POLICIES_PER_CERTIFICATE; i++) {
          await create(registry, `p${i}`);
          await registry.policies.attachPolicy(SCOPE, `p${i}`, certificateId, policyAttachRule());
        }
        await create(registry, 'p10');
        await assert.rejects(
          registry.policies.attachPolicy(SCOPE, 'p10', certificateId, policyAttachRule()),
          errorCode('LimitExceededException'),
        );
        // Attaching one already attached is no new attachment: within the quota.
        await registry.policies.attachPolicy(SCOPE, 'p3', certificateId, policyAttachRule());
        const attached = await allNames((after) =>
          registry.policies.listAttachedPolicies(SCOPE, certificateId, { limit: 3, ...(after && { after }) }),
        );
        assert.deepEqual(attached, ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9']);
        assert.equal(await registry.policies.listAttachedPolicies(SCOPE, 'f'.repeat(64), { limit: 3 }), undefined);
        assert.equal(
          await registry.policies.listAttachedPolicies(OTHER_REGION, certificateId, { limit: 3 }),
          undefined,
        );
        assert.equal(await registry.policies.listPolicyTargets(SCOPE, 'absent', { limit: 3 }), undefined);
        // Detaching: true once, then false; never refused by its rule.
        assert.equal(await registry.policies.detachPolicy(SCOPE, 'p9', certificateId, policyDetachRule()), true);
        assert.equal(await registry.policies.detachPolicy(SCOPE, 'p9', certificateId, policyDetachRule()), false);
        assert.equal(await registry.policies.detachPolicy(SCOPE, 'absent', certificateId, policyDetachRule()), false);
        assert.equal(await registry.policies.detachPolicy(SCOPE, 'p1', 'f'.repeat(64), policyDetachRule()), false);
        await registry.policies.attachPolicy(SCOPE, 'p10', certificateId, policyAttachRule());
        // A refusing rule leaves the attachment.
        await assert.rejects(
          registry.policies.detachPolicy(SCOPE, 'p10', certificateId, () => {
            throw new Error('no');
          }),
        );
        assert.deepEqual(await registry.policies.listPolicyTargets(SCOPE, 'p10', { limit: 5 }), {
          names: [certificateId],
        });
      }),
    );

    test(
      'ListTargetsForPolicy pages certificate ids in order',
      withRegistry(async ({ registry }) => {
        await create(registry, 't');
        const ids: string[] = [];
        for (let i = 0; i < 7; i++) {
          const id = await addCertificate(registry, `target-${i}`);
          ids.push(id);
          await registry.policies.attachPolicy(SCOPE, 't', id, policyAttachRule());
        }
        for (const limit of [1, 2, 7, 8]) {
          const seen = await allNames((after) =>
            registry.policies.listPolicyTargets(SCOPE, 't', { limit, ...(after && { after }) }),
          );
          assert.deepEqual(seen, [...ids].sort());
        }
      }),
    );

    test(
      'effectivePolicies: the default documents of the existing policies attached, by name; old rows naming no policy are ignored',
      withRegistry(async ({ registry }) => {
        const certificateId = await addCertificate(registry, 'effective');
        const other = await addCertificate(registry, 'effective-other');
        assert.deepEqual(await registry.policies.effectivePolicies(SCOPE, certificateId), []);
        await create(registry, 'zeta', SCOPE, document('z1'));
        await create(registry, 'alpha', SCOPE, document('a1'));
        await create(registry, 'unattached');
        await registry.policies.createPolicyVersion(
          SCOPE,
          'alpha',
          document('a2'),
          true,
          T0 + 1,
          versionCreationRule('alpha'),
        );
        await registry.policies.createPolicyVersion(
          SCOPE,
          'zeta',
          document('z2'),
          false,
          T0 + 1,
          versionCreationRule('zeta'),
        );
        for (const policyName of ['zeta', 'alpha'])
          await registry.policies.attachPolicy(SCOPE, policyName, certificateId, policyAttachRule());
        await registry.policies.attachPolicy(SCOPE, 'unattached', other, policyAttachRule());
        // A row written before policies were kept (RegisterThing recorded names only): no policy, no grant.
        await registry.certificates.attach(SCOPE, certificateId, { kind: 'policy', name: 'legacy-name' });
        assert.deepEqual(await registry.policies.effectivePolicies(SCOPE, certificateId), [
          { policyName: 'alpha', versionId: '2', document: document('a2') },
          { policyName: 'zeta', versionId: '1', document: document('z1') },
        ]);
        assert.deepEqual((await registry.policies.listAttachedPolicies(SCOPE, certificateId, { limit: 10 }))?.names, [
          'alpha',
          'zeta',
        ]);
        assert.deepEqual(await registry.policies.effectivePolicies(OTHER_ACCOUNT, certificateId), []);
        // The legacy row can be detached like any other.
        assert.equal(
          await registry.policies.detachPolicy(SCOPE, 'legacy-name', certificateId, policyDetachRule()),
          true,
        );
        await registry.policies.setDefaultPolicyVersion(SCOPE, 'zeta', '2', T0 + 2, setDefaultRule('2'));
        assert.deepEqual(
          (await registry.policies.effectivePolicies(SCOPE, certificateId)).map((p) => p.document),
          [document('a2'), document('z2')],
        );
      }),
    );

    test(
      'every change that can alter an authorization is announced once committed, and only those',
      withRegistry(async ({ registry }) => {
        const changes = heard(registry);
        const certificateId = await addCertificate(registry, 'announced');
        const policy = (policyName: string): RegistryChange => ({ kind: 'policy', ...SCOPE, policyName });
        const attachment = (policyName: string): RegistryChange => ({
          kind: 'policy-attachment',
          ...SCOPE,
          policyName,
          certificateId,
        });
        await create(registry, 'n');
        await assert.rejects(create(registry, 'n'));
        await registry.policies.createPolicyVersion(SCOPE, 'n', document(2), false, T0 + 1, versionCreationRule('n'));
        await registry.policies.createPolicyVersion(SCOPE, 'n', document(3), true, T0 + 2, versionCreationRule('n'));
        await registry.policies.setDefaultPolicyVersion(SCOPE, 'n', '3', T0 + 3, setDefaultRule('3'));
        await registry.policies.setDefaultPolicyVersion(SCOPE, 'n', '2', T0 + 4, setDefaultRule('2'));
        await registry.policies.deletePolicyVersion(SCOPE, 'n', '3', versionDeletionRule('3'));
        await registry.policies.attachPolicy(SCOPE, 'n', certificateId, policyAttachRule());
        await registry.policies.attachPolicy(SCOPE, 'n', certificateId, policyAttachRule());
        await registry.policies.detachPolicy(SCOPE, 'n', certificateId, policyDetachRule());
        await registry.policies.detachPolicy(SCOPE, 'n', certificateId, policyDetachRule());
        await registry.policies.deletePolicyVersion(SCOPE, 'n', '1', versionDeletionRule('1'));
        await registry.policies.deletePolicy(SCOPE, 'n', policyDeletionRule('n'));
        // Changes are heard in commit order (on PostgreSQL through NOTIFY, after the commit): once a marker
        // committed after all of them is heard, every one of them would have been.
        await create(registry, 'marker');
        await eventually('the marker heard', async () =>
          changes.some((c) => c.kind === 'policy' && c.policyName === 'marker'),
        );
        assert.deepEqual(changes.slice(0, -1), [
          { kind: 'certificate', ...SCOPE, certificateId, status: 'INACTIVE' }, // the certificate created
          policy('n'), // created
          policy('n'), // version 3 made the default
          policy('n'), // version 2 made the default (3 again changed nothing)
          attachment('n'),
          attachment('n'),
          policy('n'), // deleted
        ]);
      }),
    );

    test(
      'what one connection commits another reads',
      withRegistry(async ({ registry, reopen }) => {
        if (reopen === undefined) return;
        const other = await reopen();
        await create(registry, 'shared');
        await assert.rejects(create(other, 'shared'), errorCode('ResourceAlreadyExistsException'));
        await other.policies.createPolicyVersion(
          SCOPE,
          'shared',
          document(2),
          true,
          T0 + 1,
          versionCreationRule('shared'),
        );
        assert.equal((await registry.policies.getPolicy(SCOPE, 'shared'))?.document, document(2));
      }),
    );

    test(
      'concurrent version creations never pass the limit nor share an id',
      withRegistry(async ({ registry, reopen }) => {
        await create(registry, 'race');
        const registries = reopen ? [registry, await reopen(), await reopen()] : [registry];
        const attempts = Array.from({ length: 9 }, (_, i) =>
          (registries[i % registries.length] as Registry).policies.createPolicyVersion(
            SCOPE,
            'race',
            document(i),
            false,
            T0 + i,
            versionCreationRule('race'),
          ),
        );
        const settled = await Promise.allSettled(attempts);
        const created = settled.filter((s) => s.status === 'fulfilled').map((s) => s.value.versionId);
        assert.equal(created.length, 4);
        assert.equal(new Set(created).size, 4);
        for (const s of settled)
          if (s.status === 'rejected') assert.ok(errorCode('VersionsLimitExceededException')(s.reason));
        assert.equal((await registry.policies.listPolicyVersions(SCOPE, 'race'))?.length, 5);
      }),
    );
  });
}
