import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { deletionRule } from '../../src/domain/certificates/certificate-lifecycle.js';
import type { Scope } from '../../src/domain/scope.js';
import type { ThingRecord } from '../../src/domain/things/thing-record.js';
import type { ThingDeleteRule, ThingPrincipalRule, ThingPrincipalState } from '../../src/domain/things/thing-rules.js';
import type { Registry } from '../../src/registry/registry.js';
import { StoreError } from '../../src/registry/store-error.js';
import type { KeyPage, ThingStore } from '../../src/registry/thing-store.js';
import { certificateIdOf, makeRecord, OTHER_ACCOUNT, OTHER_REGION, SCOPE, T0 } from './certificate-fixtures.js';

/** What an engine hands the suite for one test: a fresh registry, and another connection to it when there is one. */
export interface ThingStoreFixture {
  readonly registry: Registry;
  readonly reopen?: () => Promise<Registry>;
  readonly cleanup: () => Promise<void>;
}

class RefusedError extends Error {
  override readonly name = 'RefusedError';
}

/** A thing of SCOPE without type or attributes; `overrides` replace any field. */
export function makeThing(thingName: string, overrides: Partial<ThingRecord> = {}): ThingRecord {
  return {
    ...SCOPE,
    thingName,
    thingId: `00000000-0000-4000-8000-${certificateIdOf(thingName).slice(0, 12)}`,
    attributes: {},
    version: 1,
    creationDate: T0,
    ...overrides,
  };
}

/** A rule that allows only what exists, and remembers what it was shown. */
function existingOnly(seen: ThingPrincipalState[] = []): ThingPrincipalRule {
  return (state) => {
    seen.push(state);
    if (!state.thing || !state.certificateExists) throw new RefusedError('missing');
  };
}

const DELETE_UNLESS_ATTACHED: ThingDeleteRule = (_current, principals) => {
  if (principals > 0) throw new RefusedError('attached');
};

async function allThingNames(store: ThingStore, scope: Scope, limit: number): Promise<string[]> {
  const names: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await store.listThings(scope, { limit, ...(after !== undefined && { after }) });
    assert.ok(page.records.length <= limit);
    names.push(...page.records.map((thing) => thing.thingName));
    if (page.next === undefined) return names;
    assert.equal(page.next, page.records[page.records.length - 1]?.thingName);
    after = page.next;
  }
}

async function allKeys(list: (after: string | undefined) => Promise<KeyPage | undefined>): Promise<string[]> {
  const keys: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await list(after);
    assert.ok(page);
    keys.push(...page.keys);
    if (page.next === undefined) return keys;
    after = page.next;
  }
}

/** The behaviour every ThingStore must show; each test gets a fresh, empty registry. */
export function thingStoreConformance(name: string, open: () => Promise<ThingStoreFixture>): void {
  const withRegistry = (fn: (fixture: ThingStoreFixture) => Promise<void>) => async () => {
    const fixture = await open();
    try {
      await fn(fixture);
    } finally {
      await fixture.cleanup();
    }
  };
  /** A certificate of `scope` in the registry; returns its id. */
  const addCertificate = async (registry: Registry, seed: string, scope: Scope = SCOPE) => {
    const record = makeRecord(seed, { ...scope, ownedBy: scope.accountId });
    await registry.certificates.insertCertificate(record);
    return record.certificateId;
  };

  describe(`${name}: ThingStore conformance`, () => {
    describe('create and get', () => {
      test(
        'round-trips a thing without and with a type and attributes, keeping the attributes in order',
        withRegistry(async ({ registry }) => {
          const plain = makeThing('plain');
          assert.deepEqual(await registry.things.createThing(plain), { thing: plain, created: true });
          assert.deepEqual(await registry.things.getThing(SCOPE, 'plain'), plain);
          const full = makeThing('full:thing_1-a', {
            thingTypeName: 'Sensor',
            attributes: { zeta: 'last', alpha: '', 'a.b,c@d/e:f#g-h': 'x=[y]' },
            version: 3,
            creationDate: T0 + 5,
          });
          await registry.things.createThing(full);
          const got = await registry.things.getThing(SCOPE, full.thingName);
          assert.deepEqual(got, full);
          assert.deepEqual(Object.keys(got?.attributes ?? {}), ['zeta', 'alpha', 'a.b,c@d/e:f#g-h']);
          assert.ok(!('thingTypeName' in ((await registry.things.getThing(SCOPE, 'plain')) ?? {})));
          assert.equal(await registry.things.getThing(SCOPE, 'absent'), undefined);
        }),
      );

      test(
        'a taken name answers the stored thing, unchanged, and created false',
        withRegistry(async ({ registry }) => {
          const first = makeThing('taken', { attributes: { a: '1' } });
          await registry.things.createThing(first);
          const again = await registry.things.createThing(
            makeThing('taken', { thingId: 'another-id', attributes: { a: '2' }, creationDate: T0 + 9 }),
          );
          assert.deepEqual(again, { thing: first, created: false });
          assert.deepEqual(await registry.things.getThing(SCOPE, 'taken'), first);
        }),
      );

      test(
        'names are per account and region',
        withRegistry(async ({ registry }) => {
          await registry.things.createThing(makeThing('shared'));
          for (const scope of [OTHER_ACCOUNT, OTHER_REGION]) {
            assert.equal(await registry.things.getThing(scope, 'shared'), undefined);
            const other = makeThing('shared', { ...scope, thingId: `id-${scope.region}-${scope.accountId}` });
            assert.equal((await registry.things.createThing(other)).created, true);
            assert.deepEqual(await registry.things.getThing(scope, 'shared'), other);
          }
          assert.equal((await registry.things.getThing(SCOPE, 'shared'))?.thingId, makeThing('shared').thingId);
        }),
      );

      test(
        'concurrent creates of one name, from two connections: one creates, all answer the same thing',
        withRegistry(async ({ registry, reopen }) => {
          const stores = [registry.things, (await (reopen ?? (async () => registry))()).things];
          for (let round = 0; round < 5; round++) {
            const results = await Promise.all(
              Array.from({ length: 6 }, (_, i) =>
                stores[i % 2]?.createThing(makeThing(`race-${round}`, { thingId: `id-${round}-${i}` })),
              ),
            );
            assert.equal(results.filter((r) => r?.created).length, 1, `round ${round}`);
            assert.equal(new Set(results.map((r) => r?.thing.thingId)).size, 1);
          }
        }),
      );
    });

    describe('list', () => {
      test(
        'pages through the scope by name, every thing once, whatever the page size',
        withRegistry(async ({ registry }) => {
          const names = ['b', 'a', 'A', 'a-1', 'a:2', 'a_3', 'z9', '0', 'thing'];
          for (const thingName of names) await registry.things.createThing(makeThing(thingName));
          await registry.things.createThing(makeThing('other', OTHER_ACCOUNT));
          await registry.things.createThing(makeThing('region', OTHER_REGION));
          // Byte order (the C collation on PostgreSQL).
          const expected = [...names].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
          for (const limit of [1, 2, 4, 100])
            assert.deepEqual(await allThingNames(registry.things, SCOPE, limit), expected);
          const first = await registry.things.listThings(SCOPE, { limit: 9 });
          assert.equal(first.next, undefined, 'no next page when the last thing fits');
          assert.deepEqual(await allThingNames(registry.things, OTHER_ACCOUNT, 5), ['other']);
          assert.deepEqual((await registry.things.listThings(SCOPE, { limit: 5, after: 'zzz' })).records, []);
        }),
      );

      test(
        'filters by thing type and by attribute value, exact or prefix',
        withRegistry(async ({ registry }) => {
          const things = [
            makeThing('t1', { thingTypeName: 'Lamp', attributes: { color: 'red', 'site.id': 'lyon-3' } }),
            makeThing('t2', { attributes: { color: 'reddish' } }),
            makeThing('t3', { thingTypeName: 'Lamp', attributes: { colour: 'red' } }),
            makeThing('t4', { thingTypeName: 'Switch', attributes: { color: 'red', 'site.id': 'lyon' } }),
          ];
          for (const thing of things) await registry.things.createThing(thing);
          const names = async (query: Parameters<ThingStore['listThings']>[1]) =>
            (await registry.things.listThings(SCOPE, query)).records.map((thing) => thing.thingName);
          assert.deepEqual(await names({ limit: 10, thingTypeName: 'Lamp' }), ['t1', 't3']);
          assert.deepEqual(await names({ limit: 10, attribute: { name: 'color', value: 'red', prefix: false } }), [
            't1',
            't4',
          ]);
          assert.deepEqual(await names({ limit: 10, attribute: { name: 'color', value: 'red', prefix: true } }), [
            't1',
            't2',
            't4',
          ]);
          assert.deepEqual(await names({ limit: 10, attribute: { name: 'site.id', value: 'lyon', prefix: false } }), [
            't4',
          ]);
          assert.deepEqual(
            await names({
              limit: 10,
              thingTypeName: 'Lamp',
              attribute: { name: 'color', value: 'red', prefix: false },
            }),
            ['t1'],
          );
          // A name that would be a path or quoting in JSON syntax is just a name.
          assert.deepEqual(await names({ limit: 10, attribute: { name: '$.color', value: 'red', prefix: false } }), []);
          const filtered = await registry.things.listThings(SCOPE, {
            limit: 1,
            attribute: { name: 'color', value: 'red', prefix: true },
          });
          assert.equal(filtered.next, 't1');
          assert.deepEqual(
            await names({ limit: 5, after: 't1', attribute: { name: 'color', value: 'red', prefix: true } }),
            ['t2', 't4'],
          );
        }),
      );

      test(
        'refuses a page size that is not a positive integer',
        withRegistry(async ({ registry }) => {
          for (const limit of [0, -1, 1.5])
            await assert.rejects(registry.things.listThings(SCOPE, { limit }), RangeError);
        }),
      );
    });

    describe('delete', () => {
      test(
        'the rule sees the thing and its principal count; a refusal keeps the thing; a missing thing is no deletion',
        withRegistry(async ({ registry }) => {
          const thing = makeThing('doomed', { version: 4 });
          await registry.things.createThing(thing);
          const seen: [ThingRecord | undefined, number][] = [];
          await assert.rejects(
            registry.things.deleteThing(SCOPE, 'doomed', (current, principals) => {
              seen.push([current, principals]);
              throw new RefusedError('no');
            }),
            RefusedError,
          );
          assert.deepEqual(seen, [[thing, 0]]);
          assert.deepEqual(await registry.things.getThing(SCOPE, 'doomed'), thing);
          assert.equal(await registry.things.deleteThing(SCOPE, 'doomed', DELETE_UNLESS_ATTACHED), true);
          assert.equal(await registry.things.getThing(SCOPE, 'doomed'), undefined);
          let missing: unknown = 'not called';
          assert.equal(
            await registry.things.deleteThing(SCOPE, 'doomed', (current) => {
              missing = current;
            }),
            false,
          );
          assert.equal(missing, undefined);
        }),
      );

      test(
        'a thing with principals: the rule is told, and a rule that lets it through is a contract error',
        withRegistry(async ({ registry }) => {
          await registry.things.createThing(makeThing('held'));
          const id = await addCertificate(registry, 'held-cert');
          await registry.things.attachPrincipal(SCOPE, 'held', id, existingOnly());
          await assert.rejects(registry.things.deleteThing(SCOPE, 'held', DELETE_UNLESS_ATTACHED), RefusedError);
          await assert.rejects(
            registry.things.deleteThing(SCOPE, 'held', () => {}),
            (error: unknown) => error instanceof StoreError && error.code === 'RULE_CONTRACT',
          );
          assert.ok(await registry.things.getThing(SCOPE, 'held'));
        }),
      );
    });

    describe('principals', () => {
      test(
        'attach: the rule sees both ends; attaching twice changes nothing; both listings show it',
        withRegistry(async ({ registry }) => {
          const thing = makeThing('device');
          await registry.things.createThing(thing);
          await registry.things.createThing(makeThing('spare'));
          const id = await addCertificate(registry, 'device-cert');
          const seen: ThingPrincipalState[] = [];
          await registry.things.attachPrincipal(SCOPE, 'device', id, existingOnly(seen));
          await registry.things.attachPrincipal(SCOPE, 'device', id, existingOnly(seen));
          await registry.things.attachPrincipal(SCOPE, 'spare', id, existingOnly(seen));
          assert.deepEqual(seen, [
            { thing, certificateExists: true, attached: false, otherThings: 0 },
            { thing, certificateExists: true, attached: true, otherThings: 0 },
            { thing: makeThing('spare'), certificateExists: true, attached: false, otherThings: 1 },
          ]);
          assert.deepEqual(await registry.things.listThingPrincipals(SCOPE, 'device', { limit: 10 }), { keys: [id] });
          assert.deepEqual(await registry.things.listPrincipalThings(SCOPE, id, { limit: 10 }), {
            keys: ['device', 'spare'],
          });
        }),
      );

      test(
        'attach: a missing thing or certificate reaches the rule, and nothing is written',
        withRegistry(async ({ registry }) => {
          await registry.things.createThing(makeThing('lonely'));
          const id = await addCertificate(registry, 'lonely-cert');
          const foreign = await addCertificate(registry, 'foreign-cert', OTHER_ACCOUNT);
          const seen: ThingPrincipalState[] = [];
          const attempts: [string, string][] = [
            ['ghost', id],
            ['lonely', certificateIdOf('no such certificate')],
            ['lonely', foreign],
          ];
          for (const [thingName, certificateId] of attempts) {
            await assert.rejects(
              registry.things.attachPrincipal(SCOPE, thingName, certificateId, existingOnly(seen)),
              RefusedError,
            );
          }
          assert.deepEqual(
            seen.map((state) => [state.thing?.thingName, state.certificateExists]),
            [
              [undefined, true],
              ['lonely', false],
              ['lonely', false],
            ],
          );
          assert.deepEqual(await registry.things.listThingPrincipals(SCOPE, 'lonely', { limit: 10 }), { keys: [] });
          assert.deepEqual(await registry.things.listPrincipalThings(SCOPE, id, { limit: 10 }), { keys: [] });
          await assert.rejects(
            registry.things.attachPrincipal(SCOPE, 'ghost', id, () => {}),
            (error: unknown) => error instanceof StoreError && error.code === 'RULE_CONTRACT',
          );
          assert.deepEqual(await registry.things.listPrincipalThings(SCOPE, id, { limit: 10 }), { keys: [] });
        }),
      );

      test(
        'detach: true when attached, false (and nothing changed) when not; a refusing rule keeps the attachment',
        withRegistry(async ({ registry }) => {
          await registry.things.createThing(makeThing('device'));
          const id = await addCertificate(registry, 'device-cert');
          await registry.things.attachPrincipal(SCOPE, 'device', id, existingOnly());
          await assert.rejects(
            registry.things.detachPrincipal(SCOPE, 'device', id, () => {
              throw new RefusedError('no');
            }),
            RefusedError,
          );
          const seen: ThingPrincipalState[] = [];
          assert.equal(await registry.things.detachPrincipal(SCOPE, 'device', id, existingOnly(seen)), true);
          assert.equal(await registry.things.detachPrincipal(SCOPE, 'device', id, existingOnly(seen)), false);
          assert.deepEqual(
            seen.map((state) => state.attached),
            [true, false],
          );
          assert.deepEqual(await registry.things.listThingPrincipals(SCOPE, 'device', { limit: 10 }), { keys: [] });
          await assert.rejects(registry.things.detachPrincipal(SCOPE, 'ghost', id, existingOnly()), RefusedError);
        }),
      );

      test(
        'listings page in key order, and are undefined for a missing thing or certificate',
        withRegistry(async ({ registry }) => {
          const ids: string[] = [];
          for (let i = 0; i < 5; i++) ids.push(await addCertificate(registry, `cert-${i}`));
          const names = ['n-3', 'n-1', 'n-2', 'N-0'];
          for (const thingName of names) {
            await registry.things.createThing(makeThing(thingName));
            await registry.things.attachPrincipal(SCOPE, thingName, ids[0] as string, existingOnly());
          }
          for (const id of ids) await registry.things.attachPrincipal(SCOPE, 'n-1', id, existingOnly());
          for (const limit of [1, 2, 10]) {
            assert.deepEqual(
              await allKeys((after) =>
                registry.things.listThingPrincipals(SCOPE, 'n-1', { limit, ...(after !== undefined && { after }) }),
              ),
              [...ids].sort(),
            );
            assert.deepEqual(
              await allKeys((after) =>
                registry.things.listPrincipalThings(SCOPE, ids[0] as string, {
                  limit,
                  ...(after !== undefined && { after }),
                }),
              ),
              ['N-0', 'n-1', 'n-2', 'n-3'],
            );
          }
          assert.equal(await registry.things.listThingPrincipals(SCOPE, 'ghost', { limit: 10 }), undefined);
          assert.equal(await registry.things.listThingPrincipals(OTHER_ACCOUNT, 'n-1', { limit: 10 }), undefined);
          assert.equal(
            await registry.things.listPrincipalThings(SCOPE, certificateIdOf('nothing'), { limit: 10 }),
            undefined,
          );
          assert.equal(
            await registry.things.listPrincipalThings(OTHER_REGION, ids[0] as string, { limit: 10 }),
            undefined,
          );
          await assert.rejects(registry.things.listThingPrincipals(SCOPE, 'n-1', { limit: 0 }), RangeError);
        }),
      );

      test(
        'a certificate attached to a thing cannot be deleted (the certificate store counts it), and can once detached',
        withRegistry(async ({ registry }) => {
          await registry.things.createThing(makeThing('device'));
          const id = await addCertificate(registry, 'device-cert');
          await registry.things.attachPrincipal(SCOPE, 'device', id, existingOnly());
          await assert.rejects(registry.certificates.deleteCertificate(SCOPE, id, deletionRule(id, true)), {
            name: 'ServiceError',
            code: 'DeleteConflictException',
          });
          await registry.things.detachPrincipal(SCOPE, 'device', id, existingOnly());
          await registry.certificates.deleteCertificate(SCOPE, id, deletionRule(id, false));
          assert.equal(await registry.certificates.getCertificate(SCOPE, id), undefined);
          assert.equal(await registry.things.listPrincipalThings(SCOPE, id, { limit: 10 }), undefined);
        }),
      );

      test(
        'attach racing a thing deletion, from two connections: never an attachment to a deleted thing',
        withRegistry(async ({ registry, reopen }) => {
          const other = reopen ? await reopen() : registry;
          const id = await addCertificate(registry, 'race-cert');
          for (let round = 0; round < 10; round++) {
            const thingName = `race-${round}`;
            await registry.things.createThing(makeThing(thingName));
            const [attach, remove] = await Promise.allSettled([
              registry.things.attachPrincipal(SCOPE, thingName, id, existingOnly()),
              other.things.deleteThing(SCOPE, thingName, DELETE_UNLESS_ATTACHED),
            ]);
            const thing = await registry.things.getThing(SCOPE, thingName);
            const attachedTo = (await registry.things.listPrincipalThings(SCOPE, id, { limit: 50 }))?.keys ?? [];
            if (thing === undefined) {
              assert.equal(remove.status, 'fulfilled');
              assert.equal(attach.status, 'rejected');
              assert.ok(!attachedTo.includes(thingName), `round ${round}: attached to a deleted thing`);
            } else {
              assert.equal(attach.status, 'fulfilled');
              assert.equal(remove.status, 'rejected');
              assert.ok(attachedTo.includes(thingName));
            }
          }
        }),
      );

      test(
        'attach racing the certificate deletion: either the attachment or the certificate, never a dangling row',
        withRegistry(async ({ registry, reopen }) => {
          const other = reopen ? await reopen() : registry;
          await registry.things.createThing(makeThing('device'));
          for (let round = 0; round < 10; round++) {
            const id = await addCertificate(registry, `doomed-cert-${round}`);
            const [attach, remove] = await Promise.allSettled([
              registry.things.attachPrincipal(SCOPE, 'device', id, existingOnly()),
              other.certificates.deleteCertificate(SCOPE, id, deletionRule(id, false)),
            ]);
            const certificate = await registry.certificates.getCertificate(SCOPE, id);
            const principals = (await registry.things.listThingPrincipals(SCOPE, 'device', { limit: 50 }))?.keys ?? [];
            assert.equal(attach.status === 'fulfilled', remove.status === 'rejected', `round ${round}`);
            assert.equal(certificate !== undefined, principals.includes(id), `round ${round}`);
          }
        }),
      );
    });
  });
}
