import Database from 'better-sqlite3';
import type { ProvisioningTemplateRecord } from '../../domain/provisioning/provisioning-template-record.js';
import type { Scope } from '../../domain/scope.js';
import { checkPageLimit } from '../keyset-page.js';
import {
  hookColumn,
  PROVISIONING_TEMPLATE_COLUMNS,
  type ProvisioningTemplateRow,
  type ProvisioningTemplateRowValues,
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
import type { RegistryChange } from '../registry-changes.js';
import { StoreError } from '../store-error.js';
import type { SqliteAnnouncer } from './sqlite-changes.js';

interface TemplateKey {
  readonly account_id: string;
  readonly region: string;
  readonly template_name: string;
}

interface TemplateUpdate extends TemplateKey {
  readonly description: string | null;
  readonly enabled: number;
  readonly provisioning_role_arn: string;
  readonly pre_provisioning_hook: string | null;
  readonly default_version_id: number;
  readonly last_modified_date: number;
}

interface PageParams {
  readonly account_id: string;
  readonly region: string;
  readonly after: string | null;
  readonly limit: number;
}

const COLUMNS = PROVISIONING_TEMPLATE_COLUMNS.join(', ');
const KEY = 'account_id = @account_id AND region = @region AND template_name = @template_name';

function keyOf(scope: Scope, templateName: string): TemplateKey {
  return { account_id: scope.accountId, region: scope.region, template_name: templateName };
}

/**
 * ProvisioningTemplateStore on the registry's shared better-sqlite3 connection. Names compare with SQLite's
 * BINARY collation (byte order), the order pages follow; read-then-write steps are BEGIN IMMEDIATE transactions.
 */
export class SqliteProvisioningTemplateStore implements ProvisioningTemplateStore {
  readonly #insert: Database.Statement<[ProvisioningTemplateRowValues]>;
  readonly #get: Database.Statement<[TemplateKey], ProvisioningTemplateRow>;
  readonly #page: Database.Statement<[PageParams], ProvisioningTemplateRow>;
  readonly #update: (scope: Scope, templateName: string, rule: TemplateUpdateRule) => ProvisioningTemplateRecord;
  readonly #delete: (key: TemplateKey, change: RegistryChange) => boolean;
  readonly #announcer: SqliteAnnouncer;

  constructor(db: Database.Database, announcer: SqliteAnnouncer = {}) {
    this.#announcer = announcer;
    this.#insert = db.prepare(
      `INSERT INTO provisioning_templates (${COLUMNS})
        VALUES (${PROVISIONING_TEMPLATE_COLUMNS.map((c) => `@${c}`).join(', ')})`,
    );
    this.#get = db.prepare(`SELECT ${COLUMNS} FROM provisioning_templates WHERE ${KEY}`);
    this.#page = db.prepare(
      `SELECT ${COLUMNS} FROM provisioning_templates WHERE account_id = @account_id AND region = @region
        AND (@after IS NULL OR template_name > @after) ORDER BY template_name LIMIT @limit`,
    );
    const update = db.prepare<[TemplateUpdate]>(
      `UPDATE provisioning_templates SET description = @description, enabled = @enabled,
        provisioning_role_arn = @provisioning_role_arn, pre_provisioning_hook = @pre_provisioning_hook,
        default_version_id = @default_version_id, last_modified_date = @last_modified_date WHERE ${KEY}`,
    );
    const deleteTemplate = db.prepare<[TemplateKey]>(`DELETE FROM provisioning_templates WHERE ${KEY}`);
    const deleteClaims = db.prepare<[TemplateKey]>(`DELETE FROM provisioning_claims WHERE ${KEY}`);
    this.#update = db.transaction((scope: Scope, templateName: string, rule: TemplateUpdateRule) => {
      const key = keyOf(scope, templateName);
      const current = this.#read(key);
      const change = rule(current);
      if (current === undefined) {
        throw new StoreError(
          'RULE_CONTRACT',
          `template update rule did not refuse ${templateName}, which does not exist in ${scope.accountId}/${scope.region}`,
        );
      }
      update.run({
        ...key,
        description: change.description ?? null,
        enabled: change.enabled ? 1 : 0,
        provisioning_role_arn: change.provisioningRoleArn,
        pre_provisioning_hook: hookColumn(change.preProvisioningHook),
        default_version_id: change.defaultVersionId,
        last_modified_date: change.lastModifiedDate,
      });
      // Read back rather than merge, so the result is exactly what a later get returns.
      return this.#read(key) as ProvisioningTemplateRecord;
    }).immediate;
    this.#delete = db.transaction((key: TemplateKey, change: RegistryChange) => {
      if (deleteTemplate.run(key).changes === 0) return false;
      deleteClaims.run(key);
      announcer.changeLog?.append(change);
      return true;
    }).immediate;
  }

  async createTemplate(record: ProvisioningTemplateRecord): Promise<void> {
    try {
      this.#insert.run(templateRowFromRecord(record));
    } catch (error) {
      if (error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw new DuplicateTemplateError(record.templateName);
      }
      throw error;
    }
  }

  async getTemplate(scope: Scope, templateName: string): Promise<ProvisioningTemplateRecord | undefined> {
    return this.#read(keyOf(scope, templateName));
  }

  async listTemplates(scope: Scope, query: TemplateListQuery): Promise<TemplateListPage> {
    checkPageLimit(query.limit);
    // One row more than asked tells whether another page follows.
    const rows = this.#page.all({
      account_id: scope.accountId,
      region: scope.region,
      after: query.after ?? null,
      limit: query.limit + 1,
    });
    return templatePage(rows.map(templateRecordFromRow), query.limit);
  }

  async updateTemplate(
    scope: Scope,
    templateName: string,
    rule: TemplateUpdateRule,
  ): Promise<ProvisioningTemplateRecord> {
    return this.#update(scope, templateName, rule);
  }

  async deleteTemplate(scope: Scope, templateName: string): Promise<boolean> {
    // Its claims go with it: sessions of those claims hear so and end.
    const change: RegistryChange = { kind: 'claims-withdrawn', ...scope, templateName };
    const deleted = this.#delete(keyOf(scope, templateName), change);
    if (deleted) this.#announcer.changes?.publish(change);
    return deleted;
  }

  #read(key: TemplateKey): ProvisioningTemplateRecord | undefined {
    const row = this.#get.get(key);
    return row === undefined ? undefined : templateRecordFromRow(row);
  }
}
