import type { PolicyRecord } from './policy-record.js';

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
