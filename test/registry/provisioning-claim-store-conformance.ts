import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ClaimGrantRule, ClaimGrantState } from '../../src/domain/provisioning/claim-grant.js';
import type { TemporaryClaim } from '../../src/domain/provisioning/provisioning-claim-record.js';
import type { Scope } from '../../src/domain/scope.js';
import { certificateIdOf, makeRecord, OTHER_ACCOUNT, OTHER_REGION, SCOPE, T0 } from './certificate-fixtures.js';
import { makeTemplate, type ProvisioningFixture } from './provisioning-template-store-conformance.js';

const ALLOW: ClaimGrantRule = () => {};
const LIFETIME = 300_000;

class RefusedError extends Error {
  override readonly name = 'RefusedError';
}

function temporary(seed: string, overrides: Partial<TemporaryClaim> = {}): TemporaryClaim {
  return {
    ...SCOPE,
    certificateId: certificateIdOf(`claim-${seed}`),
    certificatePem: `-----BEGIN CERTIFICATE-----\n${seed}\n-----END CERTIFICATE-----\n`,
    templateName: 'fleet',
    expiresAt: T0 + LIFETIME,
    createdAt: T0,
    ...overrides,
  };
}

/** The behaviour every ProvisioningClaimStore must show; each test gets a fresh, empty registry. */
export function provisioningClaimStoreConformance(name: string, open: () => Promise<ProvisioningFixture>): void {
  const withRegistry = (fn: (fixture: ProvisioningFixture) => Promise<void>) => async () => {
    const fixture = await open();
    try {
      await fixture.registry.provisioningTemplates.createTemplate(makeTemplate('fleet'));
      await fixture.registry.provisioningTemplates.createTemplate(makeTemplate('second'));
      await fixture.registry.provisioningTemplates.createTemplate(makeTemplate('jitp', { templateType: 'JITP' }));
      await fn(fixture);
    } finally {
      await fixture.cleanup();
    }
  };

  /** Grants with a rule that allows anything and returns what it was shown. */
  async function shown(
    fixture: ProvisioningFixture,
    scope: Scope,
    certificateId: string,
    templateName: string,
  ): Promise<ClaimGrantState> {
    let seen: ClaimGrantState | undefined;
    await fixture.registry.provisioningClaims
      .grant(scope, certificateId, templateName, T0, (state) => {
        seen = state;
        throw new RefusedError('just looking');
      })
      .catch((error: unknown) => {
        if (!(error instanceof RefusedError)) throw error;
      });
    assert.ok(seen);
    return seen;
  }

  describe(`${name}: ProvisioningClaimStore conformance`, () => {
    test(
      'a temporary claim is found by its certificate id, from another connection too, until it expires',
      withRegistry(async ({ registry, reopen }) => {
        const claims = registry.provisioningClaims;
        const claim = temporary('one');
        assert.equal(await claims.insertTemporary(claim), true);
        const expected = {
          ...SCOPE,
          certificateId: claim.certificateId,
          kind: 'temporary',
          templateNames: ['fleet'],
          expiresAt: claim.expiresAt,
          certificatePem: claim.certificatePem,
        };
        assert.deepEqual(await claims.findByCertificateId(claim.certificateId, T0), expected);
        assert.deepEqual(
          await (await reopen()).provisioningClaims.findByCertificateId(claim.certificateId, claim.expiresAt - 1),
          expected,
        );
        assert.equal(await claims.findByCertificateId(claim.certificateId, claim.expiresAt), undefined, 'expired');
        assert.equal(await claims.findByCertificateId(certificateIdOf('unknown'), T0), undefined);
        assert.deepEqual(await claims.listClaims(SCOPE, T0), [
          {
            ...SCOPE,
            certificateId: claim.certificateId,
            templateName: 'fleet',
            kind: 'temporary',
            expiresAt: claim.expiresAt,
            createdAt: T0,
          },
        ]);
        assert.deepEqual(await claims.listClaims(SCOPE, claim.expiresAt), [], 'an expired claim is not listed');
      }),
    );

    test(
      'a temporary claim for a template that does not exist in its scope is not stored',
      withRegistry(async ({ registry }) => {
        const claims = registry.provisioningClaims;
        assert.equal(await claims.insertTemporary(temporary('a', { templateName: 'missing' })), false);
        assert.equal(await claims.insertTemporary(temporary('b', { ...OTHER_ACCOUNT })), false);
        assert.equal(await claims.findByCertificateId(temporary('a').certificateId, T0), undefined);
        assert.deepEqual(await claims.listClaims(OTHER_ACCOUNT, T0), []);
      }),
    );

    test(
      'deleteExpired removes exactly the expired temporary claims, in every scope, and never a grant',
      withRegistry(async ({ registry }) => {
        const claims = registry.provisioningClaims;
        await registry.provisioningTemplates.createTemplate(makeTemplate('fleet', { ...OTHER_REGION }));
        await claims.insertTemporary(temporary('old', { expiresAt: T0 + 10 }));
        await claims.insertTemporary(temporary('edge', { expiresAt: T0 + 20 }));
        await claims.insertTemporary(temporary('other', { ...OTHER_REGION, expiresAt: T0 + 10 }));
        await claims.insertTemporary(temporary('fresh', { expiresAt: T0 + 30 }));
        const certificate = makeRecord('granted', { status: 'ACTIVE' });
        await registry.certificates.insertCertificate(certificate);
        await claims.grant(SCOPE, certificate.certificateId, 'fleet', T0, ALLOW);
        assert.equal(await claims.deleteExpired(T0 + 20), 3);
        assert.equal(await claims.deleteExpired(T0 + 20), 0);
        assert.deepEqual((await claims.listClaims(SCOPE, 0)).map((c) => c.kind).sort(), ['registered', 'temporary']);
        assert.equal((await claims.findByCertificateId(temporary('fresh').certificateId, T0))?.kind, 'temporary');
        assert.deepEqual(await claims.listClaims(OTHER_REGION, 0), []);
      }),
    );

    test(
      'grant: the rule sees the certificate status, the template type and the conflicting claims',
      withRegistry(async (fixture) => {
        const { registry } = fixture;
        const active = makeRecord('active', { status: 'ACTIVE' });
        const inactive = makeRecord('inactive');
        await registry.certificates.insertCertificate(active);
        await registry.certificates.insertCertificate(inactive);
        assert.deepEqual(await shown(fixture, SCOPE, active.certificateId, 'fleet'), {
          certificateStatus: 'ACTIVE',
          templateType: 'FLEET_PROVISIONING',
          conflictingClaims: 0,
        });
        assert.deepEqual(await shown(fixture, SCOPE, inactive.certificateId, 'jitp'), {
          certificateStatus: 'INACTIVE',
          templateType: 'JITP',
          conflictingClaims: 0,
        });
        assert.deepEqual(await shown(fixture, OTHER_ACCOUNT, active.certificateId, 'missing'), {
          certificateStatus: undefined,
          templateType: undefined,
          conflictingClaims: 0,
        });
        assert.deepEqual(await registry.provisioningClaims.listClaims(SCOPE, T0), [], 'refused grants store nothing');

        await registry.provisioningClaims.grant(SCOPE, active.certificateId, 'fleet', T0, ALLOW);
        assert.equal((await shown(fixture, SCOPE, active.certificateId, 'second')).conflictingClaims, 0);
        assert.equal((await shown(fixture, OTHER_REGION, active.certificateId, 'fleet')).conflictingClaims, 1);
        const claim = temporary('t');
        await registry.provisioningClaims.insertTemporary(claim);
        assert.equal((await shown(fixture, SCOPE, claim.certificateId, 'fleet')).conflictingClaims, 1);
      }),
    );

    test(
      'grant and revoke: idempotent, per template, and found only while the certificate is ACTIVE',
      withRegistry(async ({ registry, reopen }) => {
        const claims = registry.provisioningClaims;
        const certificate = makeRecord('device', { status: 'ACTIVE' });
        await registry.certificates.insertCertificate(certificate);
        const id = certificate.certificateId;
        assert.equal(await claims.grant(SCOPE, id, 'second', T0, ALLOW), true);
        assert.equal(await claims.grant(SCOPE, id, 'fleet', T0 + 1, ALLOW), true);
        assert.equal(await claims.grant(SCOPE, id, 'fleet', T0 + 2, ALLOW), false, 'already granted');
        const expected = { ...SCOPE, certificateId: id, kind: 'registered', templateNames: ['fleet', 'second'] };
        assert.deepEqual(await claims.findByCertificateId(id, T0), expected);
        assert.deepEqual(
          await (await reopen()).provisioningClaims.findByCertificateId(id, Number.MAX_SAFE_INTEGER),
          expected,
        );
        assert.deepEqual(await claims.listClaims(SCOPE, T0), [
          { ...SCOPE, certificateId: id, templateName: 'fleet', kind: 'registered', createdAt: T0 + 1 },
          { ...SCOPE, certificateId: id, templateName: 'second', kind: 'registered', createdAt: T0 },
        ]);

        await registry.certificates.updateStatus(SCOPE, id, (current) => ({
          status: 'INACTIVE',
          lastModifiedDate: current?.lastModifiedDate ?? T0,
          generationId: 'g2',
        }));
        assert.equal(await claims.findByCertificateId(id, T0), undefined, 'not while INACTIVE');
        assert.equal((await claims.listClaims(SCOPE, T0)).length, 2, 'the grant itself stays');

        assert.equal(await claims.revoke(SCOPE, id, 'fleet'), true);
        assert.equal(await claims.revoke(SCOPE, id, 'fleet'), false);
        assert.equal(await claims.revoke(OTHER_ACCOUNT, id, 'second'), false);
        assert.deepEqual(
          (await claims.listClaims(SCOPE, T0)).map((c) => c.templateName),
          ['second'],
        );
        const claim = temporary('kept');
        await claims.insertTemporary(claim);
        assert.equal(await claims.revoke(SCOPE, claim.certificateId, 'fleet'), false, 'revoke leaves temporary claims');
        assert.equal((await claims.findByCertificateId(claim.certificateId, T0))?.kind, 'temporary');
      }),
    );

    test(
      'a throwing rule refuses: its error reaches the caller and nothing is stored',
      withRegistry(async ({ registry }) => {
        const certificate = makeRecord('refused', { status: 'ACTIVE' });
        await registry.certificates.insertCertificate(certificate);
        await assert.rejects(
          registry.provisioningClaims.grant(SCOPE, certificate.certificateId, 'fleet', T0, () => {
            throw new RefusedError('no');
          }),
          RefusedError,
        );
        assert.deepEqual(await registry.provisioningClaims.listClaims(SCOPE, T0), []);
      }),
    );

    test(
      'a certificate whose live claims span two scopes is found by neither (fail closed)',
      withRegistry(async ({ registry }) => {
        const claims = registry.provisioningClaims;
        await registry.provisioningTemplates.createTemplate(makeTemplate('fleet', { ...OTHER_ACCOUNT }));
        const mine = makeRecord('shared', { status: 'ACTIVE' });
        const theirs = makeRecord('shared', { ...OTHER_ACCOUNT, ownedBy: OTHER_ACCOUNT.accountId, status: 'ACTIVE' });
        await registry.certificates.insertCertificate(mine);
        await registry.certificates.insertCertificate(theirs);
        await claims.grant(SCOPE, mine.certificateId, 'fleet', T0, ALLOW);
        // Only a rule that ignores conflicting claims lets this happen; the lookup must not pick one.
        await claims.grant(OTHER_ACCOUNT, theirs.certificateId, 'fleet', T0, ALLOW);
        assert.equal(await claims.findByCertificateId(mine.certificateId, T0), undefined);
        await claims.revoke(OTHER_ACCOUNT, theirs.certificateId, 'fleet');
        assert.equal((await claims.findByCertificateId(mine.certificateId, T0))?.accountId, SCOPE.accountId);
      }),
    );

    test(
      'concurrent grants of one certificate in two scopes through two connections: a rule refusing conflicts lets one in',
      withRegistry(async ({ registry, reopen }) => {
        const other = await reopen();
        await registry.provisioningTemplates.createTemplate(makeTemplate('fleet', { ...OTHER_REGION }));
        const here = makeRecord('contested', { status: 'ACTIVE' });
        const there = makeRecord('contested', { ...OTHER_REGION, status: 'ACTIVE' });
        await registry.certificates.insertCertificate(here);
        await registry.certificates.insertCertificate(there);
        const noConflicts: ClaimGrantRule = ({ conflictingClaims }) => {
          if (conflictingClaims > 0) throw new RefusedError('conflict');
        };
        const results = await Promise.allSettled([
          registry.provisioningClaims.grant(SCOPE, here.certificateId, 'fleet', T0, noConflicts),
          other.provisioningClaims.grant(OTHER_REGION, there.certificateId, 'fleet', T0, noConflicts),
        ]);
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
        assert.ok(await registry.provisioningClaims.findByCertificateId(here.certificateId, T0));
      }),
    );
  });
}
