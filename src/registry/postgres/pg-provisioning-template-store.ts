import type { ProvisioningTemplateRecord } from '../../domain/provisioning/provisioning-template-record.js';
import type { Scope } from '../../domain/scope.js';
import { checkPageLimit } from '../keyset-page.js';
import {
  hookColumn,
  PROVISIONING_TEMPLATE_COLUMNS,
  type ProvisioningTemplateRow,
  templatePage,
  templateRecordFromRow,
  templateRowFromRecord,
} from '../provisioning-template-row.js';
import {
  DuplicateTemplateError,
  type ProvisioningTemplateStore,
  type TemplateListPage,
  type TemplateListQuery,
  type TemplateUpdateRule,
} from '../provisioning-template-store.js';
import { StoreError } from '../store-error.js';
import type { PgDatabase } from './pg-database.js';
import { isUniqueViolation } from './pg-errors.js';
import { announceChange } from './pg-notify.js';

const COLUMNS = PROVISIONING_TEMPLATE_COLUMNS.join(', ');
const KEY = 'account_id = $1 AND region = $2 AND template_name = $3';

const INSERT = `INSERT INTO provisioning_templates (${COLUMNS})
  VALUES (${PROVISIONING_TEMPLATE_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`;
const GET = `SELECT ${COLUMNS} FROM provisioning_templates WHERE ${KEY}`;
const GET_FOR_UPDATE = `${GET} FOR UPDATE`;
/** Byte order (COLLATE "C"), as SQLite compares, whatever the database's collation. */
const PAGE = `SELECT ${COLUMNS} FROM provisioning_templates WHERE account_id = $1 AND region = $2
  AND ($3::text IS NULL OR template_name COLLATE "C" > $3::text) ORDER BY template_name COLLATE "C" LIMIT $4`;
const UPDATE = `UPDATE provisioning_templates SET description = $4, enabled = $5, provisioning_role_arn = $6,
  pre_provisioning_hook = $7, default_version_id = $8, last_modified_date = $9 WHERE ${KEY} RETURNING ${COLUMNS}`;
const DELETE = `DELETE FROM provisioning_templates WHERE ${KEY}`;
const DELETE_CLAIMS = `DELETE FROM provisioning_claims WHERE ${KEY}`;

function keyOf(scope: Scope, templateName: string): readonly [string, string, string] {
  return [scope.accountId, scope.region, templateName];
}

/**
 * ProvisioningTemplateStore on PostgreSQL. An update reads the row FOR UPDATE in its transaction; a deletion
 * removes the row first (waiting for any claim insert or grant holding it FOR KEY SHARE), then its claims, so a
 * claim committed meanwhile is removed too.
 */
export class PgProvisioningTemplateStore implements ProvisioningTemplateStore {
  readonly #db: PgDatabase;

  constructor(db: PgDatabase) {
    this.#db = db;
  }

  async createTemplate(record: ProvisioningTemplateRecord): Promise<void> {
    const row = templateRowFromRecord(record);
    try {
      await this.#db.query(
        INSERT,
        PROVISIONING_TEMPLATE_COLUMNS.map((column) => row[column]),
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateTemplateError(record.templateName);
      throw error;
    }
  }

  async getTemplate(scope: Scope, templateName: string): Promise<ProvisioningTemplateRecord | undefined> {
    const { rows } = await this.#db.query<ProvisioningTemplateRow>(GET, keyOf(scope, templateName));
    return rows[0] === undefined ? undefined : templateRecordFromRow(rows[0]);
  }

  async listTemplates(scope: Scope, query: TemplateListQuery): Promise<TemplateListPage> {
    checkPageLimit(query.limit);
    // One row more than asked tells whether another page follows.
    const { rows } = await this.#db.query<ProvisioningTemplateRow>(PAGE, [
      scope.accountId,
      scope.region,
      query.after ?? null,
      query.limit + 1,
    ]);
    return templatePage(rows.map(templateRecordFromRow), query.limit);
  }

  updateTemplate(scope: Scope, templateName: string, rule: TemplateUpdateRule): Promise<ProvisioningTemplateRecord> {
    const key = keyOf(scope, templateName);
    return this.#db.transaction(async (tx) => {
      const { rows } = await tx.query<ProvisioningTemplateRow>(GET_FOR_UPDATE, key);
      const current = rows[0] === undefined ? undefined : templateRecordFromRow(rows[0]);
      const change = rule(current);
      if (current === undefined) {
        throw new StoreError(
          'RULE_CONTRACT',
          `template update rule did not refuse ${templateName}, which does not exist in ${scope.accountId}/${scope.region}`,
        );
      }
      const updated = await tx.query<ProvisioningTemplateRow>(UPDATE, [
        ...key,
        change.description ?? null,
        change.enabled ? 1 : 0,
        change.provisioningRoleArn,
        hookColumn(change.preProvisioningHook),
        change.defaultVersionId,
        change.lastModifiedDate,
      ]);
      const row = updated.rows[0];
      if (row === undefined) throw new Error(`provisioning template ${templateName} vanished while locked`);
      return templateRecordFromRow(row);
    });
  }

  deleteTemplate(scope: Scope, templateName: string): Promise<boolean> {
    const key = keyOf(scope, templateName);
    return this.#db.transaction(async (tx) => {
      const deleted = await tx.query(DELETE, key);
      if (deleted.rowCount === 0) return false;
      await tx.query(DELETE_CLAIMS, key);
      await announceChange(tx, { kind: 'claims-withdrawn', ...scope, templateName });
      return true;
    });
  }
}
