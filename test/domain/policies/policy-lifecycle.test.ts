import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  MAX_POLICIES_PER_CERTIFICATE,
  MAX_POLICY_VERSIONS,
  type PolicyAttachState,
  type PolicyState,
  policyAttachRule,
  policyCreationRule,
  policyDeletionRule,
  policyDetachRule,
  setDefaultRule,
  versionCreationRule,
  versionDeletionRule,
} from '../../../src/domain/policies/policy-lifecycle.js';
import type { PolicyRecord } from '../../../src/domain/policies/policy-record.js';
import { ServiceError } from '../../../src/errors.js';

const SCOPE = { accountId: '123456789012', region: 'eu-west-1' };
const POLICY: PolicyRecord = {
  ...SCOPE,
  policyName: 'p',
  defaultVersionId: '2',
  creationDate: 1,
  lastModifiedDate: 2,
  generationId: 'g',
};

/** `count` versions "1".."count", version 2 (or the only one) the default. */
function state(count: number, targets = 0, policy: PolicyRecord | undefined = POLICY): PolicyState {
  const versions = Array.from({ length: count }, (_, i) => ({
    versionId: String(i + 1),
    isDefaultVersion: i + 1 === Math.min(2, count),
  }));
  return { policy, versions, targets };
}

const ABSENT: PolicyState = { policy: undefined, versions: [], targets: 0 };

function refuses(run: () => void, code: string, message?: string | RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof ServiceError, String(error));
    assert.equal(error.code, code);
    if (typeof message === 'string') assert.equal(error.message, message);
    else if (message) assert.match(error.message, message);
    return true;
  });
}

describe('policy rules', () => {
  test('creation: a free name passes; a taken one is ResourceAlreadyExists naming the policy and its ARN', () => {
    policyCreationRule(SCOPE, 'p')(ABSENT);
    assert.throws(
      () => policyCreationRule(SCOPE, 'p')(state(1)),
      (error: unknown) => {
        assert.ok(error instanceof ServiceError);
        assert.equal(error.code, 'ResourceAlreadyExistsException');
        assert.equal(error.message, 'Policy cannot be created - name already exists (name=p)');
        assert.deepEqual(error.details, {
          resourceId: 'p',
          resourceArn: 'arn:aws:iot:eu-west-1:123456789012:policy/p',
        });
        return true;
      },
    );
  });

  test('deletion: missing → not found; attached, then other versions → DeleteConflict; else passes', () => {
    refuses(() => policyDeletionRule('p')(ABSENT), 'ResourceNotFoundException');
    refuses(
      () => policyDeletionRule('p')(state(2, 1)),
      'DeleteConflictException',
      'The policy cannot be deleted as the policy is attached to one or more principals (name=p)',
    );
    refuses(() => policyDeletionRule('p')(state(2, 0)), 'DeleteConflictException', /versions other than/);
    policyDeletionRule('p')(state(1, 0));
  });

  test('version creation: missing → not found; the sixth → VersionsLimitExceeded', () => {
    refuses(() => versionCreationRule('p')(ABSENT), 'ResourceNotFoundException');
    for (let n = 1; n < MAX_POLICY_VERSIONS; n++) versionCreationRule('p')(state(n));
    refuses(
      () => versionCreationRule('p')(state(MAX_POLICY_VERSIONS)),
      'VersionsLimitExceededException',
      'The policy p already has the maximum number of versions (5)',
    );
  });

  test('version deletion: missing policy or version → not found; the default → DeleteConflict', () => {
    refuses(() => versionDeletionRule('1')(ABSENT), 'ResourceNotFoundException');
    refuses(() => versionDeletionRule('7')(state(3)), 'ResourceNotFoundException');
    refuses(
      () => versionDeletionRule('2')(state(3)),
      'DeleteConflictException',
      'Cannot delete the default version of a policy',
    );
    versionDeletionRule('3')(state(3));
  });

  test('set default: the version must exist, the default included', () => {
    refuses(() => setDefaultRule('1')(ABSENT), 'ResourceNotFoundException');
    refuses(() => setDefaultRule('4')(state(3)), 'ResourceNotFoundException');
    setDefaultRule('2')(state(3));
    setDefaultRule('3')(state(3));
  });

  const attach = (over: Partial<PolicyAttachState>): PolicyAttachState => ({
    policy: POLICY,
    certificateExists: true,
    attached: false,
    certificatePolicies: 0,
    ...over,
  });

  test('attach: both ends must exist; a new attachment past the quota is LimitExceeded, a repeated one is not', () => {
    refuses(() => policyAttachRule()(attach({ policy: undefined })), 'ResourceNotFoundException');
    refuses(() => policyAttachRule()(attach({ certificateExists: false })), 'ResourceNotFoundException');
    policyAttachRule()(attach({ certificatePolicies: MAX_POLICIES_PER_CERTIFICATE - 1 }));
    refuses(
      () => policyAttachRule()(attach({ certificatePolicies: MAX_POLICIES_PER_CERTIFICATE })),
      'LimitExceededException',
    );
    policyAttachRule()(attach({ attached: true, certificatePolicies: MAX_POLICIES_PER_CERTIFICATE }));
  });

  test('detach: never refused, whatever is missing or unattached', () => {
    for (const over of [{}, { policy: undefined }, { certificateExists: false }, { attached: true }]) {
      policyDetachRule()(attach(over));
    }
  });
});
