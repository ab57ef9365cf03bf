import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type AdmissionFacts,
  type CertificateRegistration,
  decideAdmission,
  type HeldClaim,
  keepsAdmission,
  registrationRefusal,
  statusAdmits,
  validityRefusal,
} from '../../../src/domain/devices/admission.js';
import type { DevicePrincipal } from '../../../src/domain/devices/device-principal.js';

const NOW = Date.UTC(2030, 0, 1);
const ID = 'cd'.repeat(32);
const HERE = { accountId: '123456789012', region: 'eu-west-1' };
const THERE = { accountId: '210987654321', region: 'eu-west-1' };
const VALID = { notBefore: NOW - 1000, notAfter: NOW + 1000 };

function facts(overrides: Partial<AdmissionFacts> = {}): AdmissionFacts {
  return { certificateId: ID, validity: VALID, registrations: [], claim: undefined, now: NOW, ...overrides };
}

function registration(status: CertificateRegistration['status'], scope = HERE): CertificateRegistration {
  return { ...scope, status };
}

function grant(templateNames: string[], scope = HERE): HeldClaim {
  return { ...scope, kind: 'registered', templateNames };
}

function temporary(templateNames: string[], expiresAt = NOW + 60_000): HeldClaim {
  return { ...HERE, kind: 'temporary', templateNames, expiresAt };
}

function refusal(f: AdmissionFacts): { code: string; reason: string } {
  const admission = decideAdmission(f);
  assert.equal(admission.admitted, false);
  return { code: admission.code, reason: admission.reason };
}

function principalOf(f: AdmissionFacts): DevicePrincipal {
  const admission = decideAdmission(f);
  assert.ok(admission.admitted, 'admitted');
  return admission.principal;
}

describe('decideAdmission', () => {
  test('an ACTIVE certificate is admitted as a device of its account and region', () => {
    const principal = principalOf(facts({ registrations: [registration('ACTIVE'), registration('INACTIVE', THERE)] }));
    assert.deepEqual(principal, {
      scope: HERE,
      certificateId: ID,
      device: true,
      provisioningTemplates: new Set(),
    });
  });

  test('a device granted templates in its own scope is a claim for them too; grants elsewhere count for nothing', () => {
    const granted = principalOf(facts({ registrations: [registration('ACTIVE')], claim: grant(['a', 'b']) }));
    assert.deepEqual(granted.provisioningTemplates, new Set(['a', 'b']));
    const elsewhere = principalOf(facts({ registrations: [registration('ACTIVE')], claim: grant(['a'], THERE) }));
    assert.deepEqual(elsewhere.provisioningTemplates, new Set());
  });

  test('outside its validity, or unreadable, a certificate is refused before anything else', () => {
    const expected = { code: 'outside_validity', reason: 'the certificate is expired or not yet valid' };
    const active = [registration('ACTIVE')];
    assert.deepEqual(
      refusal(facts({ validity: { notBefore: NOW + 1, notAfter: NOW + 2 }, registrations: active })),
      expected,
    );
    assert.deepEqual(
      refusal(facts({ validity: { notBefore: NOW - 2, notAfter: NOW - 1 }, registrations: active })),
      expected,
    );
    assert.deepEqual(refusal(facts({ validity: null, registrations: active })), expected);
    // Both ends of the period are inside it.
    assert.ok(decideAdmission(facts({ validity: { notBefore: NOW, notAfter: NOW }, registrations: active })).admitted);
  });

  test('ACTIVE in two accounts or regions is ambiguous', () => {
    const registrations = [registration('ACTIVE'), registration('ACTIVE', THERE)];
    assert.deepEqual(refusal(facts({ registrations })), {
      code: 'ambiguous_registration',
      reason: 'the certificate is ACTIVE in more than one account or region',
    });
  });

  test('a registered certificate that is not ACTIVE is refused with its status; an unknown one as unknown', () => {
    for (const status of ['INACTIVE', 'REVOKED', 'PENDING_TRANSFER', 'PENDING_ACTIVATION'] as const) {
      assert.deepEqual(refusal(facts({ registrations: [registration(status)] })), {
        code: 'not_active',
        reason: `the certificate is ${status}`,
      });
    }
    assert.deepEqual(refusal(facts()), { code: 'unknown_certificate', reason: 'unknown certificate' });
    // A grant needs its certificate ACTIVE: alone it admits nothing.
    assert.deepEqual(refusal(facts({ claim: grant(['a']) })), {
      code: 'unknown_certificate',
      reason: 'unknown certificate',
    });
  });

  test('an unregistered temporary claim is admitted until it expires, for its templates only', () => {
    const expiresAt = NOW + 5000;
    assert.deepEqual(principalOf(facts({ claim: temporary(['fleet'], expiresAt) })), {
      scope: HERE,
      certificateId: ID,
      device: false,
      provisioningTemplates: new Set(['fleet']),
      expiresAt,
    });
    assert.equal(refusal(facts({ claim: temporary(['fleet'], NOW) })).code, 'unknown_certificate');
    // A temporary claim whose certificate was also registered is not a claim any more.
    assert.deepEqual(refusal(facts({ registrations: [registration('INACTIVE')], claim: temporary(['fleet']) })), {
      code: 'not_active',
      reason: 'the certificate is INACTIVE',
    });
  });

  test('only ACTIVE admits, whatever else the feed says', () => {
    assert.equal(statusAdmits('ACTIVE'), true);
    for (const status of ['INACTIVE', 'REVOKED', 'PENDING_TRANSFER', 'REGISTER_INACTIVE', 'DELETED'] as const) {
      assert.equal(statusAdmits(status), false, status);
    }
  });
});

describe('keepsAdmission', () => {
  const now = NOW;

  test('a device session stays while its certificate is ACTIVE in its scope, whatever its validity now', () => {
    const session = principalOf(facts({ registrations: [registration('ACTIVE')] }));
    assert.equal(
      keepsAdmission(session, { certificateId: ID, registrations: [registration('ACTIVE')], claim: undefined, now }),
      true,
    );
    assert.equal(
      keepsAdmission(session, { certificateId: ID, registrations: [registration('INACTIVE')], claim: undefined, now }),
      false,
    );
    assert.equal(keepsAdmission(session, { certificateId: ID, registrations: [], claim: undefined, now }), false);
    // ACTIVE now in another account only: not the session's account.
    const moved = [registration('INACTIVE'), registration('ACTIVE', THERE)];
    assert.equal(keepsAdmission(session, { certificateId: ID, registrations: moved, claim: undefined, now }), false);
  });

  test('a claim session stays while every template it was admitted with is still granted', () => {
    const active = [registration('ACTIVE')];
    const session = principalOf(facts({ registrations: active, claim: grant(['a', 'b']) }));
    const still = (claim: HeldClaim | undefined) =>
      keepsAdmission(session, { certificateId: ID, registrations: active, claim, now });
    assert.equal(still(grant(['a', 'b', 'c'])), true);
    assert.equal(still(grant(['a'])), false);
    assert.equal(still(undefined), false);
  });

  test('a temporary claim session stays while its claim is unexpired', () => {
    const session = principalOf(facts({ claim: temporary(['fleet']) }));
    assert.equal(
      keepsAdmission(session, { certificateId: ID, registrations: [], claim: temporary(['fleet']), now }),
      true,
    );
    assert.equal(keepsAdmission(session, { certificateId: ID, registrations: [], claim: undefined, now }), false);
  });
});

describe('the steps a door may take before its lookups', () => {
  test('validityRefusal refuses what decideAdmission refuses first, and nothing when validity is not examined', () => {
    assert.equal(validityRefusal(VALID, NOW), undefined);
    assert.equal(validityRefusal(undefined, NOW), undefined);
    assert.equal(validityRefusal({ notBefore: NOW + 1, notAfter: NOW + 1000 }, NOW)?.code, 'outside_validity');
    assert.equal(validityRefusal(null, NOW)?.code, 'outside_validity');
    assert.deepEqual(validityRefusal(null, NOW), decideAdmission(facts({ validity: null })));
  });

  test('registrationRefusal refuses only ACTIVE in more than one scope', () => {
    assert.equal(registrationRefusal([registration('ACTIVE'), registration('INACTIVE', THERE)]), undefined);
    const twice = [registration('ACTIVE'), registration('ACTIVE', THERE)];
    assert.equal(registrationRefusal(twice)?.code, 'ambiguous_registration');
    assert.deepEqual(registrationRefusal(twice), decideAdmission(facts({ registrations: twice })));
  });
});
