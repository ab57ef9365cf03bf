import type Database from 'better-sqlite3';
import { type EffectivePolicyRow, POLICY_COLUMNS, type PolicyRow, type PolicyVersionRow } from '../policy-row.js';
import type { CertificateKey } from './sqlite-statements.js';

/** Identifies one policy within its account and region. */
export interface PolicyKey {
  readonly account_id: string;
  readonly region: string;
  readonly policy_name: string;
}

export interface PolicyVersionKey extends PolicyKey {
  readonly version_id: string;
}

/** Identifies one policy ⇄ certificate attachment. */
export interface PolicyAttachmentKey extends PolicyKey {
  readonly certificate_id: string;
}

/** A page of names: the limit (one more than asked) and the exclusive start. */
export interface NamePageParams {
  readonly limit: number;
  readonly after?: string;
}

type PolicyRowValues = Readonly<Record<(typeof POLICY_COLUMNS)[number], string | number>>;

/** Every statement the SQLite policy store runs, prepared once per connection. */
export interface SqlitePolicyStatements {
  readonly insert: Database.Statement<[PolicyRowValues]>;
  readonly insertVersion: Database.Statement<[PolicyVersionKey & { document: string; creation_date: number }]>;
  readonly insertTag: Database.Statement<[PolicyKey & { name: string; value: string | null }]>;
  readonly get: Database.Statement<[PolicyKey], PolicyRow>;
  readonly getVersion: Database.Statement<[PolicyVersionKey], PolicyVersionRow>;
  readonly versions: Database.Statement<[PolicyKey], PolicyVersionRow>;
  readonly tags: Database.Statement<[PolicyKey], { name: string; value: string | null }>;
  readonly countTargets: Database.Statement<[PolicyKey], number>;
  /** Policies ordered by name, by [ascending][after]. */
  readonly page: (ascending: boolean, after: boolean) => Database.Statement<[PolicyKey & NamePageParams], PolicyRow>;
  readonly advance: Database.Statement<[PolicyKey]>;
  readonly setDefault: Database.Statement<[PolicyVersionKey & { last_modified_date: number; generation_id: string }]>;
  readonly deleteVersion: Database.Statement<[PolicyVersionKey]>;
  readonly deleteVersions: Database.Statement<[PolicyKey]>;
  readonly deleteTags: Database.Statement<[PolicyKey]>;
  readonly delete: Database.Statement<[PolicyKey]>;
  readonly certificateExists: Database.Statement<[CertificateKey], number>;
  readonly attached: Database.Statement<[PolicyAttachmentKey], number>;
  /** Existing policies attached to the certificate (rows naming absent policies are not counted). */
  readonly certificatePolicies: Database.Statement<[CertificateKey], number>;
  readonly attach: Database.Statement<[PolicyAttachmentKey]>;
  readonly detach: Database.Statement<[PolicyAttachmentKey]>;
  readonly attachedPolicies: (after: boolean) => Database.Statement<[CertificateKey & NamePageParams], string>;
  readonly targets: (after: boolean) => Database.Statement<[PolicyKey & NamePageParams], string>;
  readonly effective: Database.Statement<[CertificateKey], EffectivePolicyRow>;
}

const COLUMNS = POLICY_COLUMNS.join(', ');
const SCOPE = 'account_id = @account_id AND region = @region';
const POLICY = `${SCOPE} AND policy_name = @policy_name`;
const CERTIFICATE = `${SCOPE} AND certificate_id = @certificate_id`;
const ATTACHMENT = `${CERTIFICATE} AND kind = 'policy' AND name = @policy_name`;
/** Attachments `a` joined to the policies `p` they name, so that rows naming absent policies drop out. */
const ATTACHED_POLICIES = `certificate_attachments a JOIN policies p ON p.account_id = a.account_id
  AND p.region = a.region AND p.policy_name = a.name`;
const OF_CERTIFICATE = `a.account_id = @account_id AND a.region = @region AND a.certificate_id = @certificate_id
  AND a.kind = 'policy'`;
const EXISTING_ATTACHED = `${ATTACHED_POLICIES} WHERE ${OF_CERTIFICATE}`;
const VERSION_COLUMNS = `v.policy_name, v.version_id, v.document, v.creation_date,
  CASE WHEN v.version_id = p.default_version_id THEN 1 ELSE 0 END AS is_default`;
const VERSIONS_OF = `policy_versions v JOIN policies p ON p.account_id = v.account_id AND p.region = v.region
  AND p.policy_name = v.policy_name WHERE v.account_id = @account_id AND v.region = @region
  AND v.policy_name = @policy_name`;

function pageSql(ascending: boolean, after: boolean): string {
  const direction = ascending ? 'ASC' : 'DESC';
  return [
    `SELECT ${COLUMNS} FROM policies WHERE ${SCOPE}`,
    after ? `AND policy_name ${ascending ? '>' : '<'} @after` : '',
    // The primary key (account_id, region, policy_name) gives this order without a sort, either way.
    `ORDER BY policy_name ${direction} LIMIT @limit`,
  ]
    .filter((part) => part !== '')
    .join(' ');
}

/** Prepares the statements; the SQL stays portable apart from the @name parameter style. */
export function preparePolicyStatements(db: Database.Database): SqlitePolicyStatements {
  const pages = new Map<string, Database.Statement<[PolicyKey & NamePageParams], PolicyRow>>();
  for (const ascending of [false, true]) {
    for (const after of [false, true]) pages.set(`${ascending}:${after}`, db.prepare(pageSql(ascending, after)));
  }
  const attachedPolicies = [false, true].map((after) =>
    db
      .prepare<[CertificateKey & NamePageParams], string>(
        `SELECT a.name FROM ${EXISTING_ATTACHED} ${after ? 'AND a.name > @after' : ''} ORDER BY a.name LIMIT @limit`,
      )
      .pluck(),
  );
  const targets = [false, true].map((after) =>
    db
      .prepare<[PolicyKey & NamePageParams], string>(
        `SELECT certificate_id FROM certificate_attachments WHERE ${SCOPE} AND kind = 'policy'
          AND name = @policy_name ${after ? 'AND certificate_id > @after' : ''} ORDER BY certificate_id LIMIT @limit`,
      )
      .pluck(),
  );
  return {
    insert: db.prepare(`INSERT INTO policies (${COLUMNS}) VALUES (${POLICY_COLUMNS.map((c) => `@${c}`).join(', ')})`),
    insertVersion: db.prepare(
      `INSERT INTO policy_versions (account_id, region, policy_name, version_id, document, creation_date)
        VALUES (@account_id, @region, @policy_name, @version_id, @document, @creation_date)`,
    ),
    insertTag: db.prepare(
      `INSERT INTO policy_tags (account_id, region, policy_name, name, value)
        VALUES (@account_id, @region, @policy_name, @name, @value)`,
    ),
    get: db.prepare(`SELECT ${COLUMNS} FROM policies WHERE ${POLICY}`),
    getVersion: db.prepare(`SELECT ${VERSION_COLUMNS} FROM ${VERSIONS_OF} AND v.version_id = @version_id`),
    versions: db.prepare(`SELECT ${VERSION_COLUMNS} FROM ${VERSIONS_OF}`),
    tags: db.prepare(`SELECT name, value FROM policy_tags WHERE ${POLICY} ORDER BY name`),
    countTargets: db
      .prepare<[PolicyKey], number>(
        `SELECT COUNT(*) FROM certificate_attachments WHERE ${SCOPE} AND kind = 'policy' AND name = @policy_name`,
      )
      .pluck(),
    page: (ascending, after) =>
      pages.get(`${ascending}:${after}`) as Database.Statement<[PolicyKey & NamePageParams], PolicyRow>,
    advance: db.prepare(`UPDATE policies SET next_version_id = next_version_id + 1 WHERE ${POLICY}`),
    setDefault: db.prepare(
      `UPDATE policies SET default_version_id = @version_id, last_modified_date = @last_modified_date,
        generation_id = @generation_id WHERE ${POLICY}`,
    ),
    deleteVersion: db.prepare(`DELETE FROM policy_versions WHERE ${POLICY} AND version_id = @version_id`),
    deleteVersions: db.prepare(`DELETE FROM policy_versions WHERE ${POLICY}`),
    deleteTags: db.prepare(`DELETE FROM policy_tags WHERE ${POLICY}`),
    delete: db.prepare(`DELETE FROM policies WHERE ${POLICY}`),
    certificateExists: db.prepare<[CertificateKey], number>(`SELECT 1 FROM certificates WHERE ${CERTIFICATE}`).pluck(),
    attached: db
      .prepare<[PolicyAttachmentKey], number>(`SELECT 1 FROM certificate_attachments WHERE ${ATTACHMENT}`)
      .pluck(),
    certificatePolicies: db.prepare<[CertificateKey], number>(`SELECT COUNT(*) FROM ${EXISTING_ATTACHED}`).pluck(),
    attach: db.prepare(
      `INSERT INTO certificate_attachments (account_id, region, certificate_id, kind, name)
        VALUES (@account_id, @region, @certificate_id, 'policy', @policy_name) ON CONFLICT DO NOTHING`,
    ),
    detach: db.prepare(`DELETE FROM certificate_attachments WHERE ${ATTACHMENT}`),
    attachedPolicies: (after) =>
      attachedPolicies[after ? 1 : 0] as Database.Statement<[CertificateKey & NamePageParams], string>,
    targets: (after) => targets[after ? 1 : 0] as Database.Statement<[PolicyKey & NamePageParams], string>,
    effective: db.prepare(
      `SELECT p.policy_name, v.version_id, v.document FROM ${ATTACHED_POLICIES}
        JOIN policy_versions v ON v.account_id = p.account_id AND v.region = p.region
          AND v.policy_name = p.policy_name AND v.version_id = p.default_version_id
        WHERE ${OF_CERTIFICATE} ORDER BY p.policy_name`,
    ),
  };
}
