import { serviceErrors } from '../../errors.js';
import type { Scope } from '../scope.js';
import { type PolicyRecord, policyArn } from './policy-record.js';

/** What a policy rule decides on, read in the transaction that writes. */
export interface PolicyState {
  readonly policy: PolicyRecord | undefined;
  /** The policy's versions (ids and which is the default), in any order. */
  readonly versions: ReadonlyArray<{ readonly versionId: string; readonly isDefaultVersion: boolean }>;
  /** How many targets (certificates) the policy is attached to. */
  readonly targets: number;
}

/** Decides a policy change; throws a ServiceError to refuse. */
export type PolicyRule = (state: PolicyState) => void;

/** What an attach or detach rule decides on. */
export interface PolicyAttachState {
  readonly policy: PolicyRecord | undefined;
  readonly certificateExists: boolean;
  readonly attached: boolean;
  /** How many policies the certificate has now. */
  readonly certificatePolicies: number;
}

export type PolicyAttachRule = (state: PolicyAttachState) => void;

/** A policy holds at most this many versions (reference §1.1: the sixth is VersionsLimitExceededException). */
export const MAX_POLICY_VERSIONS = 5;

/** AWS IoT's quota "maximum number of policies attached to a certificate". */
export const MAX_POLICIES_PER_CERTIFICATE = 10;

// Messages are AWS's as observed where a source shows them: CreatePolicy's (moto#5352, from the AWS CLI), the
// attached-policy conflict (aws-nuke#374, from AWS), the non-default-versions conflict (aws-nuke#374 and #320, from
// AWS, its doubled "than" included), the versions limit (terraform-provider-aws#9540, from AWS). DeletePolicyVersion
// on the default version and AttachPolicy over the quota have no observed text: ours say what happened.

function missing(policy: PolicyRecord | undefined): asserts policy is PolicyRecord {
  if (policy === undefined) throw serviceErrors.notFound();
}

/** CreatePolicy: the name must be free in the account and region. */
export function policyCreationRule(scope: Scope, policyName: string): PolicyRule {
  return ({ policy }) => {
    if (policy !== undefined) {
      throw serviceErrors.alreadyExists(
        `Policy cannot be created - name already exists (name=${policyName})`,
        policyName,
        policyArn(scope, policyName),
      );
    }
  };
}

/** DeletePolicy: only an existing policy attached to nothing and holding no version but its default. */
export function policyDeletionRule(policyName: string): PolicyRule {
  return ({ policy, versions, targets }) => {
    missing(policy);
    if (targets > 0) {
      throw serviceErrors.deleteConflict(
        `The policy cannot be deleted as the policy is attached to one or more principals (name=${policyName})`,
      );
    }
    if (versions.some((version) => !version.isDefaultVersion)) {
      throw serviceErrors.deleteConflict(
        'The policy cannot be deleted as versions other than than default version exist',
      );
    }
  };
}

/** CreatePolicyVersion: an existing policy with room for one more version. */
export function versionCreationRule(policyName: string): PolicyRule {
  return ({ policy, versions }) => {
    missing(policy);
    if (versions.length >= MAX_POLICY_VERSIONS) {
      throw serviceErrors.versionsLimitExceeded(
        `The policy ${policyName} already has the maximum number of versions (${MAX_POLICY_VERSIONS})`,
      );
    }
  };
}

/** DeletePolicyVersion: an existing version that is not the default (DeletePolicy deletes that one). */
export function versionDeletionRule(versionId: string): PolicyRule {
  return ({ policy, versions }) => {
    missing(policy);
    const version = versions.find((v) => v.versionId === versionId);
    if (version === undefined) throw serviceErrors.notFound();
    if (version.isDefaultVersion) throw serviceErrors.deleteConflict('Cannot delete the default version of a policy');
  };
}

/** SetDefaultPolicyVersion: the version must exist (making the default the default again changes nothing). */
export function setDefaultRule(versionId: string): PolicyRule {
  return ({ policy, versions }) => {
    missing(policy);
    if (!versions.some((v) => v.versionId === versionId)) throw serviceErrors.notFound();
  };
}

/** AttachPolicy: both ends exist, and a new attachment stays within the certificate's quota. */
export function policyAttachRule(): PolicyAttachRule {
  return ({ policy, certificateExists, attached, certificatePolicies }) => {
    if (policy === undefined || !certificateExists) throw serviceErrors.notFound();
    if (!attached && certificatePolicies >= MAX_POLICIES_PER_CERTIFICATE) {
      throw serviceErrors.limitExceeded(
        `The certificate already has the maximum number of attached policies (${MAX_POLICIES_PER_CERTIFICATE})`,
      );
    }
  };
}

/**
 * DetachPolicy: never refused. Its model lists no ResourceNotFoundException (reference §1.2, §6.11), and AWS is
 * reported to answer a detach with success (localstack#9136); detaching what is not attached changes nothing.
 * An attachment naming a policy that no longer exists (rows older than the policies table) is still removed.
 */
export function policyDetachRule(): PolicyAttachRule {
  return () => {};
}
