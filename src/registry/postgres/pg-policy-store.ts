import { randomUUID } from 'node:crypto';
import type { ResourceTag } from '../../domain/ca-certificates/ca-certificate-record.js';
import {
  MAX_POLICY_VERSIONS,
  type PolicyAttachRule,
  type PolicyRule,
  type PolicyState,
} from '../../domain/policies/policy-lifecycle.js';
import type { EffectivePolicy, PolicyRecord, PolicyVersionRecord } from '../../domain/policies/policy-record.js';
import type { Scope } from '../../domain/scope.js';
import { checkPageLimit } from '../keyset-page.js';
import {
  type EffectivePolicyRow,
  newestFirst,
  POLICY_COLUMNS,
  type PolicyRow,
  type PolicyVersionRow,
  policyRecordFromRow,
  policyVersionFromRow,
  ruleContract,
} from '../policy-row.js';
import type { NamePage, NamePageQuery, PolicyListPage, PolicyListQuery, PolicyStore } from '../policy-store.js';
import { keyedPage } from '../thing-page.js';
import type { PgDatabase } from './pg-database.js';
import { announceChange } from './pg-notify.js';
import type { PgQueryable } from './pg-transaction.js';

/**
 * Locks, always policy before certificate so that no two transactions wait on each other in a cycle: every change to
 * a policy reads it FOR UPDATE; attach and detach read it FOR SHARE (DeletePolicy waits for them, then counts the
 * targets they left) and the certificate FOR NO KEY UPDATE (so one certificate's quota is decided one attach at a
 * time). CreatePolicy locks a name that has no row yet with a transaction-scoped advisory lock.
 * Names compare and sort in byte order (COLLATE "C"), as SQLite's BINARY does, so both engines page alike.
 */

const COLUMNS = POLICY_COLUMNS.join(', ');
/** $1, $2, $3: account, region, policy name. */
const POLICY = 'account_id = $1 AND region = $2 AND policy_name = $3';
const GET = `SELECT ${COLUMNS} FROM policies WHERE ${POLICY}`;
const GET_FOR_UPDATE = `${GET} FOR UPDATE`;
const GET_FOR_SHARE = `${GET} FOR SHARE`;
const NAME_LOCK = 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))';
const INSERT = `INSERT INTO policies (${COLUMNS}) VALUES (${POLICY_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`;
const INSERT_VERSION = `INSERT INTO policy_versions (account_id, region, policy_name, version_id, document, creation_date)
  VALUES ($1, $2, $3, $4, $5, $6)`;
const INSERT_TAGS = `INSERT INTO policy_tags (account_id, region, policy_name, name, value)
  SELECT $1, $2, $3, tag.name, tag.value FROM unnest($4::text[], $5::text[]) AS tag (name, value)`;
const VERSIONS = `SELECT v.policy_name, v.version_id, v.document, v.creation_date,
  v.version_id = p.default_version_id AS is_default
  FROM policy_versions v JOIN policies p ON p.account_id = v.account_id AND p.region = v.region
    AND p.policy_name = v.policy_name
  WHERE v.account_id = $1 AND v.region = $2 AND v.policy_name = $3`;
const GET_VERSION = `${VERSIONS} AND v.version_id = $4`;
const TAGS = `SELECT name, value FROM policy_tags WHERE ${POLICY} ORDER BY name COLLATE "C"`;
const COUNT_TARGETS = `SELECT COUNT(*) AS n FROM certificate_attachments
  WHERE account_id = $1 AND region = $2 AND kind = 'policy' AND name = $3`;
const ADVANCE = `UPDATE policies SET next_version_id = next_version_id + 1 WHERE ${POLICY}`;
const SET_DEFAULT = `UPDATE policies SET default_version_id = $4, last_modified_date = $5, generation_id = $6
  WHERE ${POLICY}`;
const DELETE_VERSION = `DELETE FROM policy_versions WHERE ${POLICY} AND version_id = $4`;
const DELETE_VERSIONS = `DELETE FROM policy_versions WHERE ${POLICY}`;
const DELETE_TAGS = `DELETE FROM policy_tags WHERE ${POLICY}`;
const DELETE = `DELETE FROM policies WHERE ${POLICY}`;
/** $1, $2, $3: account, region, certificate id. */
const CERTIFICATE_EXISTS = 'SELECT 1 FROM certificates WHERE account_id = $1 AND region = $2 AND certificate_id = $3';
const LOCK_CERTIFICATE = `${CERTIFICATE_EXISTS} FOR NO KEY UPDATE`;
/** Attachments `a` of the certificate $1/$2/$3 to policies `p` that exist. */
const ATTACHED_POLICIES = `certificate_attachments a JOIN policies p ON p.account_id = a.account_id
  AND p.region = a.region AND p.policy_name = a.name
  WHERE a.account_id = $1 AND a.region = $2 AND a.certificate_id = $3 AND a.kind = 'policy'`;
/** $1..$4: account, region, certificate id, policy name. */
const ATTACHMENT_STATE = `SELECT
  EXISTS (SELECT 1 FROM certificate_attachments
    WHERE account_id = $1 AND region = $2 AND certificate_id = $3 AND kind = 'policy' AND name = $4) AS attached,
  (SELECT COUNT(*) FROM ${ATTACHED_POLICIES}) AS policies`;
const ATTACH = `INSERT INTO certificate_attachments (account_id, region, certificate_id, kind, name)
  VALUES ($1, $2, $3, 'policy', $4) ON CONFLICT DO NOTHING`;
const DETACH = `DELETE FROM certificate_attachments
  WHERE account_id = $1 AND region = $2 AND certificate_id = $3 AND kind = 'policy' AND name = $4`;
const EFFECTIVE = `SELECT p.policy_name, v.version_id, v.document
  FROM certificate_attachments a JOIN policies p ON p.account_id = a.account_id
    AND p.region = a.region AND p.policy_name = a.name
  JOIN policy_versions v ON v.account_id = p.account_id AND v.region = p.region
    AND v.policy_name = p.policy_name AND v.version_id = p.default_version_id
  WHERE a.account_id = $1 AND a.region = $2 AND a.certificate_id = $3 AND a.kind = 'policy'
  ORDER BY p.policy_name COLLATE "C"`;

type Key = readonly [string, string, string];

function keyOf(scope: Scope, name: string): Key {
  return [scope.accountId, scope.region, name];
}

function scopeOf(scope: Scope): Scope {
  return { accountId: scope.accountId, region: scope.region };
}

/**
 * PolicyStore on PostgreSQL: each write is one READ COMMITTED transaction that announces its change with NOTIFY
 * inside it (heard only once committed); reads run on the pool, several-row reads in one statement.
 */
export class PgPolicyStore implements PolicyStore {
  readonly #db: PgDatabase;

  constructor(db: PgDatabase) {
    this.#db = db;
  }

  async createPolicy(
    record: PolicyRecord,
    document: string,
    rule: PolicyRule,
    tags: readonly ResourceTag[] = [],
  ): Promise<PolicyRecord> {
    const key = keyOf(record, record.policyName);
    return this.#db.transaction(async (tx) => {
      await tx.query(NAME_LOCK, [`fleetca/policy/${record.accountId}/${record.region}/${record.policyName}`]);
      const state = await stateOf(tx, GET_FOR_UPDATE, key);
      rule(state);
      ruleContract(state.policy === undefined, `policy ${record.policyName} to be created over an existing one`);
      await tx.query(INSERT, [...key, '1', 2, record.creationDate, record.lastModifiedDate, record.generationId]);
      await tx.query(INSERT_VERSION, [...key, '1', document, record.creationDate]);
      if (tags.length > 0) {
        await tx.query(INSERT_TAGS, [...key, tags.map((tag) => tag.Key), tags.map((tag) => tag.Value ?? null)]);
      }
      await announceChange(tx, { kind: 'policy', ...scopeOf(record), policyName: record.policyName });
      return (await readPolicy(tx, GET, key)) as PolicyRecord;
    });
  }

  async listPolicyTags(scope: Scope, policyName: string): Promise<readonly ResourceTag[] | undefined> {
    const key = keyOf(scope, policyName);
    if ((await readPolicy(this.#db, GET, key)) === undefined) return undefined;
    const { rows } = await this.#db.query<{ name: string; value: string | null }>(TAGS, key);
    return rows.map(
      (tag): ResourceTag => (tag.value === null ? { Key: tag.name } : { Key: tag.name, Value: tag.value }),
    );
  }

  async getPolicy(scope: Scope, policyName: string): Promise<{ policy: PolicyRecord; document: string } | undefined> {
    // One statement, one snapshot: the policy with its default version's document.
    const { rows } = await this.#db.query<PolicyRow & { document: string }>(
      `SELECT ${POLICY_COLUMNS.map((column) => `p.${column}`).join(', ')}, v.document FROM policies p
        JOIN policy_versions v ON v.account_id = p.account_id AND v.region = p.region
          AND v.policy_name = p.policy_name AND v.version_id = p.default_version_id
        WHERE p.account_id = $1 AND p.region = $2 AND p.policy_name = $3`,
      keyOf(scope, policyName),
    );
    const row = rows[0];
    return row === undefined ? undefined : { policy: policyRecordFromRow(row), document: row.document };
  }

  async listPolicies(scope: Scope, query: PolicyListQuery): Promise<PolicyListPage> {
    checkPageLimit(query.limit);
    const direction = query.ascending ? 'ASC' : 'DESC';
    const after = query.after === undefined ? '' : `AND policy_name COLLATE "C" ${query.ascending ? '>' : '<'} $4`;
    // One row more than asked tells whether another page follows.
    const { rows } = await this.#db.query<PolicyRow>(
      `SELECT ${COLUMNS} FROM policies WHERE account_id = $1 AND region = $2 ${after}
        ORDER BY policy_name COLLATE "C" ${direction} LIMIT $3`,
      [scope.accountId, scope.region, query.limit + 1, ...(query.after === undefined ? [] : [query.after])],
    );
    const { items, next } = keyedPage(rows, query.limit, policyRecordFromRow, (policy) => policy.policyName);
    return { records: items, ...(next !== undefined && { next }) };
  }

  deletePolicy(scope: Scope, policyName: string, rule: PolicyRule): Promise<void> {
    const key = keyOf(scope, policyName);
    return this.#db.transaction(async (tx) => {
      const state = await stateOf(tx, GET_FOR_UPDATE, key);
      rule(state);
      ruleContract(state.policy !== undefined, `policy ${policyName}, which does not exist, to be deleted`);
      ruleContract(state.targets === 0, `policy ${policyName} to be deleted while attached`);
      ruleContract(state.versions.length === 1, `policy ${policyName} to be deleted with non-default versions`);
      await tx.query(DELETE_TAGS, key);
      await tx.query(DELETE_VERSIONS, key);
      await tx.query(DELETE, key);
      await announceChange(tx, { kind: 'policy', ...scopeOf(scope), policyName });
    });
  }

  createPolicyVersion(
    scope: Scope,
    policyName: string,
    document: string,
    setAsDefault: boolean,
    now: number,
    rule: PolicyRule,
  ): Promise<PolicyVersionRecord> {
    const key = keyOf(scope, policyName);
    return this.#db.transaction(async (tx) => {
      const state = await stateOf(tx, GET_FOR_UPDATE, key);
      rule(state);
      ruleContract(state.policy !== undefined, `a version of policy ${policyName}, which does not exist`);
      ruleContract(state.versions.length < MAX_POLICY_VERSIONS, `one version too many for policy ${policyName}`);
      const { rows } = await tx.query<PolicyRow>(GET, key);
      const versionId = String(rows[0]?.next_version_id);
      await tx.query(INSERT_VERSION, [...key, versionId, document, now]);
      await tx.query(ADVANCE, key);
      if (setAsDefault) {
        await tx.query(SET_DEFAULT, [...key, versionId, now, randomUUID()]);
        await announceChange(tx, { kind: 'policy', ...scopeOf(scope), policyName });
      }
      return { ...scopeOf(scope), policyName, versionId, document, isDefaultVersion: setAsDefault, creationDate: now };
    });
  }

  async getPolicyVersion(scope: Scope, policyName: string, versionId: string) {
    const { rows } = await this.#db.query<PolicyVersionRow>(GET_VERSION, [...keyOf(scope, policyName), versionId]);
    return rows[0] === undefined ? undefined : policyVersionFromRow(scope, rows[0]);
  }

  async listPolicyVersions(scope: Scope, policyName: string): Promise<readonly PolicyVersionRecord[] | undefined> {
    // A policy always has its default version, so no rows means no policy.
    const { rows } = await this.#db.query<PolicyVersionRow>(VERSIONS, keyOf(scope, policyName));
    if (rows.length === 0) return undefined;
    return newestFirst(rows.map((row) => policyVersionFromRow(scope, row)));
  }

  deletePolicyVersion(scope: Scope, policyName: string, versionId: string, rule: PolicyRule): Promise<void> {
    const key = keyOf(scope, policyName);
    return this.#db.transaction(async (tx) => {
      const state = await stateOf(tx, GET_FOR_UPDATE, key);
      rule(state);
      const version = state.versions.find((v) => v.versionId === versionId);
      ruleContract(version !== undefined && !version.isDefaultVersion, `version ${versionId} of ${policyName} to go`);
      // A version that is not the default grants nothing: nobody's authorization changes.
      await tx.query(DELETE_VERSION, [...key, versionId]);
    });
  }

  setDefaultPolicyVersion(scope: Scope, policyName: string, versionId: string, now: number, rule: PolicyRule) {
    const key = keyOf(scope, policyName);
    return this.#db.transaction(async (tx) => {
      const state = await stateOf(tx, GET_FOR_UPDATE, key);
      rule(state);
      const version = state.versions.find((v) => v.versionId === versionId);
      ruleContract(version !== undefined, `absent version ${versionId} of ${policyName} to become the default`);
      if (version?.isDefaultVersion) return;
      await tx.query(SET_DEFAULT, [...key, versionId, now, randomUUID()]);
      await announceChange(tx, { kind: 'policy', ...scopeOf(scope), policyName });
    });
  }

  attachPolicy(scope: Scope, policyName: string, certificateId: string, rule: PolicyAttachRule): Promise<void> {
    return this.#db.transaction(async (tx) => {
      const policy = await decideAttachment(tx, scope, policyName, certificateId, rule);
      ruleContract(policy, `policy ${policyName} to be attached to certificate ${certificateId}, one of them absent`);
      const inserted = await tx.query(ATTACH, [...keyOf(scope, certificateId), policyName]);
      if ((inserted.rowCount ?? 0) > 0) {
        await announceChange(tx, { kind: 'policy-attachment', ...scopeOf(scope), policyName, certificateId });
      }
    });
  }

  detachPolicy(scope: Scope, policyName: string, certificateId: string, rule: PolicyAttachRule): Promise<boolean> {
    return this.#db.transaction(async (tx) => {
      await decideAttachment(tx, scope, policyName, certificateId, rule);
      // The row goes even when it names a policy that no longer exists (rows older than the policies table).
      const deleted = await tx.query(DETACH, [...keyOf(scope, certificateId), policyName]);
      if ((deleted.rowCount ?? 0) === 0) return false;
      await announceChange(tx, { kind: 'policy-attachment', ...scopeOf(scope), policyName, certificateId });
      return true;
    });
  }

  async listAttachedPolicies(scope: Scope, certificateId: string, query: NamePageQuery): Promise<NamePage | undefined> {
    checkPageLimit(query.limit);
    const key = keyOf(scope, certificateId);
    if ((await this.#db.query(CERTIFICATE_EXISTS, key)).rows.length === 0) return undefined;
    const after = query.after === undefined ? '' : 'AND a.name COLLATE "C" > $5';
    return namePage(
      this.#db,
      `SELECT a.name AS name FROM ${ATTACHED_POLICIES} ${after} ORDER BY a.name COLLATE "C" LIMIT $4`,
      [...key, query.limit + 1, ...(query.after === undefined ? [] : [query.after])],
      query.limit,
    );
  }

  async listPolicyTargets(scope: Scope, policyName: string, query: NamePageQuery): Promise<NamePage | undefined> {
    checkPageLimit(query.limit);
    const key = keyOf(scope, policyName);
    if ((await readPolicy(this.#db, GET, key)) === undefined) return undefined;
    const after = query.after === undefined ? '' : 'AND certificate_id COLLATE "C" > $5';
    return namePage(
      this.#db,
      `SELECT certificate_id AS name FROM certificate_attachments
        WHERE account_id = $1 AND region = $2 AND kind = 'policy' AND name = $3 ${after}
        ORDER BY certificate_id COLLATE "C" LIMIT $4`,
      [...key, query.limit + 1, ...(query.after === undefined ? [] : [query.after])],
      query.limit,
    );
  }

  async effectivePolicies(scope: Scope, certificateId: string): Promise<readonly EffectivePolicy[]> {
    const { rows } = await this.#db.query<EffectivePolicyRow>(EFFECTIVE, keyOf(scope, certificateId));
    return rows.map((row) => ({ policyName: row.policy_name, versionId: row.version_id, document: row.document }));
  }
}

async function readPolicy(tx: PgQueryable, statement: string, key: Key): Promise<PolicyRecord | undefined> {
  const { rows } = await tx.query<PolicyRow>(statement, key);
  return rows[0] === undefined ? undefined : policyRecordFromRow(rows[0]);
}

/** The policy (read with `statement`, which locks it), its versions and how many certificates it is attached to. */
async function stateOf(tx: PgQueryable, statement: string, key: Key): Promise<PolicyState> {
  const policy = await readPolicy(tx, statement, key);
  if (policy === undefined) return { policy, versions: [], targets: 0 };
  const { rows: versions } = await tx.query<PolicyVersionRow>(VERSIONS, key);
  const { rows } = await tx.query<{ n: string }>(COUNT_TARGETS, key);
  return {
    policy,
    versions: versions.map((row) => ({ versionId: row.version_id, isDefaultVersion: row.is_default === true })),
    targets: Number(rows[0]?.n ?? 0),
  };
}

/** Locks and reads what an attach or detach rule decides on, and runs it; true when both ends exist. */
async function decideAttachment(
  tx: PgQueryable,
  scope: Scope,
  policyName: string,
  certificateId: string,
  rule: PolicyAttachRule,
): Promise<boolean> {
  const policy = await readPolicy(tx, GET_FOR_SHARE, keyOf(scope, policyName));
  const certificateKey = keyOf(scope, certificateId);
  const certificateExists = (await tx.query(LOCK_CERTIFICATE, certificateKey)).rows.length > 0;
  const { rows } = await tx.query<{ attached: boolean; policies: string }>(ATTACHMENT_STATE, [
    ...certificateKey,
    policyName,
  ]);
  rule({
    policy,
    certificateExists,
    attached: certificateExists && rows[0]?.attached === true,
    certificatePolicies: certificateExists ? Number(rows[0]?.policies ?? 0) : 0,
  });
  return policy !== undefined && certificateExists;
}

async function namePage(db: PgQueryable, text: string, values: readonly unknown[], limit: number): Promise<NamePage> {
  const { rows } = await db.query<{ name: string }>(text, values);
  const { items, next } = keyedPage(
    rows,
    limit,
    (row) => row.name,
    (name) => name,
  );
  return { names: items, ...(next !== undefined && { next }) };
}
