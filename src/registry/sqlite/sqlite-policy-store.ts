import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { ResourceTag } from '../../domain/ca-certificates/ca-certificate-record.js';
import {
  MAX_POLICY_VERSIONS,
  type PolicyAttachRule,
  type PolicyAttachState,
  type PolicyRule,
  type PolicyState,
} from '../../domain/policies/policy-lifecycle.js';
import type { EffectivePolicy, PolicyRecord, PolicyVersionRecord } from '../../domain/policies/policy-record.js';
import type { Scope } from '../../domain/scope.js';
import { checkPageLimit } from '../keyset-page.js';
import { newestFirst, policyRecordFromRow, policyVersionFromRow, ruleContract } from '../policy-row.js';
import type { NamePage, NamePageQuery, PolicyListPage, PolicyListQuery, PolicyStore } from '../policy-store.js';
import { keyedPage } from '../thing-page.js';
import { announcingTransaction, type SqliteAnnouncer } from './sqlite-changes.js';
import {
  type PolicyAttachmentKey,
  type PolicyKey,
  preparePolicyStatements,
  type SqlitePolicyStatements,
} from './sqlite-policy-statements.js';
import type { CertificateKey } from './sqlite-statements.js';

function policyKey(scope: Scope, policyName: string): PolicyKey {
  return { account_id: scope.accountId, region: scope.region, policy_name: policyName };
}

function certificateKey(scope: Scope, certificateId: string): CertificateKey {
  return { account_id: scope.accountId, region: scope.region, certificate_id: certificateId };
}

function namePage(rows: readonly string[], limit: number): NamePage {
  const { items, next } = keyedPage(
    rows,
    limit,
    (name) => name,
    (name) => name,
  );
  return { names: items, ...(next !== undefined && { next }) };
}

/**
 * PolicyStore on the registry's shared better-sqlite3 connection. Writes are BEGIN IMMEDIATE transactions (the rule
 * decides on rows no other writer can change meanwhile) that log their changes for other processes and publish them
 * here once committed; reads that look at several rows share one read transaction, hence one snapshot.
 */
export class SqlitePolicyStore implements PolicyStore {
  readonly #sql: SqlitePolicyStatements;
  readonly #create: (record: PolicyRecord, document: string, rule: PolicyRule, tags: readonly ResourceTag[]) => void;
  readonly #delete: (scope: Scope, policyName: string, rule: PolicyRule) => void;
  readonly #createVersion: (
    scope: Scope,
    policyName: string,
    document: string,
    setAsDefault: boolean,
    now: number,
    rule: PolicyRule,
  ) => PolicyVersionRecord;
  readonly #deleteVersion: (scope: Scope, policyName: string, versionId: string, rule: PolicyRule) => void;
  readonly #setDefault: (scope: Scope, policyName: string, versionId: string, now: number, rule: PolicyRule) => void;
  readonly #attach: (scope: Scope, policyName: string, certificateId: string, rule: PolicyAttachRule) => void;
  readonly #detach: (scope: Scope, policyName: string, certificateId: string, rule: PolicyAttachRule) => boolean;
  readonly #read: <T>(read: () => T) => T;

  constructor(db: Database.Database, announcer: SqliteAnnouncer = {}) {
    const sql = preparePolicyStatements(db);
    this.#sql = sql;
    const readTransaction = db.transaction((read: () => unknown) => read());
    this.#read = <T>(read: () => T) => readTransaction.deferred(read) as T;
    this.#create = announcingTransaction(db, announcer, (announce, record, document, rule, tags) => {
      const key = policyKey(record, record.policyName);
      const state = this.#state(key);
      rule(state);
      ruleContract(state.policy === undefined, `policy ${record.policyName} to be created over an existing one`);
      sql.insert.run({
        ...key,
        default_version_id: '1',
        next_version_id: 2,
        creation_date: record.creationDate,
        last_modified_date: record.lastModifiedDate,
        generation_id: record.generationId,
      });
      sql.insertVersion.run({ ...key, version_id: '1', document, creation_date: record.creationDate });
      for (const tag of tags) sql.insertTag.run({ ...key, name: tag.Key, value: tag.Value ?? null });
      announce({ kind: 'policy', ...scopeOf(record), policyName: record.policyName });
    });
    this.#delete = announcingTransaction(db, announcer, (announce, scope: Scope, policyName: string, rule) => {
      const key = policyKey(scope, policyName);
      const state = this.#state(key);
      rule(state);
      ruleContract(state.policy !== undefined, `policy ${policyName}, which does not exist, to be deleted`);
      ruleContract(state.targets === 0, `policy ${policyName} to be deleted while attached`);
      ruleContract(state.versions.length === 1, `policy ${policyName} to be deleted with non-default versions`);
      sql.deleteTags.run(key);
      sql.deleteVersions.run(key);
      sql.delete.run(key);
      announce({ kind: 'policy', ...scopeOf(scope), policyName });
    });
    this.#createVersion = announcingTransaction(
      db,
      announcer,
      (announce, scope: Scope, policyName: string, document: string, setAsDefault: boolean, now: number, rule) => {
        const key = policyKey(scope, policyName);
        const state = this.#state(key);
        rule(state);
        ruleContract(state.policy !== undefined, `a version of policy ${policyName}, which does not exist`);
        ruleContract(state.versions.length < MAX_POLICY_VERSIONS, `one version too many for policy ${policyName}`);
        const row = sql.get.get(key);
        const versionId = String(row?.next_version_id);
        sql.insertVersion.run({ ...key, version_id: versionId, document, creation_date: now });
        sql.advance.run(key);
        if (setAsDefault) {
          sql.setDefault.run({ ...key, version_id: versionId, last_modified_date: now, generation_id: randomUUID() });
          announce({ kind: 'policy', ...scopeOf(scope), policyName });
        }
        return {
          ...scopeOf(scope),
          policyName,
          versionId,
          document,
          isDefaultVersion: setAsDefault,
          creationDate: now,
        };
      },
    );
    this.#deleteVersion = announcingTransaction(
      db,
      announcer,
      (_announce, scope: Scope, policyName: string, versionId: string, rule) => {
        const key = policyKey(scope, policyName);
        const state = this.#state(key);
        rule(state);
        const version = state.versions.find((v) => v.versionId === versionId);
        ruleContract(version !== undefined && !version.isDefaultVersion, `version ${versionId} of ${policyName} to go`);
        // A version that is not the default grants nothing: nobody's authorization changes.
        sql.deleteVersion.run({ ...key, version_id: versionId });
      },
    );
    this.#setDefault = announcingTransaction(
      db,
      announcer,
      (announce, scope: Scope, policyName: string, versionId: string, now: number, rule) => {
        const key = policyKey(scope, policyName);
        const state = this.#state(key);
        rule(state);
        const version = state.versions.find((v) => v.versionId === versionId);
        ruleContract(version !== undefined, `absent version ${versionId} of ${policyName} to become the default`);
        if (version?.isDefaultVersion) return;
        sql.setDefault.run({ ...key, version_id: versionId, last_modified_date: now, generation_id: randomUUID() });
        announce({ kind: 'policy', ...scopeOf(scope), policyName });
      },
    );
    this.#attach = announcingTransaction(
      db,
      announcer,
      (announce, scope: Scope, policyName: string, certificateId: string, rule: PolicyAttachRule) => {
        const key = { ...policyKey(scope, policyName), certificate_id: certificateId };
        const state = attachStateOf(sql, key);
        rule(state);
        ruleContract(
          state.policy !== undefined && state.certificateExists,
          `policy ${policyName} to be attached to nothing`,
        );
        if (sql.attach.run(key).changes > 0) {
          announce({ kind: 'policy-attachment', ...scopeOf(scope), policyName, certificateId });
        }
      },
    );
    this.#detach = announcingTransaction(
      db,
      announcer,
      (announce, scope: Scope, policyName: string, certificateId: string, rule: PolicyAttachRule) => {
        const key = { ...policyKey(scope, policyName), certificate_id: certificateId };
        const state = attachStateOf(sql, key);
        rule(state);
        // The row goes even when it names a policy that no longer exists (rows older than the policies table).
        if (sql.detach.run(key).changes === 0) return false;
        announce({ kind: 'policy-attachment', ...scopeOf(scope), policyName, certificateId });
        return true;
      },
    );
  }

  async createPolicy(
    record: PolicyRecord,
    document: string,
    rule: PolicyRule,
    tags: readonly ResourceTag[] = [],
  ): Promise<PolicyRecord> {
    this.#create(record, document, rule, tags);
    return this.#policy(policyKey(record, record.policyName)) as PolicyRecord;
  }

  async listPolicyTags(scope: Scope, policyName: string): Promise<readonly ResourceTag[] | undefined> {
    const key = policyKey(scope, policyName);
    return this.#read(() => {
      if (this.#policy(key) === undefined) return undefined;
      return this.#sql.tags
        .all(key)
        .map((tag): ResourceTag => (tag.value === null ? { Key: tag.name } : { Key: tag.name, Value: tag.value }));
    });
  }

  async getPolicy(scope: Scope, policyName: string): Promise<{ policy: PolicyRecord; document: string } | undefined> {
    const key = policyKey(scope, policyName);
    return this.#read(() => {
      const policy = this.#policy(key);
      if (policy === undefined) return undefined;
      const version = this.#sql.getVersion.get({ ...key, version_id: policy.defaultVersionId });
      if (version === undefined) throw new Error(`policy ${policyName} has lost its default version`);
      return { policy, document: version.document };
    });
  }

  async listPolicies(scope: Scope, query: PolicyListQuery): Promise<PolicyListPage> {
    checkPageLimit(query.limit);
    const rows = this.#sql.page(query.ascending, query.after !== undefined).all({
      ...policyKey(scope, ''),
      // One row more than asked tells whether another page follows.
      limit: query.limit + 1,
      ...(query.after !== undefined && { after: query.after }),
    });
    const { items, next } = keyedPage(rows, query.limit, policyRecordFromRow, (policy) => policy.policyName);
    return { records: items, ...(next !== undefined && { next }) };
  }

  async deletePolicy(scope: Scope, policyName: string, rule: PolicyRule): Promise<void> {
    this.#delete(scope, policyName, rule);
  }

  async createPolicyVersion(
    scope: Scope,
    policyName: string,
    document: string,
    setAsDefault: boolean,
    now: number,
    rule: PolicyRule,
  ): Promise<PolicyVersionRecord> {
    return this.#createVersion(scope, policyName, document, setAsDefault, now, rule);
  }

  async getPolicyVersion(scope: Scope, policyName: string, versionId: string) {
    const row = this.#sql.getVersion.get({ ...policyKey(scope, policyName), version_id: versionId });
    return row === undefined ? undefined : policyVersionFromRow(scope, row);
  }

  async listPolicyVersions(scope: Scope, policyName: string): Promise<readonly PolicyVersionRecord[] | undefined> {
    const key = policyKey(scope, policyName);
    return this.#read(() => {
      if (this.#policy(key) === undefined) return undefined;
      return newestFirst(this.#sql.versions.all(key).map((row) => policyVersionFromRow(scope, row)));
    });
  }

  async deletePolicyVersion(scope: Scope, policyName: string, versionId: string, rule: PolicyRule): Promise<void> {
    this.#deleteVersion(scope, policyName, versionId, rule);
  }

  async setDefaultPolicyVersion(scope: Scope, policyName: string, versionId: string, now: number, rule: PolicyRule) {
    this.#setDefault(scope, policyName, versionId, now, rule);
  }

  async attachPolicy(scope: Scope, policyName: string, certificateId: string, rule: PolicyAttachRule): Promise<void> {
    this.#attach(scope, policyName, certificateId, rule);
  }

  async detachPolicy(scope: Scope, policyName: string, certificateId: string, rule: PolicyAttachRule) {
    return this.#detach(scope, policyName, certificateId, rule);
  }

  async listAttachedPolicies(scope: Scope, certificateId: string, query: NamePageQuery): Promise<NamePage | undefined> {
    checkPageLimit(query.limit);
    const key = certificateKey(scope, certificateId);
    return this.#read(() => {
      if (this.#sql.certificateExists.get(key) === undefined) return undefined;
      const rows = this.#sql.attachedPolicies(query.after !== undefined).all({ ...key, ...pageParams(query) });
      return namePage(rows, query.limit);
    });
  }

  async listPolicyTargets(scope: Scope, policyName: string, query: NamePageQuery): Promise<NamePage | undefined> {
    checkPageLimit(query.limit);
    const key = policyKey(scope, policyName);
    return this.#read(() => {
      if (this.#policy(key) === undefined) return undefined;
      const rows = this.#sql.targets(query.after !== undefined).all({ ...key, ...pageParams(query) });
      return namePage(rows, query.limit);
    });
  }

  async effectivePolicies(scope: Scope, certificateId: string): Promise<readonly EffectivePolicy[]> {
    return this.#sql.effective.all(certificateKey(scope, certificateId)).map((row) => ({
      policyName: row.policy_name,
      versionId: row.version_id,
      document: row.document,
    }));
  }

  #policy(key: PolicyKey): PolicyRecord | undefined {
    const row = this.#sql.get.get(key);
    return row === undefined ? undefined : policyRecordFromRow(row);
  }

  /** What a policy rule decides on: the policy, its versions and how many certificates it is attached to. */
  #state(key: PolicyKey): PolicyState {
    const policy = this.#policy(key);
    if (policy === undefined) return { policy, versions: [], targets: 0 };
    const versions = this.#sql.versions.all(key).map((row) => ({
      versionId: row.version_id,
      isDefaultVersion: row.is_default === 1 || row.is_default === true,
    }));
    return { policy, versions, targets: this.#sql.countTargets.get(key) ?? 0 };
  }
}

function scopeOf(scope: Scope): Scope {
  return { accountId: scope.accountId, region: scope.region };
}

function pageParams(query: NamePageQuery): { limit: number; after?: string } {
  // One row more than asked tells whether another page follows.
  return { limit: query.limit + 1, ...(query.after !== undefined && { after: query.after }) };
}

/** What an attach or detach rule decides on, read inside the writing transaction. */
function attachStateOf(sql: SqlitePolicyStatements, key: PolicyAttachmentKey): PolicyAttachState {
  const policy = sql.get.get(key);
  const certificateExists = sql.certificateExists.get(key) !== undefined;
  const attached = certificateExists && sql.attached.get(key) !== undefined;
  const certificatePolicies = certificateExists ? (sql.certificatePolicies.get(key) ?? 0) : 0;
  return { policy: policy && policyRecordFromRow(policy), certificateExists, attached, certificatePolicies };
}
