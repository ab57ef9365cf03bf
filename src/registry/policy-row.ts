import type { PolicyRecord, PolicyVersionRecord } from '../domain/policies/policy-record.js';
import type { Scope } from '../domain/scope.js';
import { StoreError } from './store-error.js';

/** The columns of `policies`, in schema order. */
export const POLICY_COLUMNS = [
  'account_id',
  'region',
  'policy_name',
  'default_version_id',
  'next_version_id',
  'creation_date',
  'last_modified_date',
  'generation_id',
] as const;

/** A row as a driver hands it back: PostgreSQL returns BIGINT columns as strings. */
export interface PolicyRow {
  readonly account_id: string;
  readonly region: string;
  readonly policy_name: string;
  readonly default_version_id: string;
  readonly next_version_id: number | string;
  readonly creation_date: number | string;
  readonly last_modified_date: number | string;
  readonly generation_id: string;
}

/** One version as read with its policy's default: `is_default` is 1/0 on SQLite, a boolean on PostgreSQL. */
export interface PolicyVersionRow {
  readonly policy_name: string;
  readonly version_id: string;
  readonly document: string;
  readonly creation_date: number | string;
  readonly is_default: number | boolean;
}

/** A default document as effectivePolicies reads it. */
export interface EffectivePolicyRow {
  readonly policy_name: string;
  readonly version_id: string;
  readonly document: string;
}

export function policyRecordFromRow(row: PolicyRow): PolicyRecord {
  return {
    accountId: row.account_id,
    region: row.region,
    policyName: row.policy_name,
    defaultVersionId: row.default_version_id,
    creationDate: Number(row.creation_date),
    lastModifiedDate: Number(row.last_modified_date),
    generationId: row.generation_id,
  };
}

export function policyVersionFromRow(scope: Scope, row: PolicyVersionRow): PolicyVersionRecord {
  return {
    accountId: scope.accountId,
    region: scope.region,
    policyName: row.policy_name,
    versionId: row.version_id,
    document: row.document,
    isDefaultVersion: row.is_default === true || row.is_default === 1,
    creationDate: Number(row.creation_date),
  };
}

/** Newest first: version ids are decimal text, so "10" sorts after "9" only as numbers. */
export function newestFirst(versions: readonly PolicyVersionRecord[]): PolicyVersionRecord[] {
  return [...versions].sort((a, b) => Number(b.versionId) - Number(a.versionId));
}

/**
 * Refuses to write what a rule let through against the schema's invariants: a rule that breaks its contract is a
 * programming error, answered as an internal failure, never a half-applied change.
 */
export function ruleContract(condition: boolean, what: string): void {
  if (!condition) throw new StoreError('RULE_CONTRACT', `policy rule allowed ${what}`);
}
