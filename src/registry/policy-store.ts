import type { ResourceTag } from '../domain/ca-certificates/ca-certificate-record.js';
import type { PolicyAttachRule, PolicyRule } from '../domain/policies/policy-lifecycle.js';
import type { EffectivePolicy, PolicyRecord, PolicyVersionRecord } from '../domain/policies/policy-record.js';
import type { Scope } from '../domain/scope.js';

/** A page of policies ordered by name, after `after` (exclusive); descending unless `ascending`. */
export interface PolicyListQuery {
  readonly limit: number;
  readonly ascending: boolean;
  readonly after?: string;
}

export interface PolicyListPage {
  readonly records: readonly PolicyRecord[];
  /** The last name of this page, present when more policies follow. */
  readonly next?: string;
}

/** A page of names (policy names or certificate ids), ascending, after `after` (exclusive). */
export interface NamePageQuery {
  readonly limit: number;
  readonly after?: string;
}

export interface NamePage {
  readonly names: readonly string[];
  readonly next?: string;
}

/**
 * AWS IoT policies, their versions, and their attachments to certificates (`certificate_attachments` rows of kind
 * 'policy', which also keep DeleteCertificate from deleting a certificate with policies). Every read-then-write runs
 * inside the store's transaction under the domain rule it is given (domain/policies/policy-lifecycle.ts), and every
 * change that can alter a device's authorization is announced on the change feed in the same transaction.
 */
export interface PolicyStore {
  /**
   * Version "1" becomes the default; the rule refuses an existing name. `tags` (CreatePolicy's) are kept with the
   * policy and go with it. Returns the record stored.
   */
  createPolicy(
    record: PolicyRecord,
    document: string,
    rule: PolicyRule,
    tags?: readonly ResourceTag[],
  ): Promise<PolicyRecord>;
  /** The tags given at creation, by key; undefined when there is no such policy. */
  listPolicyTags(scope: Scope, policyName: string): Promise<readonly ResourceTag[] | undefined>;
  /** The policy and its default version's document; undefined when there is none. */
  getPolicy(scope: Scope, policyName: string): Promise<{ policy: PolicyRecord; document: string } | undefined>;
  listPolicies(scope: Scope, query: PolicyListQuery): Promise<PolicyListPage>;
  /** Runs the rule (it sees the policy, its versions and how many targets it has), then deletes it. */
  deletePolicy(scope: Scope, policyName: string, rule: PolicyRule): Promise<void>;
  /** Runs the rule, then adds the next version (made the default when `setAsDefault`); returns it. */
  createPolicyVersion(
    scope: Scope,
    policyName: string,
    document: string,
    setAsDefault: boolean,
    now: number,
    rule: PolicyRule,
  ): Promise<PolicyVersionRecord>;
  getPolicyVersion(scope: Scope, policyName: string, versionId: string): Promise<PolicyVersionRecord | undefined>;
  /** Every version, newest first; undefined when there is no such policy. */
  listPolicyVersions(scope: Scope, policyName: string): Promise<readonly PolicyVersionRecord[] | undefined>;
  deletePolicyVersion(scope: Scope, policyName: string, versionId: string, rule: PolicyRule): Promise<void>;
  setDefaultPolicyVersion(
    scope: Scope,
    policyName: string,
    versionId: string,
    now: number,
    rule: PolicyRule,
  ): Promise<void>;
  /** Runs the rule, then attaches (idempotent). */
  attachPolicy(scope: Scope, policyName: string, certificateId: string, rule: PolicyAttachRule): Promise<void>;
  /** Runs the rule, then detaches; true when it was attached. */
  detachPolicy(scope: Scope, policyName: string, certificateId: string, rule: PolicyAttachRule): Promise<boolean>;
  /** Names of the policies attached to the certificate, ascending; undefined when there is no such certificate. */
  listAttachedPolicies(scope: Scope, certificateId: string, query: NamePageQuery): Promise<NamePage | undefined>;
  /** Ids of the certificates the policy is attached to, ascending; undefined when there is no such policy. */
  listPolicyTargets(scope: Scope, policyName: string, query: NamePageQuery): Promise<NamePage | undefined>;
  /**
   * The default documents of the existing policies attached to the certificate, by name (one read: the device door
   * asks this at every admission and after every change that concerns the certificate).
   */
  effectivePolicies(scope: Scope, certificateId: string): Promise<readonly EffectivePolicy[]>;
}
