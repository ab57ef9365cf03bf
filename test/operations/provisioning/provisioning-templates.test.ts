import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateProvisioningTemplate,
  DeleteProvisioningTemplate,
  DescribeProvisioningTemplate,
  ListProvisioningTemplates,
  UpdateProvisioningTemplate,
} from '../../../src/model/provisioning.js';
import { FLEET_BODY } from '../../registry/provisioning-template-store-conformance.js';
import { OTHER_ACCOUNT, OTHER_REGION, openTestService, type TestService } from '../operation-context.js';

const ROLE = 'arn:aws:iam::123456789012:role/FleetProvisioningRole';
const HOOK = {
  targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:pre-provisioning-hook',
  payloadVersion: '2020-04-01',
};

describe('provisioning template operations', () => {
  let service: TestService;
  before(async () => {
    service = await openTestService('fleetca-templates-');
  });
  after(() => service.close());

  const create = (templateName: string, extra: Record<string, unknown> = {}) =>
    service.call(CreateProvisioningTemplate, {
      templateName,
      templateBody: FLEET_BODY,
      provisioningRoleArn: ROLE,
      ...extra,
    });
  const describeTemplate = (templateName: string) => service.call(DescribeProvisioningTemplate, { templateName });

  test('create then describe: every member as given, in model order; defaults for the rest', async () => {
    const before = Date.now();
    const created = await create('FullTemplate', {
      description: 'A fleet template',
      enabled: true,
      preProvisioningHook: HOOK,
      tags: [{ Key: 'team', Value: 'devices' }],
    });
    assert.deepEqual(created, {
      templateArn: 'arn:aws:iot:us-east-1:123456789012:provisioningtemplate/FullTemplate',
      templateName: 'FullTemplate',
      defaultVersionId: 1,
    });
    const described = await describeTemplate('FullTemplate');
    assert.deepEqual(Object.keys(described), [
      'templateArn',
      'templateName',
      'description',
      'creationDate',
      'lastModifiedDate',
      'defaultVersionId',
      'templateBody',
      'enabled',
      'provisioningRoleArn',
      'preProvisioningHook',
      'type',
    ]);
    assert.equal(described.templateBody, FLEET_BODY);
    assert.equal(described.enabled, true);
    assert.equal(described.provisioningRoleArn, ROLE);
    assert.deepEqual(described.preProvisioningHook, HOOK);
    assert.equal(described.type, 'FLEET_PROVISIONING');
    assert.ok((described.creationDate as number) >= before);
    assert.equal(described.lastModifiedDate, described.creationDate);

    await create('Minimal');
    const minimal = await describeTemplate('Minimal');
    assert.equal(minimal.enabled, false, 'disabled unless enabled is given');
    assert.equal(minimal.type, 'FLEET_PROVISIONING');
    assert.equal(minimal.defaultVersionId, 1);
    assert.ok(!('description' in minimal) && !('preProvisioningHook' in minimal));

    await create('JitpTemplate', { type: 'JITP' });
    assert.equal((await describeTemplate('JitpTemplate')).type, 'JITP');
  });

  test('a template body the template engine refuses is InvalidRequestException with its message', async () => {
    for (const body of ['{not json', '', '[1, 2]']) {
      const error = await service.failure(CreateProvisioningTemplate, {
        templateName: 'Broken',
        templateBody: body,
        provisioningRoleArn: ROLE,
      });
      assert.equal(error.code, 'InvalidRequestException');
      assert.ok(error.message.length > 0);
      assert.doesNotMatch(error.message, /validation error/);
    }
    const notJson = await service.failure(CreateProvisioningTemplate, {
      templateName: 'Broken',
      templateBody: '{not json',
      provisioningRoleArn: ROLE,
    });
    assert.match(notJson.message, /JSON/);
    assert.equal(
      (await service.failure(DescribeProvisioningTemplate, { templateName: 'Broken' })).code,
      'ResourceNotFoundException',
    );
  });

  test('a duplicate name is ResourceAlreadyExistsException (AWS wording); other scopes are independent', async () => {
    await create('Dup');
    const error = await service.failure(CreateProvisioningTemplate, {
      templateName: 'Dup',
      templateBody: FLEET_BODY,
      provisioningRoleArn: ROLE,
    });
    assert.equal(error.code, 'ResourceAlreadyExistsException');
    assert.equal(error.message, 'Template with name Dup already exists');
    assert.deepEqual(error.details, {
      resourceId: 'Dup',
      resourceArn: 'arn:aws:iot:us-east-1:123456789012:provisioningtemplate/Dup',
    });
    for (const scope of [OTHER_ACCOUNT, OTHER_REGION]) {
      const input = { templateName: 'Dup', templateBody: FLEET_BODY, provisioningRoleArn: ROLE };
      assert.equal((await service.call(CreateProvisioningTemplate, input, scope)).templateName, 'Dup');
    }
  });

  test('bad names and missing members: the model’s validation messages', async () => {
    const cases: [unknown, RegExp][] = [
      [
        'has space',
        /Value 'has space' at 'templateName' failed to satisfy constraint: Member must satisfy regular expression pattern: \^\[0-9A-Za-z_-\]\+\$/,
      ],
      [
        'a'.repeat(37),
        /at 'templateName' failed to satisfy constraint: Member must have length less than or equal to 36/,
      ],
      ['', /at 'templateName' failed to satisfy constraint: Member must have length greater than or equal to 1/],
      ['slash/name', /regular expression pattern/],
    ];
    for (const [templateName, message] of cases) {
      const error = await service.failure(CreateProvisioningTemplate, {
        templateName,
        templateBody: FLEET_BODY,
        provisioningRoleArn: ROLE,
      });
      assert.equal(error.code, 'InvalidRequestException');
      assert.match(error.message, message);
      assert.equal(
        (await service.failure(DescribeProvisioningTemplate, { templateName })).code,
        'InvalidRequestException',
      );
    }
    const missing = await service.failure(CreateProvisioningTemplate, {
      templateName: 'NoRole',
      templateBody: FLEET_BODY,
    });
    assert.equal(
      missing.message,
      "1 validation error detected: Value null at 'provisioningRoleArn' failed to satisfy constraint: Member must not be null",
    );
    const shortRole = await service.failure(CreateProvisioningTemplate, {
      templateName: 'ShortRole',
      templateBody: FLEET_BODY,
      provisioningRoleArn: 'arn:short',
    });
    assert.match(
      shortRole.message,
      /at 'provisioningRoleArn' failed to satisfy constraint: Member must have length greater than or equal to 20/,
    );
    const badType = await service.failure(CreateProvisioningTemplate, {
      templateName: 'BadType',
      templateBody: FLEET_BODY,
      provisioningRoleArn: ROLE,
      type: 'OTHER',
    });
    assert.match(badType.message, /Member must satisfy enum value set: \[FLEET_PROVISIONING, JITP\]/);
    const badHook = await service.failure(CreateProvisioningTemplate, {
      templateName: 'BadHook',
      templateBody: FLEET_BODY,
      provisioningRoleArn: ROLE,
      preProvisioningHook: { payloadVersion: 'v1' },
    });
    assert.match(
      badHook.message,
      /'preProvisioningHook.payloadVersion'.*; Value null at 'preProvisioningHook.targetArn'/,
    );
  });

  test('a pre-provisioning hook is refused on a JITP template', async () => {
    const error = await service.failure(CreateProvisioningTemplate, {
      templateName: 'JitpHook',
      templateBody: FLEET_BODY,
      provisioningRoleArn: ROLE,
      type: 'JITP',
      preProvisioningHook: HOOK,
    });
    assert.equal(error.code, 'InvalidRequestException');
    assert.match(error.message, /FLEET_PROVISIONING/);
  });

  test('unknown templates: ResourceNotFoundException from describe, update and delete', async () => {
    for (const [model, input] of [
      [DescribeProvisioningTemplate, { templateName: 'Nope' }],
      [UpdateProvisioningTemplate, { templateName: 'Nope', enabled: true }],
      [DeleteProvisioningTemplate, { templateName: 'Nope' }],
    ] as const) {
      const error = await service.failure(model, input);
      assert.equal(error.code, 'ResourceNotFoundException');
      assert.equal(error.message, 'Template Nope does not exist');
    }
  });

  test('update changes the members given, keeps the others, and moves lastModifiedDate', async () => {
    await create('Updatable', { description: 'first', preProvisioningHook: HOOK });
    const original = await describeTemplate('Updatable');
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.deepEqual(await service.call(UpdateProvisioningTemplate, { templateName: 'Updatable', enabled: true }), {});
    const enabled = await describeTemplate('Updatable');
    assert.equal(enabled.enabled, true);
    assert.equal(enabled.description, 'first');
    assert.deepEqual(enabled.preProvisioningHook, HOOK);
    assert.equal(enabled.creationDate, original.creationDate);
    assert.ok((enabled.lastModifiedDate as number) > (original.lastModifiedDate as number));

    await service.call(UpdateProvisioningTemplate, {
      templateName: 'Updatable',
      description: 'second',
      provisioningRoleArn: 'arn:aws:iam::123456789012:role/Other',
      removePreProvisioningHook: true,
      defaultVersionId: 1,
    });
    const changed = await describeTemplate('Updatable');
    assert.equal(changed.description, 'second');
    assert.equal(changed.provisioningRoleArn, 'arn:aws:iam::123456789012:role/Other');
    assert.ok(!('preProvisioningHook' in changed));
    assert.equal(changed.templateBody, FLEET_BODY);
    assert.equal(changed.enabled, true);

    const both = await service.failure(UpdateProvisioningTemplate, {
      templateName: 'Updatable',
      preProvisioningHook: HOOK,
      removePreProvisioningHook: true,
    });
    assert.equal(both.code, 'InvalidRequestException');
    const version = await service.failure(UpdateProvisioningTemplate, {
      templateName: 'Updatable',
      defaultVersionId: 2,
    });
    assert.equal(version.code, 'ResourceNotFoundException');
    assert.equal(version.message, 'Version 2 of template Updatable does not exist');

    await create('JitpNoHook', { type: 'JITP' });
    const jitp = await service.failure(UpdateProvisioningTemplate, {
      templateName: 'JitpNoHook',
      preProvisioningHook: HOOK,
    });
    assert.equal(jitp.code, 'InvalidRequestException');
  });

  test('delete: gone afterwards, and the name can be used again', async () => {
    await create('Doomed', { description: 'old' });
    assert.deepEqual(await service.call(DeleteProvisioningTemplate, { templateName: 'Doomed' }), {});
    assert.equal(
      (await service.failure(DescribeProvisioningTemplate, { templateName: 'Doomed' })).code,
      'ResourceNotFoundException',
    );
    await create('Doomed');
    assert.ok(!('description' in (await describeTemplate('Doomed'))));
  });

  test('list: summaries by name across pages with nextToken, one account and region only', async () => {
    const names = ['List-c', 'List-a', 'List-b', 'List-e', 'List-d'];
    for (const name of names) await create(name, { description: `about ${name}` });
    await service.call(
      CreateProvisioningTemplate,
      { templateName: 'List-x', templateBody: FLEET_BODY, provisioningRoleArn: ROLE },
      OTHER_REGION,
    );
    const all: Record<string, unknown>[] = [];
    let nextToken: string | undefined;
    do {
      const page = await service.call(ListProvisioningTemplates, { maxResults: 2, ...(nextToken && { nextToken }) });
      const templates = page.templates as Record<string, unknown>[];
      assert.ok(templates.length <= 2);
      all.push(...templates);
      nextToken = page.nextToken as string | undefined;
    } while (nextToken !== undefined);
    const listed = all.map((t) => t.templateName as string);
    assert.deepEqual(listed, [...listed].sort(), 'by name');
    assert.deepEqual(
      listed.filter((name) => name.startsWith('List-')),
      ['List-a', 'List-b', 'List-c', 'List-d', 'List-e'],
    );
    const summary = all.find((t) => t.templateName === 'List-a');
    assert.deepEqual(Object.keys(summary ?? {}), [
      'templateArn',
      'templateName',
      'description',
      'creationDate',
      'lastModifiedDate',
      'enabled',
      'type',
    ]);
    const other = await service.call(ListProvisioningTemplates, {}, OTHER_REGION);
    assert.deepEqual(
      (other.templates as { templateName: string }[]).map((t) => t.templateName),
      ['Dup', 'List-x'],
    );
    const bad = await service.failure(ListProvisioningTemplates, { nextToken: 'garbage' });
    assert.equal(bad.code, 'InvalidRequestException');
    const tooMany = await service.failure(ListProvisioningTemplates, { maxResults: 251 });
    assert.match(
      tooMany.message,
      /at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 250/,
    );
  });
});
