import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import type { CertificateRecord } from '../../src/domain/certificates/certificate-record.js';
import { policyCreationRule } from '../../src/domain/policies/policy-lifecycle.js';
import type { ThingToProvision } from '../../src/domain/provisioning/provisioned-thing.js';
import { registrationRules } from '../../src/domain/provisioning/registration-rules.js';
import type { Scope } from '../../src/domain/scope.js';
import type { ThingRecord } from '../../src/domain/things/thing-record.js';
import { sweepExpiredOwnership } from '../../src/provisioning/ownership-sweeper.js';
import type { ProvisionedPolicy, Registration } from '../../src/registry/provisioning-store.js';
import type { Registry } from '../../src/registry/registry.js';
import type { RegistryChange } from '../../src/registry/registry-changes.js';
import { eventually } from '../helpers/eventually.js';
import { makeRecord, SCOPE, T0 } from './certificate-fixtures.js';

/** Reads what a registration wrote, straight from the tables (not through the stores under test). */
export interface ProvisioningInspector {
  thing(scope: Scope, thingName: string): Promise<ThingRecord | undefined>;
  /** The certificate's attachments as `kind:name`, sorted. */
  attachments(scope: Scope, certificateId: string): Promise<readonly string[]>;
  /** The token row's redeemed_at: null when unredeemed, undefined when there is no row. */
  redeemedAt(scope: Scope, certificateId: string): Promise<number | null | undefined>;
}

/** What an engine hands the suite for one test: a registry on fresh, empty storage. */
export interface ProvisioningFixture {
  readonly registry: Registry;
  /** Another registry on the same storage (its own connection or pool). */
  readonly second: () => Promise<Registry>;
  readonly inspect: ProvisioningInspector;
  readonly cleanup: () => Promise<void>;
}

const NOW = T0 + 86_400_000;
const HOUR = 3_600_000;

/** Seeds no other test (nor a test file running alongside on the same database) uses. */
const unique = (label: string) => `${label}-${randomBytes(6).toString('hex')}`;

function thingAsked(name: string, overrides: Partial<ThingToProvision> = {}): ThingToProvision {
  return { name, attributes: {}, attributesOverride: 'DO_NOTHING', thingTypeOverride: 'DO_NOTHING', ...overrides };
}

/** A policy document naming `name`, so that different policies have different documents. */
const policyDocument = (name: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: name }] });

/** Policies given inline (AWS::IoT::Policy with a PolicyDocument), each under its own name. */
function inline(...names: string[]): ProvisionedPolicy[] {
  return names.map((name) => ({ name, document: policyDocument(name) }));
}

function registrationOf(certificateId: string, overrides: Partial<Registration> = {}): Registration {
  return { certificateId, now: NOW, policies: [], ...overrides };
}

/** A certificate as created over MQTT: PENDING_ACTIVATION, with its token (unless `token: false`). */
async function pendingCertificate(
  registry: Registry,
  label: string,
  options: { status?: CertificateRecord['status']; expiresAt?: number; token?: boolean } = {},
): Promise<CertificateRecord> {
  const record = makeRecord(unique(label), { status: options.status ?? 'PENDING_ACTIVATION' });
  if (options.token !== false) {
    await registry.ownershipTokens.record(SCOPE, record.certificateId, options.expiresAt ?? NOW + HOUR);
  }
  await registry.certificates.insertCertificate(record);
  return record;
}

/** Collects the certificate changes `registry` hears about the given ids; waits for one to arrive. */
function listen(registry: Registry) {
  const heard: RegistryChange[] = [];
  const waiters: { predicate: (change: RegistryChange) => boolean; resolve: () => void }[] = [];
  const unsubscribe = registry.changes.subscribe((change) => {
    heard.push(change);
    for (const waiter of [...waiters]) {
      if (!waiter.predicate(change)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  });
  const about = (id: string) => heard.filter((c) => c.kind === 'certificate' && c.certificateId === id);
  return {
    about,
    unsubscribe,
    /** Resolves once a change about `id` (with `status`, when given) is heard. */
    until(id: string, status?: string, ms = 2000): Promise<void> {
      const predicate = (c: RegistryChange) =>
        c.kind === 'certificate' && c.certificateId === id && (status === undefined || c.status === status);
      if (heard.some(predicate)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no change about ${id} within ${ms} ms`)), ms);
        waiters.push({
          predicate,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
  };
}

/** The behaviour every ProvisioningStore must show, with the ownership sweeper on the same engine. */
export function provisioningStoreConformance(name: string, open: () => Promise<ProvisioningFixture>): void {
  const withFixture = (fn: (fixture: ProvisioningFixture) => Promise<void>) => async () => {
    const fixture = await open();
    try {
      await fn(fixture);
    } finally {
      await fixture.cleanup();
    }
  };

  /** A refused registration wrote nothing: certificate as it was, no attachment, token unredeemed. */
  async function assertUntouched({ registry, inspect }: ProvisioningFixture, before: CertificateRecord) {
    assert.deepEqual(await registry.certificates.getCertificate(SCOPE, before.certificateId), before);
    assert.deepEqual(await inspect.attachments(SCOPE, before.certificateId), []);
    const redeemed = await inspect.redeemedAt(SCOPE, before.certificateId);
    assert.ok(redeemed === null || redeemed === undefined, `token redeemed at ${redeemed}`);
    // No policy the refused registration would have created.
    assert.equal(await registry.policies.getPolicy(SCOPE, 'policy'), undefined);
  }

  /** An existing thing, made by a first registration. */
  async function existingThing(fx: ProvisioningFixture, asked: ThingToProvision): Promise<ThingRecord> {
    const first = await pendingCertificate(fx.registry, 'first');
    const outcome = await fx.registry.provisioning.register(
      SCOPE,
      registrationOf(first.certificateId, { thing: asked }),
      registrationRules,
    );
    assert.deepEqual(outcome, { applied: true });
    const thing = await fx.inspect.thing(SCOPE, asked.name);
    assert.ok(thing);
    return thing;
  }

  describe(`${name}: ProvisioningStore conformance`, () => {
    test(
      'a registration creates the thing, attaches it and the policies, sets the status and redeems the token',
      withFixture(async (fx) => {
        const { registry, inspect } = fx;
        const certificate = await pendingCertificate(registry, 'device');
        const thingName = unique('thing');
        const outcome = await registry.provisioning.register(
          SCOPE,
          registrationOf(certificate.certificateId, {
            thing: thingAsked(thingName, { attributes: { serial: 'S1', model: 'M' }, thingTypeName: 'sensor' }),
            certificateStatus: 'ACTIVE',
            policies: inline('device-policy', 'telemetry'),
          }),
          registrationRules,
        );
        assert.deepEqual(outcome, { applied: true });

        const thing = await inspect.thing(SCOPE, thingName);
        assert.ok(thing);
        assert.match(thing.thingId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        assert.deepEqual(thing, {
          ...SCOPE,
          thingName,
          thingId: thing.thingId,
          thingTypeName: 'sensor',
          attributes: { serial: 'S1', model: 'M' },
          version: 1,
          creationDate: NOW,
        });
        assert.deepEqual(await inspect.attachments(SCOPE, certificate.certificateId), [
          'policy:device-policy',
          'policy:telemetry',
          `thing:${thingName}`,
        ]);
        // The inline policies are real policies: version 1, the default, with the template's document.
        const created = await registry.policies.getPolicy(SCOPE, 'device-policy');
        assert.equal(created?.document, policyDocument('device-policy'));
        assert.equal(created?.policy.defaultVersionId, '1');
        assert.equal(created?.policy.creationDate, NOW);
        assert.deepEqual(
          (await registry.policies.effectivePolicies(SCOPE, certificate.certificateId)).map((p) => p.policyName),
          ['device-policy', 'telemetry'],
        );
        const after = await registry.certificates.getCertificate(SCOPE, certificate.certificateId);
        assert.ok(after);
        assert.equal(after.status, 'ACTIVE');
        assert.equal(after.customerVersion, certificate.customerVersion + 1);
        assert.equal(after.lastModifiedDate, NOW);
        assert.notEqual(after.generationId, certificate.generationId);
        assert.equal(await inspect.redeemedAt(SCOPE, certificate.certificateId), NOW);
      }),
    );

    test(
      'a registration without thing or status only attaches policies and redeems the token',
      withFixture(async (fx) => {
        const certificate = await pendingCertificate(fx.registry, 'bare');
        const outcome = await fx.registry.provisioning.register(
          SCOPE,
          registrationOf(certificate.certificateId, { policies: inline('p', 'p') }),
          registrationRules,
        );
        assert.deepEqual(outcome, { applied: true });
        assert.deepEqual(await fx.inspect.attachments(SCOPE, certificate.certificateId), ['policy:p']);
        assert.deepEqual(await fx.registry.certificates.getCertificate(SCOPE, certificate.certificateId), certificate);
        assert.equal(await fx.inspect.redeemedAt(SCOPE, certificate.certificateId), NOW);
      }),
    );

    test(
      'a named policy must exist: it is attached as it is, and a missing one refuses the whole registration',
      withFixture(async (fx) => {
        const { registry } = fx;
        await registry.policies.createPolicy(
          {
            ...SCOPE,
            policyName: 'named',
            defaultVersionId: '1',
            creationDate: T0,
            lastModifiedDate: T0,
            generationId: 'g',
          },
          policyDocument('stored'),
          policyCreationRule(SCOPE, 'named'),
        );
        const attached = await pendingCertificate(registry, 'named-policy');
        const outcome = await registry.provisioning.register(
          SCOPE,
          registrationOf(attached.certificateId, { policies: [{ name: 'named' }, ...inline('named')] }),
          registrationRules,
        );
        assert.deepEqual(outcome, { applied: true });
        assert.deepEqual(await fx.inspect.attachments(SCOPE, attached.certificateId), ['policy:named']);
        // An existing policy is never rewritten by a registration, inline or not.
        assert.equal((await registry.policies.getPolicy(SCOPE, 'named'))?.document, policyDocument('stored'));
        assert.deepEqual((await registry.policies.listPolicyVersions(SCOPE, 'named'))?.length, 1);

        const refused = await pendingCertificate(registry, 'missing-policy');
        const thingName = unique('thing');
        assert.deepEqual(
          await registry.provisioning.register(
            SCOPE,
            registrationOf(refused.certificateId, {
              thing: thingAsked(thingName),
              certificateStatus: 'ACTIVE',
              policies: [...inline('policy'), { name: 'absent' }],
            }),
            registrationRules,
          ),
          { applied: false, refusal: 'policy-missing' },
        );
        await assertUntouched(fx, refused);
        assert.equal(await fx.inspect.thing(SCOPE, thingName), undefined);
      }),
    );

    test(
      'every change a registration makes is announced once it committed',
      withFixture(async (fx) => {
        const { registry } = fx;
        const heard: RegistryChange[] = [];
        registry.changes.subscribe((change) => heard.push(change));
        const certificate = await pendingCertificate(registry, 'announced');
        const thingName = unique('thing');
        await registry.provisioning.register(
          SCOPE,
          registrationOf(certificate.certificateId, {
            thing: thingAsked(thingName),
            certificateStatus: 'ACTIVE',
            policies: inline('announced-policy'),
          }),
          registrationRules,
        );
        const { certificateId } = certificate;
        const thingId = (await fx.inspect.thing(SCOPE, thingName))?.thingId ?? 'missing';
        const expected: RegistryChange[] = [
          // The certificate created over MQTT, before the registration.
          { kind: 'certificate', ...SCOPE, certificateId, status: 'PENDING_ACTIVATION' },
          // The registry event the thing change makes for every replica: created, version 1, its attributes.
          {
            kind: 'thing',
            ...SCOPE,
            thingName,
            event: { operation: 'CREATED', thingId, versionNumber: 1, attributes: {} },
          },
          { kind: 'thing-principal', ...SCOPE, thingName, certificateId },
          { kind: 'policy', ...SCOPE, policyName: 'announced-policy' },
          { kind: 'policy-attachment', ...SCOPE, policyName: 'announced-policy', certificateId },
          { kind: 'certificate', ...SCOPE, certificateId, status: 'ACTIVE' },
        ];
        await eventually('the registration heard', () => heard.length >= expected.length);
        assert.deepEqual(heard, expected);
      }),
    );

    test(
      'a token is single use: the second registration is refused and writes nothing',
      withFixture(async (fx) => {
        const certificate = await pendingCertificate(fx.registry, 'twice');
        const first = unique('first-thing');
        const again = unique('second-thing');
        const register = (thingName: string, now: number) =>
          fx.registry.provisioning.register(
            SCOPE,
            registrationOf(certificate.certificateId, {
              now,
              thing: thingAsked(thingName),
              certificateStatus: 'INACTIVE',
              policies: inline(thingName),
            }),
            registrationRules,
          );
        assert.deepEqual(await register(first, NOW), { applied: true });
        const afterFirst = await fx.registry.certificates.getCertificate(SCOPE, certificate.certificateId);
        assert.deepEqual(await register(again, NOW + 1), { applied: false, refusal: 'token-redeemed' });
        assert.equal(await fx.inspect.thing(SCOPE, again), undefined);
        assert.deepEqual(await fx.inspect.attachments(SCOPE, certificate.certificateId), [
          `policy:${first}`,
          `thing:${first}`,
        ]);
        assert.deepEqual(await fx.registry.certificates.getCertificate(SCOPE, certificate.certificateId), afterFirst);
        assert.equal(await fx.inspect.redeemedAt(SCOPE, certificate.certificateId), NOW);
      }),
    );

    describe('refusals leave no trace', () => {
      const everything = (certificateId: string, thingName: string, overrides: Partial<ThingToProvision> = {}) =>
        registrationOf(certificateId, {
          thing: thingAsked(thingName, { attributes: { a: 'new' }, ...overrides }),
          certificateStatus: 'ACTIVE',
          policies: inline('policy'),
        });

      test(
        'unknown token',
        withFixture(async (fx) => {
          const certificate = await pendingCertificate(fx.registry, 'no-token', { token: false });
          const thingName = unique('thing');
          const outcome = await fx.registry.provisioning.register(
            SCOPE,
            everything(certificate.certificateId, thingName),
            registrationRules,
          );
          assert.deepEqual(outcome, { applied: false, refusal: 'token-unknown' });
          await assertUntouched(fx, certificate);
          assert.equal(await fx.inspect.thing(SCOPE, thingName), undefined);
          assert.equal(await fx.inspect.redeemedAt(SCOPE, certificate.certificateId), undefined);
        }),
      );

      test(
        'a token of another scope is unknown here',
        withFixture(async (fx) => {
          const certificate = await pendingCertificate(fx.registry, 'scoped');
          const elsewhere = { accountId: '210987654321', region: SCOPE.region };
          const outcome = await fx.registry.provisioning.register(
            elsewhere,
            registrationOf(certificate.certificateId, { certificateStatus: 'ACTIVE' }),
            registrationRules,
          );
          assert.deepEqual(outcome, { applied: false, refusal: 'token-unknown' });
          await assertUntouched(fx, certificate);
        }),
      );

      test(
        'expired token (expiry at or before now)',
        withFixture(async (fx) => {
          const certificate = await pendingCertificate(fx.registry, 'expired', { expiresAt: NOW });
          const thingName = unique('thing');
          const outcome = await fx.registry.provisioning.register(
            SCOPE,
            everything(certificate.certificateId, thingName),
            registrationRules,
          );
          assert.deepEqual(outcome, { applied: false, refusal: 'token-expired' });
          await assertUntouched(fx, certificate);
          assert.equal(await fx.inspect.thing(SCOPE, thingName), undefined);
        }),
      );

      test(
        'certificate missing',
        withFixture(async (fx) => {
          const id = makeRecord(unique('gone')).certificateId;
          await fx.registry.ownershipTokens.record(SCOPE, id, NOW + HOUR);
          const thingName = unique('thing');
          const outcome = await fx.registry.provisioning.register(SCOPE, everything(id, thingName), registrationRules);
          assert.deepEqual(outcome, { applied: false, refusal: 'certificate-missing' });
          assert.equal(await fx.inspect.thing(SCOPE, thingName), undefined);
          assert.equal(await fx.inspect.redeemedAt(SCOPE, id), null);
        }),
      );

      test(
        'thing exists and attributes say FAIL',
        withFixture(async (fx) => {
          const thingName = unique('taken');
          const thing = await existingThing(fx, thingAsked(thingName, { attributes: { a: 'old' } }));
          const certificate = await pendingCertificate(fx.registry, 'second');
          const outcome = await fx.registry.provisioning.register(
            SCOPE,
            everything(certificate.certificateId, thingName, { attributesOverride: 'FAIL' }),
            registrationRules,
          );
          assert.deepEqual(outcome, { applied: false, refusal: 'thing-exists' });
          await assertUntouched(fx, certificate);
          assert.deepEqual(await fx.inspect.thing(SCOPE, thingName), thing);
        }),
      );

      test(
        'thing has another type and the type says FAIL',
        withFixture(async (fx) => {
          const thingName = unique('typed');
          const thing = await existingThing(fx, thingAsked(thingName, { thingTypeName: 'sensor' }));
          const certificate = await pendingCertificate(fx.registry, 'second');
          const outcome = await fx.registry.provisioning.register(
            SCOPE,
            everything(certificate.certificateId, thingName, {
              thingTypeName: 'camera',
              thingTypeOverride: 'FAIL',
              attributesOverride: 'REPLACE',
            }),
            registrationRules,
          );
          assert.deepEqual(outcome, { applied: false, refusal: 'thing-type-conflict' });
          await assertUntouched(fx, certificate);
          assert.deepEqual(await fx.inspect.thing(SCOPE, thingName), thing);
        }),
      );

      test(
        "a status UpdateCertificate would refuse (REVOKED) rolls back the thing it had created, with the rule's error",
        withFixture(async (fx) => {
          const certificate = await pendingCertificate(fx.registry, 'revoked', { status: 'REVOKED' });
          const thingName = unique('thing');
          await assert.rejects(
            fx.registry.provisioning.register(
              SCOPE,
              everything(certificate.certificateId, thingName),
              registrationRules,
            ),
            (error: Error) => error.name === 'CertificateStateException' || /revoked/i.test(error.message),
          );
          await assertUntouched(fx, certificate);
          assert.equal(await fx.inspect.thing(SCOPE, thingName), undefined);
        }),
      );
    });

    describe('override settings on an existing thing', () => {
      const base = { attributes: { a: '1', b: '2' }, thingTypeName: 'sensor' };
      const cases: {
        readonly title: string;
        readonly asked: Partial<ThingToProvision>;
        readonly expected: Pick<ThingRecord, 'attributes' | 'version'> & { thingTypeName?: string };
      }[] = [
        {
          title: 'DO_NOTHING keeps attributes and type',
          asked: { attributes: { c: '3' }, thingTypeName: 'camera' },
          expected: { ...base, version: 1 },
        },
        {
          title: 'REPLACE replaces the attributes and bumps the version',
          asked: { attributes: { c: '3' }, attributesOverride: 'REPLACE' },
          expected: { attributes: { c: '3' }, thingTypeName: 'sensor', version: 2 },
        },
        {
          title: "MERGE merges, the template's values winning",
          asked: { attributes: { b: '20', c: '3' }, attributesOverride: 'MERGE' },
          expected: { attributes: { a: '1', b: '20', c: '3' }, thingTypeName: 'sensor', version: 2 },
        },
        {
          title: 'MERGE of the values already there changes nothing, not even the version',
          asked: { attributes: { b: '2' }, attributesOverride: 'MERGE' },
          expected: { ...base, version: 1 },
        },
        {
          title: 'REPLACE of the type sets it; one bump for attributes and type together',
          asked: {
            attributes: { z: '9' },
            attributesOverride: 'REPLACE',
            thingTypeName: 'camera',
            thingTypeOverride: 'REPLACE',
          },
          expected: { attributes: { z: '9' }, thingTypeName: 'camera', version: 2 },
        },
        {
          title: 'FAIL on the type passes when the type is the same',
          asked: { thingTypeName: 'sensor', thingTypeOverride: 'FAIL' },
          expected: { ...base, version: 1 },
        },
        {
          title: 'a template without a type leaves the stored one, even with REPLACE or FAIL',
          asked: { thingTypeOverride: 'REPLACE' },
          expected: { ...base, version: 1 },
        },
      ];
      for (const { title, asked, expected } of cases) {
        test(
          title,
          withFixture(async (fx) => {
            const thingName = unique('existing');
            const before = await existingThing(fx, thingAsked(thingName, base));
            const certificate = await pendingCertificate(fx.registry, 'next');
            const outcome = await fx.registry.provisioning.register(
              SCOPE,
              registrationOf(certificate.certificateId, { now: NOW + 5, thing: thingAsked(thingName, asked) }),
              registrationRules,
            );
            assert.deepEqual(outcome, { applied: true });
            const { thingTypeName, ...rest } = expected;
            assert.deepEqual(await fx.inspect.thing(SCOPE, thingName), {
              ...SCOPE,
              thingName,
              thingId: before.thingId,
              ...(thingTypeName !== undefined && { thingTypeName }),
              ...rest,
              creationDate: before.creationDate,
            });
            // Whatever the settings did, the certificate is attached to the thing.
            assert.deepEqual(await fx.inspect.attachments(SCOPE, certificate.certificateId), [`thing:${thingName}`]);
          }),
        );
      }
    });

    describe('status changes', () => {
      test(
        'the new status is announced on registry.changes, like UpdateCertificate',
        withFixture(async (fx) => {
          const heard = listen(fx.registry);
          try {
            const certificate = await pendingCertificate(fx.registry, 'announced');
            const outcome = await fx.registry.provisioning.register(
              SCOPE,
              registrationOf(certificate.certificateId, { certificateStatus: 'ACTIVE' }),
              registrationRules,
            );
            assert.deepEqual(outcome, { applied: true });
            await heard.until(certificate.certificateId, 'ACTIVE');
            assert.deepEqual(heard.about(certificate.certificateId), [
              { kind: 'certificate', ...SCOPE, certificateId: certificate.certificateId, status: 'PENDING_ACTIVATION' },
              { kind: 'certificate', ...SCOPE, certificateId: certificate.certificateId, status: 'ACTIVE' },
            ]);
          } finally {
            heard.unsubscribe();
          }
        }),
      );

      test(
        'a status the certificate already has changes nothing and is not announced; a refusal is not announced',
        withFixture(async (fx) => {
          const heard = listen(fx.registry);
          try {
            const same = await pendingCertificate(fx.registry, 'same', { status: 'INACTIVE' });
            const refused = await pendingCertificate(fx.registry, 'refused', { expiresAt: NOW - 1 });
            const marker = await pendingCertificate(fx.registry, 'marker');
            assert.deepEqual(
              await fx.registry.provisioning.register(
                SCOPE,
                registrationOf(same.certificateId, { certificateStatus: 'INACTIVE' }),
                registrationRules,
              ),
              { applied: true },
            );
            assert.deepEqual(await fx.registry.certificates.getCertificate(SCOPE, same.certificateId), same);
            assert.equal(await fx.inspect.redeemedAt(SCOPE, same.certificateId), NOW);
            assert.equal(
              (
                await fx.registry.provisioning.register(
                  SCOPE,
                  registrationOf(refused.certificateId, { certificateStatus: 'ACTIVE' }),
                  registrationRules,
                )
              ).applied,
              false,
            );
            // Changes arrive in commit order: once the marker's is heard, the others would have been.
            await fx.registry.provisioning.register(
              SCOPE,
              registrationOf(marker.certificateId, { certificateStatus: 'ACTIVE' }),
              registrationRules,
            );
            await heard.until(marker.certificateId, 'ACTIVE');
            // Only their creations.
            assert.deepEqual(heard.about(same.certificateId), [
              { kind: 'certificate', ...SCOPE, certificateId: same.certificateId, status: 'INACTIVE' },
            ]);
            assert.deepEqual(heard.about(refused.certificateId), [
              { kind: 'certificate', ...SCOPE, certificateId: refused.certificateId, status: 'PENDING_ACTIVATION' },
            ]);
          } finally {
            heard.unsubscribe();
          }
        }),
      );
    });

    describe('concurrency', () => {
      test(
        'two registrations racing with one token: exactly one is applied',
        withFixture(async (fx) => {
          const registries = [fx.registry, await fx.second()];
          for (let round = 0; round < 5; round++) {
            const certificate = await pendingCertificate(fx.registry, `race-${round}`);
            const names = [unique('racer-a'), unique('racer-b')];
            const outcomes = await Promise.all(
              names.map((thingName, i) =>
                registries[i]?.provisioning.register(
                  SCOPE,
                  registrationOf(certificate.certificateId, {
                    thing: thingAsked(thingName),
                    certificateStatus: 'ACTIVE',
                    policies: inline(thingName),
                  }),
                  registrationRules,
                ),
              ),
            );
            const applied = outcomes.filter((o) => o?.applied);
            assert.equal(applied.length, 1, `round ${round}: ${JSON.stringify(outcomes)}`);
            assert.deepEqual(
              outcomes.find((o) => !o?.applied),
              { applied: false, refusal: 'token-redeemed' },
            );
            const winner = outcomes.findIndex((o) => o?.applied);
            const winnerName = names[winner] ?? '';
            assert.deepEqual(await fx.inspect.attachments(SCOPE, certificate.certificateId), [
              `policy:${winnerName}`,
              `thing:${winnerName}`,
            ]);
            assert.equal(await fx.inspect.thing(SCOPE, names[1 - winner] ?? ''), undefined);
            const after = await fx.registry.certificates.getCertificate(SCOPE, certificate.certificateId);
            assert.equal(after?.customerVersion, certificate.customerVersion + 1);
          }
        }),
      );

      test(
        'two devices racing to create one thing: one creates it, the other finds it and both are attached',
        withFixture(async (fx) => {
          const registries = [fx.registry, await fx.second()];
          for (let round = 0; round < 5; round++) {
            const certificates = [
              await pendingCertificate(fx.registry, `a-${round}`),
              await pendingCertificate(fx.registry, `b-${round}`),
            ];
            const thingName = unique('shared');
            const outcomes = await Promise.all(
              certificates.map((certificate, i) =>
                registries[i]?.provisioning.register(
                  SCOPE,
                  registrationOf(certificate.certificateId, {
                    thing: thingAsked(thingName, { attributes: { by: String(i) }, attributesOverride: 'MERGE' }),
                  }),
                  registrationRules,
                ),
              ),
            );
            assert.deepEqual(outcomes, [{ applied: true }, { applied: true }]);
            const thing = await fx.inspect.thing(SCOPE, thingName);
            // Created by one with version 1, then merged by the other: version 2 either way round.
            assert.equal(thing?.version, 2);
            for (const certificate of certificates) {
              assert.deepEqual(await fx.inspect.attachments(SCOPE, certificate.certificateId), [`thing:${thingName}`]);
            }
          }
        }),
      );
    });

    describe('ownership sweeper', () => {
      test(
        'an unredeemed expired PENDING_ACTIVATION certificate without attachments is deleted with its token row',
        withFixture(async (fx) => {
          const heard = listen(fx.registry);
          try {
            const certificate = await pendingCertificate(fx.registry, 'abandoned', { expiresAt: NOW - 1 });
            const counts = await sweepExpiredOwnership(fx.registry, NOW, 100);
            assert.deepEqual(counts, { tokens: 1, deleted: 1, kept: 0, redeemed: 0 });
            assert.equal(await fx.registry.certificates.getCertificate(SCOPE, certificate.certificateId), undefined);
            assert.equal(await fx.inspect.redeemedAt(SCOPE, certificate.certificateId), undefined);
            // Deleted like DeleteCertificate: announced.
            await heard.until(certificate.certificateId, 'DELETED');
            assert.deepEqual(heard.about(certificate.certificateId), [
              { kind: 'certificate', ...SCOPE, certificateId: certificate.certificateId, status: 'PENDING_ACTIVATION' },
              { kind: 'certificate', ...SCOPE, certificateId: certificate.certificateId, status: 'DELETED' },
            ]);
          } finally {
            heard.unsubscribe();
          }
        }),
      );

      test(
        'activated or attached certificates are kept; their token rows are forgotten',
        withFixture(async (fx) => {
          const expiresAt = NOW - 10;
          const active = await pendingCertificate(fx.registry, 'active', { expiresAt, status: 'ACTIVE' });
          const inactive = await pendingCertificate(fx.registry, 'inactive', { expiresAt, status: 'INACTIVE' });
          const withPolicy = await pendingCertificate(fx.registry, 'policy', { expiresAt });
          const withThing = await pendingCertificate(fx.registry, 'thing', { expiresAt });
          await fx.registry.certificates.attach(SCOPE, withPolicy.certificateId, { kind: 'policy', name: 'p' });
          await fx.registry.certificates.attach(SCOPE, withThing.certificateId, { kind: 'thing', name: 't' });
          const counts = await sweepExpiredOwnership(fx.registry, NOW, 100);
          assert.deepEqual(counts, { tokens: 4, deleted: 0, kept: 4, redeemed: 0 });
          for (const certificate of [active, inactive, withPolicy, withThing]) {
            assert.ok(await fx.registry.certificates.getCertificate(SCOPE, certificate.certificateId));
            assert.equal(await fx.inspect.redeemedAt(SCOPE, certificate.certificateId), undefined);
          }
        }),
      );

      test(
        'redeemed tokens are forgotten, their certificates kept; unexpired tokens are left alone',
        withFixture(async (fx) => {
          const redeemed = await pendingCertificate(fx.registry, 'redeemed', { expiresAt: NOW + HOUR });
          // Redeemed without activation or attachment: still the token's registration, so still kept.
          assert.deepEqual(
            await fx.registry.provisioning.register(SCOPE, registrationOf(redeemed.certificateId), registrationRules),
            {
              applied: true,
            },
          );
          const waiting = await pendingCertificate(fx.registry, 'waiting', { expiresAt: NOW + 2 * HOUR });
          const later = NOW + HOUR;
          const counts = await sweepExpiredOwnership(fx.registry, later, 100);
          assert.deepEqual(counts, { tokens: 1, deleted: 0, kept: 0, redeemed: 1 });
          assert.ok(await fx.registry.certificates.getCertificate(SCOPE, redeemed.certificateId));
          assert.equal(await fx.inspect.redeemedAt(SCOPE, redeemed.certificateId), undefined);
          assert.ok(await fx.registry.certificates.getCertificate(SCOPE, waiting.certificateId));
          assert.equal(await fx.inspect.redeemedAt(SCOPE, waiting.certificateId), null);
        }),
      );

      test(
        'a token whose certificate is already gone is forgotten; the limit bounds one sweep',
        withFixture(async (fx) => {
          const orphan = makeRecord(unique('orphan')).certificateId;
          await fx.registry.ownershipTokens.record(SCOPE, orphan, NOW - 3);
          const abandoned = [
            await pendingCertificate(fx.registry, 'one', { expiresAt: NOW - 2 }),
            await pendingCertificate(fx.registry, 'two', { expiresAt: NOW - 1 }),
          ];
          assert.deepEqual(await sweepExpiredOwnership(fx.registry, NOW, 2), {
            tokens: 2,
            deleted: 1,
            kept: 0,
            redeemed: 0,
          });
          assert.equal(await fx.inspect.redeemedAt(SCOPE, orphan), undefined);
          assert.deepEqual(await sweepExpiredOwnership(fx.registry, NOW, 2), {
            tokens: 1,
            deleted: 1,
            kept: 0,
            redeemed: 0,
          });
          for (const certificate of abandoned) {
            assert.equal(await fx.registry.certificates.getCertificate(SCOPE, certificate.certificateId), undefined);
          }
          assert.deepEqual(await sweepExpiredOwnership(fx.registry, NOW, 2), {
            tokens: 0,
            deleted: 0,
            kept: 0,
            redeemed: 0,
          });
        }),
      );
    });
  });
}
