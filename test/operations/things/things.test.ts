import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { certificateArn } from '../../../src/domain/certificates/certificate-record.js';
import { DeleteCertificate } from '../../../src/model/certificates.js';
import {
  AttachThingPrincipal,
  CreateThing,
  DeleteThing,
  DescribeThing,
  DetachThingPrincipal,
  ListPrincipalThings,
  ListThingPrincipals,
  ListThings,
} from '../../../src/model/things.js';
import { certificateIdOf, makeRecord } from '../../registry/certificate-fixtures.js';
import { OTHER_ACCOUNT, OTHER_REGION, openTestService, SCOPE, type TestService } from '../operation-context.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('thing operations', () => {
  let service: TestService;
  let count = 0;

  /** A fresh INACTIVE certificate of `scope` in the registry; returns its ARN. */
  const newCertificate = async (scope = SCOPE) => {
    const record = makeRecord(`thing-ops-${count++}`, { ...scope, ownedBy: scope.accountId });
    await service.registry.certificates.insertCertificate(record);
    return certificateArn(scope, record.certificateId);
  };
  const newThing = async (thingName: string, attributes?: Record<string, string>) =>
    service.call(CreateThing, { thingName, ...(attributes && { attributePayload: { attributes } }) });
  const failure = async (model: Parameters<TestService['failure']>[0], input: Record<string, unknown>) =>
    service.failure(model, input);

  before(async () => {
    service = await openTestService('fleetca-things-');
  });
  after(() => service.close());

  describe('CreateThing and DescribeThing', () => {
    test('creates a thing with a UUID and version 1, described as AWS describes it', async () => {
      const created = await newThing('lamp-1', { color: 'red', 'site.id': 'lyon' });
      assert.deepEqual(Object.keys(created), ['thingName', 'thingArn', 'thingId']);
      assert.equal(created.thingName, 'lamp-1');
      assert.equal(created.thingArn, 'arn:aws:iot:us-east-1:123456789012:thing/lamp-1');
      assert.match(String(created.thingId), UUID);
      const described = await service.call(DescribeThing, { thingName: 'lamp-1' });
      assert.deepEqual(described, {
        defaultClientId: 'lamp-1',
        thingName: 'lamp-1',
        thingId: created.thingId,
        thingArn: created.thingArn,
        thingTypeName: undefined,
        attributes: { color: 'red', 'site.id': 'lyon' },
        version: 1,
      });
      const bare = await newThing('bare');
      assert.deepEqual((await service.call(DescribeThing, { thingName: 'bare' })).attributes, {});
      assert.notEqual(bare.thingId, created.thingId);
    });

    test('the same name and configuration answers the same thing; another configuration is refused', async () => {
      const first = await newThing('again', { a: '1', b: '2' });
      assert.deepEqual(await newThing('again', { b: '2', a: '1' }), first);
      const conflict = await failure(CreateThing, { thingName: 'again', attributePayload: { attributes: { a: '1' } } });
      assert.equal(conflict.code, 'ResourceAlreadyExistsException');
      assert.equal(conflict.status, 409);
      assert.equal(conflict.message, 'Thing again already exists in account with different attributes');
      assert.deepEqual(conflict.details, { resourceId: first.thingId, resourceArn: first.thingArn });
      assert.equal((await failure(CreateThing, { thingName: 'again' })).code, 'ResourceAlreadyExistsException');
    });

    test('thing types and billing groups do not exist in fleetca; more than three attributes need a type', async () => {
      const typed = await failure(CreateThing, { thingName: 'typed', thingTypeName: 'Lamp' });
      assert.equal(typed.code, 'ResourceNotFoundException');
      assert.equal(typed.status, 404);
      const billed = await failure(CreateThing, { thingName: 'billed', billingGroupName: 'group' });
      assert.equal(billed.code, 'ResourceNotFoundException');
      const many = await failure(CreateThing, {
        thingName: 'many',
        attributePayload: { attributes: { a: '1', b: '2', c: '3', d: '4' } },
      });
      assert.equal(many.code, 'InvalidRequestException');
      assert.equal((await failure(DescribeThing, { thingName: 'typed' })).code, 'ResourceNotFoundException');
    });

    test('bad names and attributes are refused with the model constraints, in AWS wording', async () => {
      const spaced = await failure(CreateThing, { thingName: 'bad name' });
      assert.equal(spaced.code, 'InvalidRequestException');
      assert.equal(
        spaced.message,
        "1 validation error detected: Value 'bad name' at 'thingName' failed to satisfy constraint: " +
          'Member must satisfy regular expression pattern: [a-zA-Z0-9:_-]+',
      );
      const long = await failure(CreateThing, { thingName: 'x'.repeat(129) });
      assert.match(long.message, /Member must have length less than or equal to 128/);
      const empty = await failure(CreateThing, { thingName: '' });
      assert.match(empty.message, /Member must have length greater than or equal to 1/);
      const badKey = await failure(CreateThing, {
        thingName: 'ok',
        attributePayload: { attributes: { 'a b': 'c', good: 'v' } },
      });
      assert.equal(
        badKey.message,
        "1 validation error detected: Value '{a b=c, good=v}' at 'attributePayload.attributes' failed to satisfy " +
          'constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: ' +
          '[a-zA-Z0-9_.,@/:#-]+]',
      );
      const badValue = await failure(CreateThing, {
        thingName: 'ok',
        attributePayload: { attributes: { k: 'with space', l: 'v'.repeat(801) } },
      });
      assert.match(
        badValue.message,
        /Map value must satisfy constraint: \[Member must satisfy regular expression pattern: .*, Member must have length less than or equal to 800\]/,
      );
      assert.equal((await failure(DescribeThing, { thingName: 'a/b' })).code, 'InvalidRequestException');
      assert.equal(await service.registry.things.getThing(SCOPE, 'ok'), undefined);
    });

    test('things are per account and region', async () => {
      await newThing('scoped');
      for (const scope of [OTHER_ACCOUNT, OTHER_REGION]) {
        const missing = await service.failure(DescribeThing, { thingName: 'scoped' }, scope);
        assert.equal(missing.code, 'ResourceNotFoundException');
      }
    });
  });

  describe('ListThings', () => {
    let lister: TestService;
    before(async () => {
      lister = await openTestService('fleetca-list-things-');
      for (const [thingName, color] of [
        ['t-c', 'red'],
        ['t-a', 'reddish'],
        ['t-d', 'blue'],
        ['t-b', 'red'],
      ] as const) {
        await lister.call(CreateThing, { thingName, attributePayload: { attributes: { color } } });
      }
    });
    after(() => lister.close());

    test('lists by name, AWS member order, paged with maxResults and nextToken', async () => {
      const all = await lister.call(ListThings, {});
      const things = all.things as Record<string, unknown>[];
      assert.deepEqual(
        things.map((thing) => thing.thingName),
        ['t-a', 't-b', 't-c', 't-d'],
      );
      assert.deepEqual(Object.keys(things[0] ?? {}), [
        'thingName',
        'thingTypeName',
        'thingArn',
        'attributes',
        'version',
      ]);
      assert.equal(all.nextToken, undefined);
      const names: unknown[] = [];
      let nextToken: unknown;
      do {
        const page = await lister.call(ListThings, { maxResults: 3, ...(nextToken !== undefined && { nextToken }) });
        names.push(...(page.things as Record<string, unknown>[]).map((thing) => thing.thingName));
        nextToken = page.nextToken;
      } while (nextToken !== undefined);
      assert.deepEqual(names, ['t-a', 't-b', 't-c', 't-d']);
    });

    test('filters by attribute value, exact or prefix; a thing type nobody has lists nothing', async () => {
      const names = async (input: Record<string, unknown>) =>
        ((await lister.call(ListThings, input)).things as Record<string, unknown>[]).map((thing) => thing.thingName);
      assert.deepEqual(await names({ attributeName: 'color', attributeValue: 'red' }), ['t-b', 't-c']);
      assert.deepEqual(await names({ attributeName: 'color', attributeValue: 'red', usePrefixAttributeValue: true }), [
        't-a',
        't-b',
        't-c',
      ]);
      assert.deepEqual(await names({ thingTypeName: 'Lamp' }), []);
    });

    test('refuses half a filter, a bad token, a token of another listing and page sizes out of range', async () => {
      for (const input of [{ attributeName: 'color' }, { attributeValue: 'red' }]) {
        assert.equal((await lister.failure(ListThings, input)).code, 'InvalidRequestException');
      }
      const bad = await lister.failure(ListThings, { nextToken: 'garbage' });
      assert.equal(bad.code, 'InvalidRequestException');
      const arn = await newCertificate();
      await newThing('token-thing');
      await service.call(AttachThingPrincipal, { thingName: 'token-thing', principal: arn });
      await newThing('token-thing-2');
      await service.call(AttachThingPrincipal, { thingName: 'token-thing-2', principal: arn });
      const page = await service.call(ListPrincipalThings, { principal: arn, maxResults: 1 });
      assert.ok(page.nextToken);
      assert.equal((await lister.failure(ListThings, { nextToken: page.nextToken })).code, 'InvalidRequestException');
      for (const maxResults of [0, 251]) {
        const refused = await lister.failure(ListThings, { maxResults });
        assert.match(refused.message, /at 'maxResults' failed to satisfy constraint/);
      }
    });
  });

  describe('principals', () => {
    test('attach, list both ways, and DeleteCertificate is refused while attached', async () => {
      const arn = await newCertificate();
      const id = arn.slice(arn.lastIndexOf('/') + 1);
      await newThing('device-1');
      await newThing('device-2');
      assert.deepEqual(await service.call(AttachThingPrincipal, { thingName: 'device-1', principal: arn }), {});
      await service.call(AttachThingPrincipal, { thingName: 'device-1', principal: arn });
      await service.call(AttachThingPrincipal, {
        thingName: 'device-2',
        principal: arn,
        thingPrincipalType: 'NON_EXCLUSIVE_THING',
      });
      assert.deepEqual(await service.call(ListThingPrincipals, { thingName: 'device-1' }), {
        principals: [arn],
        nextToken: undefined,
      });
      assert.deepEqual(await service.call(ListPrincipalThings, { principal: arn }), {
        things: ['device-1', 'device-2'],
        nextToken: undefined,
      });
      const conflict = await failure(DeleteCertificate, { certificateId: id, forceDelete: true });
      assert.equal(conflict.code, 'DeleteConflictException');
      assert.equal(conflict.message, `Things must be detached before deletion (arn: ${arn})`);

      await service.call(DetachThingPrincipal, { thingName: 'device-1', principal: arn });
      await service.call(DetachThingPrincipal, { thingName: 'device-1', principal: arn });
      assert.deepEqual((await service.call(ListThingPrincipals, { thingName: 'device-1' })).principals, []);
      await service.call(DetachThingPrincipal, { thingName: 'device-2', principal: arn });
      await service.call(DeleteCertificate, { certificateId: id });
      const gone = await failure(ListPrincipalThings, { principal: arn });
      assert.equal(gone.code, 'ResourceNotFoundException');
    });

    test('an unknown thing or certificate, or a certificate of another account or region, is not found', async () => {
      const arn = await newCertificate();
      const foreign = await newCertificate(OTHER_ACCOUNT);
      const elsewhere = await newCertificate(OTHER_REGION);
      await newThing('target');
      const unknown = `arn:aws:iot:us-east-1:123456789012:cert/${certificateIdOf('never issued')}`;
      const cases: [string, string][] = [
        ['ghost', arn],
        ['target', unknown],
        ['target', foreign],
        ['target', elsewhere],
        ['target', arn.replace('arn:aws:', 'arn:aws-cn:')],
        ['target', `${arn.slice(0, -64)}${'A'.repeat(64)}`],
      ];
      for (const [thingName, principal] of cases) {
        for (const model of [AttachThingPrincipal, DetachThingPrincipal]) {
          const refused = await failure(model, { thingName, principal });
          assert.equal(refused.code, 'ResourceNotFoundException', `${model.name} ${thingName} ${principal}`);
          assert.equal(refused.status, 404);
        }
      }
      for (const principal of [unknown, foreign, elsewhere]) {
        assert.equal((await failure(ListPrincipalThings, { principal })).code, 'ResourceNotFoundException');
      }
      const missingThing = await failure(ListThingPrincipals, { thingName: 'ghost' });
      assert.equal(missingThing.code, 'ResourceNotFoundException');
      assert.equal(
        missingThing.message,
        'Failed to list principals for thing ghost because the thing does not exist in your account',
      );
      assert.deepEqual((await service.call(ListThingPrincipals, { thingName: 'target' })).principals, []);
    });

    test('principals other than certificate ARNs are refused as invalid requests', async () => {
      await newThing('picky');
      for (const principal of [
        'us-east-1:4f9b5e2c-1111-2222-3333-444455556666',
        'arn:aws:iam::123456789012:role/device',
        'arn:aws:iot:us-east-1:123456789012:thinggroup/fleet',
        '',
      ]) {
        for (const model of [AttachThingPrincipal, DetachThingPrincipal]) {
          const refused = await failure(model, { thingName: 'picky', principal });
          assert.equal(refused.code, 'InvalidRequestException', `${model.name} ${principal}`);
        }
        assert.equal((await failure(ListPrincipalThings, { principal })).code, 'InvalidRequestException');
      }
      const missing = await failure(AttachThingPrincipal, { thingName: 'picky' });
      assert.match(missing.message, /Value null at 'principal' failed to satisfy constraint: Member must not be null/);
      const badType = await failure(AttachThingPrincipal, {
        thingName: 'picky',
        principal: await newCertificate(),
        thingPrincipalType: 'SOMETIMES',
      });
      assert.match(badType.message, /Member must satisfy enum value set: \[EXCLUSIVE_THING, NON_EXCLUSIVE_THING\]/);
    });

    test('EXCLUSIVE_THING: refused while the certificate is on another thing, allowed when it is not', async () => {
      const arn = await newCertificate();
      await newThing('only-1');
      await newThing('only-2');
      const exclusive = { principal: arn, thingPrincipalType: 'EXCLUSIVE_THING' };
      await service.call(AttachThingPrincipal, { thingName: 'only-1', ...exclusive });
      await service.call(AttachThingPrincipal, { thingName: 'only-1', ...exclusive });
      const refused = await failure(AttachThingPrincipal, { thingName: 'only-2', ...exclusive });
      assert.equal(refused.code, 'InvalidRequestException');
      assert.deepEqual((await service.call(ListPrincipalThings, { principal: arn })).things, ['only-1']);
    });

    test('ListThingPrincipals and ListPrincipalThings page with maxResults and nextToken', async () => {
      const arns: string[] = [];
      for (let i = 0; i < 3; i++) arns.push(await newCertificate());
      await newThing('paged');
      for (const arn of arns) await service.call(AttachThingPrincipal, { thingName: 'paged', principal: arn });
      const seen: unknown[] = [];
      let nextToken: unknown;
      do {
        const page = await service.call(ListThingPrincipals, {
          thingName: 'paged',
          maxResults: 2,
          ...(nextToken !== undefined && { nextToken }),
        });
        seen.push(...(page.principals as unknown[]));
        nextToken = page.nextToken;
      } while (nextToken !== undefined);
      assert.deepEqual(seen, [...arns].sort());
      const bad = await failure(ListThingPrincipals, { thingName: 'paged', nextToken: 'dDEvdGhpbmdzL3BhZ2Vk' });
      assert.equal(bad.code, 'InvalidRequestException');
    });
  });

  describe('DeleteThing', () => {
    test('deletes; a thing that does not exist is not an error', async () => {
      await newThing('short-lived');
      assert.deepEqual(await service.call(DeleteThing, { thingName: 'short-lived' }), {});
      assert.equal((await failure(DescribeThing, { thingName: 'short-lived' })).code, 'ResourceNotFoundException');
      await service.call(DeleteThing, { thingName: 'short-lived' });
      await service.call(DeleteThing, { thingName: 'never-was', expectedVersion: 3 });
    });

    test('expectedVersion must match the thing version', async () => {
      await newThing('versioned');
      const conflict = await failure(DeleteThing, { thingName: 'versioned', expectedVersion: 2 });
      assert.equal(conflict.code, 'VersionConflictException');
      assert.equal(conflict.status, 409);
      assert.equal(conflict.message, 'The version for thing versioned does not match the expected version.');
      await service.call(DeleteThing, { thingName: 'versioned', expectedVersion: 1 });
      assert.equal(await service.registry.things.getThing(SCOPE, 'versioned'), undefined);
    });

    test('a thing with principals attached is not deleted, as AWS refuses since 2019', async () => {
      const arn = await newCertificate();
      await newThing('attached');
      await service.call(AttachThingPrincipal, { thingName: 'attached', principal: arn });
      const refused = await failure(DeleteThing, { thingName: 'attached' });
      assert.equal(refused.code, 'InvalidRequestException');
      assert.equal(refused.message, 'Cannot delete. Thing attached is still attached to one or more principals');
      await service.call(DetachThingPrincipal, { thingName: 'attached', principal: arn });
      await service.call(DeleteThing, { thingName: 'attached' });
    });

    test('bad names are refused', async () => {
      assert.equal((await failure(DeleteThing, { thingName: 'no spaces' })).code, 'InvalidRequestException');
      assert.equal(
        (await failure(DeleteThing, { thingName: 'x', expectedVersion: 'one' })).code,
        'InvalidRequestException',
      );
    });
  });
});
