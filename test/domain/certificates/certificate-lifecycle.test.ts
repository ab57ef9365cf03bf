import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deletionRule, statusUpdateRule } from '../../../src/domain/certificates/certificate-lifecycle.js';
import type { CertificateRecord } from '../../../src/domain/certificates/certificate-record.js';
import type { CertificateStatus } from '../../../src/domain/certificates/certificate-status.js';
import { ServiceError } from '../../../src/errors.js';

const ID = 'ab'.repeat(32);

function record(status: CertificateStatus): CertificateRecord {
  return {
    accountId: '123456789012',
    region: 'eu-west-1',
    certificateId: ID,
    status,
    certificatePem: 'pem',
    ownedBy: '123456789012',
    creationDate: 1,
    lastModifiedDate: 1,
    customerVersion: 1,
    generationId: 'g',
    notBefore: 0,
    notAfter: 2524607999000,
    certificateMode: 'DEFAULT',
  };
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ServiceError, String(err));
    return err.code;
  }
  return 'ok';
}

test('status transitions: the whole table', () => {
  const statuses: CertificateStatus[] = ['ACTIVE', 'INACTIVE', 'REVOKED', 'PENDING_TRANSFER', 'PENDING_ACTIVATION'];
  const expected: Record<string, Record<string, string>> = {
    ACTIVE: { ACTIVE: 'same', INACTIVE: 'ok', REVOKED: 'ok' },
    INACTIVE: { ACTIVE: 'ok', INACTIVE: 'same', REVOKED: 'ok' },
    REVOKED: { ACTIVE: 'CertificateStateException', INACTIVE: 'CertificateStateException', REVOKED: 'same' },
    PENDING_TRANSFER: {
      ACTIVE: 'CertificateStateException',
      INACTIVE: 'CertificateStateException',
      REVOKED: 'CertificateStateException',
    },
    PENDING_ACTIVATION: { ACTIVE: 'ok', INACTIVE: 'ok', REVOKED: 'ok' },
  };
  for (const from of statuses) {
    for (const to of ['ACTIVE', 'INACTIVE', 'REVOKED'] as const) {
      const rule = statusUpdateRule(ID, to, 42);
      let outcome = codeOf(() => rule(record(from)));
      if (outcome === 'ok' && rule(record(from)) === undefined) outcome = 'same';
      assert.equal(outcome, expected[from]?.[to], `${from} -> ${to}`);
    }
    for (const to of ['PENDING_TRANSFER', 'PENDING_ACTIVATION', 'REGISTER_INACTIVE'] as const) {
      assert.equal(
        codeOf(() => statusUpdateRule(ID, to, 42)(record(from))),
        'InvalidRequestException',
        `${from} -> ${to}`,
      );
    }
  }
  const change = statusUpdateRule(ID, 'REVOKED', 42)(record('ACTIVE'));
  assert.equal(change?.status, 'REVOKED');
  assert.equal(change?.lastModifiedDate, 42);
  assert.notEqual(change?.generationId, 'g');
  assert.equal(
    codeOf(() => statusUpdateRule(ID, 'ACTIVE', 1)(undefined)),
    'ResourceNotFoundException',
  );
});

test('deletion rules: ACTIVE, things, policies and forceDelete', () => {
  const none = { things: 0, policies: 0 };
  assert.equal(
    codeOf(() => deletionRule(ID, false)(record('ACTIVE'), none)),
    'CertificateStateException',
  );
  assert.equal(
    codeOf(() => deletionRule(ID, true)(record('ACTIVE'), none)),
    'CertificateStateException',
  );
  assert.equal(
    codeOf(() => deletionRule(ID, false)(undefined, none)),
    'ResourceNotFoundException',
  );
  assert.equal(
    codeOf(() => deletionRule(ID, true)(record('INACTIVE'), { things: 1, policies: 0 })),
    'DeleteConflictException',
  );
  assert.equal(
    codeOf(() => deletionRule(ID, false)(record('INACTIVE'), { things: 0, policies: 2 })),
    'DeleteConflictException',
  );
  assert.deepEqual(deletionRule(ID, true)(record('INACTIVE'), { things: 0, policies: 2 }), { detachPolicies: true });
  assert.deepEqual(deletionRule(ID, false)(record('REVOKED'), none), { detachPolicies: false });
  try {
    deletionRule(ID, false)(record('ACTIVE'), none);
  } catch (err) {
    assert.equal((err as Error).message, `Certificate must be deactivated (not ACTIVE) before deletion. Id: ${ID}`);
  }
  assert.throws(
    () => deletionRule(ID, false)(record('INACTIVE'), { things: 1, policies: 0 }),
    new RegExp(`Things must be detached before deletion \\(arn: arn:aws:iot:eu-west-1:123456789012:cert/${ID}\\)`),
  );
});
