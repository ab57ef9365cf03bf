import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ProvisioningTemplateRecord } from '../../src/domain/provisioning/provisioning-template-record.js';
import {
  DuplicateTemplateError,
  type TemplateChange,
  type TemplateUpdateRule,
} from '../../src/registry/provisioning-template-store.js';
import type { Registry } from '../../src/registry/registry.js';
import { StoreError } from '../../src/registry/store-error.js';
import { makeRecord, OTHER_ACCOUNT, OTHER_REGION, SCOPE, T0 } from './certificate-fixtures.js';

/** What an engine hands the provisioning suites for one test: a registry, and another connection to it. */
export interface ProvisioningFixture {
  readonly registry: Registry;
  /** A second registry on the same data (another connection). */
  readonly reopen: () => Promise<Registry>;
  readonly cleanup: () => Promise<void>;
}

export const FLEET_BODY = JSON.stringify({
  Parameters: { SerialNumber: { Type: 'String' } },
  Resources: {
    thing: { Type: 'AWS::IoT::Thing', Properties: { ThingName: { Ref: 'SerialNumber' } } },
    certificate: {
      Type: 'AWS::IoT::Certificate',
      Properties: { CertificateId: { Ref: 'AWS::IoT::Certificate::Id' }, Status: 'ACTIVE' },
    },
  },
});

/** A template without optional members; `overrides` replace any field. */
export function makeTemplate(
  templateName: string,
  overrides: Partial<ProvisioningTemplateRecord> = {},
): ProvisioningTemplateRecord {
  return {
    ...SCOPE,
    templateName,
    templateId: `id-${templateName}`,
    templateBody: FLEET_BODY,
    enabled: true,
    provisioningRoleArn: 'arn:aws:iam::123456789012:role/provisioning',
    templateType: 'FLEET_PROVISIONING',
    tags: [],
    defaultVersionId: 1,
    creationDate: T0,
    lastModifiedDate: T0,
    ...overrides,
  };
}

/** A rule that changes only what `change` names. */
function changing(change: Partial<TemplateChange>): TemplateUpdateRule {
  return (current) => {
    if (current === undefined) throw new Error('no such template');
    return {
      ...(current.description !== undefined && { description: current.description }),
      enabled: current.enabled,
      provisioningRoleArn: current.provisioningRoleArn,
      ...(current.preProvisioningHook && { preProvisioningHook: current.preProvisioningHook }),
      defaultVersionId: current.defaultVersionId,
      lastModifiedDate: current.lastModifiedDate,
      ...change,
    };
  };
}

/** The behaviour every ProvisioningTemplateStore must show; each test gets a fresh, empty registry. */
export function provisioningTemplateStoreConformance(name: string, open: () => Promise<ProvisioningFixture>): void {
  const withRegistry = (fn: (fixture: ProvisioningFixture) => Promise<void>) => async () => {
    const fixture = await open();
    try {
      await fn(fixture);
    } finally {
      await fixture.cleanup();
    }
  };

  describe(`${name}: ProvisioningTemplateStore conformance`, () => {
    test(
      'a template reads back exactly as created, from another connection too; optional members stay absent',
      withRegistry(async ({ registry, reopen }) => {
        const store = registry.provisioningTemplates;
        const full = makeTemplate('full', {
          description: 'Fleet template — ünïcode',
          enabled: false,
          preProvisioningHook: {
            targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:hook',
            payloadVersion: '2020-04-01',
          },
          tags: [{ Key: 'a', Value: '' }, { Key: 'b' }, { Key: 'c', Value: 'x' }],
          defaultVersionId: 3,
          lastModifiedDate: T0 + 5,
        });
        const bare = makeTemplate('bare', { templateType: 'JITP', description: '' });
        await store.createTemplate(full);
        await store.createTemplate(bare);
        assert.deepEqual(await store.getTemplate(SCOPE, 'full'), full);
        assert.deepEqual(await store.getTemplate(SCOPE, 'bare'), bare);
        const other = (await reopen()).provisioningTemplates;
        assert.deepEqual(await other.getTemplate(SCOPE, 'full'), full);
        const read = await store.getTemplate(SCOPE, 'bare');
        assert.ok(read);
        assert.ok(!('preProvisioningHook' in read));
        assert.equal(read.description, '', 'an empty description is kept, not dropped');
        const hookOnly = makeTemplate('hook-only', {
          preProvisioningHook: { targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:h' },
        });
        await store.createTemplate(hookOnly);
        assert.deepEqual((await store.getTemplate(SCOPE, 'hook-only'))?.preProvisioningHook, {
          targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:h',
        });
      }),
    );

    test(
      'names are unique per account and region; the same name elsewhere is another template',
      withRegistry(async ({ registry }) => {
        const store = registry.provisioningTemplates;
        await store.createTemplate(makeTemplate('dup'));
        await assert.rejects(
          store.createTemplate(makeTemplate('dup', { templateId: 'other' })),
          DuplicateTemplateError,
        );
        assert.equal((await store.getTemplate(SCOPE, 'dup'))?.templateId, 'id-dup');
        for (const scope of [OTHER_ACCOUNT, OTHER_REGION]) {
          assert.equal(await store.getTemplate(scope, 'dup'), undefined);
          await store.createTemplate(makeTemplate('dup', { ...scope }));
          assert.deepEqual(await store.getTemplate(scope, 'dup'), makeTemplate('dup', { ...scope }));
        }
        assert.equal(await store.getTemplate(SCOPE, 'Dup'), undefined, 'names are case-sensitive');
      }),
    );

    test(
      'listing: by name in byte order, complete and without repeats across pages, one scope only',
      withRegistry(async ({ registry }) => {
        const store = registry.provisioningTemplates;
        const names = ['b', 'a', 'B', '_z', '-x', '0', 'a-b', 'a_b', 'zz', 'Z'];
        for (const [i, templateName] of names.entries()) {
          await store.createTemplate(makeTemplate(templateName, { creationDate: T0 - i }));
        }
        await store.createTemplate(makeTemplate('elsewhere', { ...OTHER_ACCOUNT }));
        const sorted = [...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
        for (const limit of [1, 3, 10, 11]) {
          const seen: string[] = [];
          let after: string | undefined;
          let pages = 0;
          do {
            const page = await store.listTemplates(SCOPE, { limit, ...(after !== undefined && { after }) });
            assert.ok(page.records.length <= limit);
            seen.push(...page.records.map((r) => r.templateName));
            after = page.next;
            pages += 1;
          } while (after !== undefined);
          assert.deepEqual(seen, sorted, `limit ${limit}`);
          assert.equal(pages, Math.ceil(names.length / limit), 'no empty last page');
        }
        const first = await store.listTemplates(SCOPE, { limit: 2 });
        assert.deepEqual(first.records[0], await store.getTemplate(SCOPE, first.records[0]?.templateName ?? ''));
        assert.deepEqual(await store.listTemplates(OTHER_REGION, { limit: 5 }), { records: [] });
        await assert.rejects(store.listTemplates(SCOPE, { limit: 0 }), RangeError);
      }),
    );

    test(
      'update: the rule decides on the current record; the change is what a later read returns',
      withRegistry(async ({ registry, reopen }) => {
        const store = registry.provisioningTemplates;
        await store.createTemplate(
          makeTemplate('t', {
            description: 'old',
            preProvisioningHook: { targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:h' },
          }),
        );
        let seen: ProvisioningTemplateRecord | undefined;
        const updated = await store.updateTemplate(SCOPE, 't', (current) => {
          seen = current;
          return {
            enabled: false,
            provisioningRoleArn: 'arn:aws:iam::123456789012:role/other',
            defaultVersionId: 1,
            lastModifiedDate: T0 + 1000,
          };
        });
        assert.equal(seen?.description, 'old');
        const expected = makeTemplate('t', {
          enabled: false,
          provisioningRoleArn: 'arn:aws:iam::123456789012:role/other',
          lastModifiedDate: T0 + 1000,
        });
        assert.deepEqual(updated, expected, 'absent description and hook are removed');
        assert.deepEqual(await (await reopen()).provisioningTemplates.getTemplate(SCOPE, 't'), expected);
        const hooked = await store.updateTemplate(
          SCOPE,
          't',
          changing({ preProvisioningHook: { targetArn: 'arn:x', payloadVersion: '2020-04-01' }, description: 'new' }),
        );
        assert.deepEqual(hooked.preProvisioningHook, { targetArn: 'arn:x', payloadVersion: '2020-04-01' });
        assert.equal(hooked.description, 'new');
        assert.equal(hooked.templateBody, FLEET_BODY, 'the body never changes');
      }),
    );

    test(
      'update: a refusing rule changes nothing; a rule that does not refuse a missing template is a contract error',
      withRegistry(async ({ registry }) => {
        const store = registry.provisioningTemplates;
        await store.createTemplate(makeTemplate('t'));
        await assert.rejects(
          store.updateTemplate(SCOPE, 't', () => {
            throw new RangeError('refused');
          }),
          RangeError,
        );
        assert.deepEqual(await store.getTemplate(SCOPE, 't'), makeTemplate('t'));
        await assert.rejects(store.updateTemplate(SCOPE, 'missing', changing({})), /no such template/);
        await assert.rejects(
          store.updateTemplate(OTHER_ACCOUNT, 't', () => ({
            enabled: true,
            provisioningRoleArn: 'arn:aws:iam::123456789012:role/x',
            defaultVersionId: 1,
            lastModifiedDate: T0,
          })),
          (error: unknown) => error instanceof StoreError && error.code === 'RULE_CONTRACT',
        );
      }),
    );

    test(
      'delete: true once, then false; removes the template’s claims in its scope only',
      withRegistry(async ({ registry }) => {
        const templates = registry.provisioningTemplates;
        const claims = registry.provisioningClaims;
        await templates.createTemplate(makeTemplate('t'));
        await templates.createTemplate(makeTemplate('kept'));
        await templates.createTemplate(makeTemplate('t', { ...OTHER_REGION }));
        const certificate = makeRecord('granted', { status: 'ACTIVE' });
        await registry.certificates.insertCertificate(certificate);
        const allow = () => {};
        assert.equal(await claims.grant(SCOPE, certificate.certificateId, 't', T0, allow), true);
        assert.equal(await claims.grant(SCOPE, certificate.certificateId, 'kept', T0, allow), true);
        for (const [scope, id] of [
          [SCOPE, 'a'.repeat(64)],
          [OTHER_REGION, 'b'.repeat(64)],
        ] as const) {
          assert.equal(
            await claims.insertTemporary({
              ...scope,
              certificateId: id,
              certificatePem: 'PEM',
              templateName: 't',
              expiresAt: T0 + 300_000,
              createdAt: T0,
            }),
            true,
          );
        }
        assert.equal(await templates.deleteTemplate(SCOPE, 't'), true);
        assert.equal(await templates.deleteTemplate(SCOPE, 't'), false);
        assert.equal(await templates.getTemplate(SCOPE, 't'), undefined);
        assert.deepEqual(
          (await claims.listClaims(SCOPE, T0)).map((c) => [c.certificateId, c.templateName]),
          [[certificate.certificateId, 'kept']],
        );
        assert.equal((await claims.listClaims(OTHER_REGION, T0)).length, 1, 'the other region keeps its claim');
        await templates.createTemplate(makeTemplate('t'));
        assert.equal(
          (await claims.findByCertificateId(certificate.certificateId, T0))?.templateNames.includes('t'),
          false,
          'a template created again under the name inherits no grant',
        );
      }),
    );
  });
}
