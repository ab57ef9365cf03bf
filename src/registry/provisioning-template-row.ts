import type { ResourceTag } from '../domain/ca-certificates/ca-certificate-record.js';
import type {
  ProvisioningHook,
  ProvisioningTemplateRecord,
} from '../domain/provisioning/provisioning-template-record.js';
import type { TemplateType } from '../domain/provisioning/template-type.js';
import type { SqlInteger } from './certificate-row.js';
import type { TemplateListPage } from './provisioning-template-store.js';

/** The columns of `provisioning_templates` (see migrations.ts), in table order. */
export const PROVISIONING_TEMPLATE_COLUMNS = [
  'account_id',
  'region',
  'template_name',
  'template_id',
  'description',
  'template_body',
  'enabled',
  'provisioning_role_arn',
  'pre_provisioning_hook',
  'template_type',
  'tags',
  'default_version_id',
  'creation_date',
  'last_modified_date',
] as const;

type Column = (typeof PROVISIONING_TEMPLATE_COLUMNS)[number];

/** One row as a driver returns it (PostgreSQL returns BIGINT as a string). */
export interface ProvisioningTemplateRow {
  readonly account_id: string;
  readonly region: string;
  readonly template_name: string;
  readonly template_id: string;
  readonly description: string | null;
  readonly template_body: string;
  readonly enabled: SqlInteger;
  readonly provisioning_role_arn: string;
  /** JSON of the hook; NULL when there is none. */
  readonly pre_provisioning_hook: string | null;
  readonly template_type: string;
  /** JSON array of tags; NULL when there are none. */
  readonly tags: string | null;
  readonly default_version_id: SqlInteger;
  readonly creation_date: SqlInteger;
  readonly last_modified_date: SqlInteger;
}

export type ProvisioningTemplateRowValues = { readonly [K in Column]: string | number | null };

/** The hook as its column holds it: only the members that are present, so it reads back as it was given. */
export function hookColumn(hook: ProvisioningHook | undefined): string | null {
  if (hook === undefined) return null;
  return JSON.stringify({
    targetArn: hook.targetArn,
    ...(hook.payloadVersion !== undefined && { payloadVersion: hook.payloadVersion }),
  });
}

export function templateRowFromRecord(record: ProvisioningTemplateRecord): ProvisioningTemplateRowValues {
  return {
    account_id: record.accountId,
    region: record.region,
    template_name: record.templateName,
    template_id: record.templateId,
    description: record.description ?? null,
    template_body: record.templateBody,
    enabled: record.enabled ? 1 : 0,
    provisioning_role_arn: record.provisioningRoleArn,
    pre_provisioning_hook: hookColumn(record.preProvisioningHook),
    template_type: record.templateType,
    tags: record.tags.length > 0 ? JSON.stringify(record.tags.map(tagValue)) : null,
    default_version_id: record.defaultVersionId,
    creation_date: record.creationDate,
    last_modified_date: record.lastModifiedDate,
  };
}

export function templateRecordFromRow(row: ProvisioningTemplateRow): ProvisioningTemplateRecord {
  const hook =
    row.pre_provisioning_hook === null ? undefined : (JSON.parse(row.pre_provisioning_hook) as ProvisioningHook);
  const tags = row.tags === null ? [] : (JSON.parse(row.tags) as ResourceTag[]).map(tagValue);
  return {
    accountId: row.account_id,
    region: row.region,
    templateName: row.template_name,
    templateId: row.template_id,
    ...(row.description !== null && { description: row.description }),
    templateBody: row.template_body,
    enabled: Number(row.enabled) !== 0,
    provisioningRoleArn: row.provisioning_role_arn,
    ...(hook !== undefined && { preProvisioningHook: hook }),
    templateType: row.template_type as TemplateType,
    tags,
    defaultVersionId: toNumber(row.default_version_id, 'default_version_id'),
    creationDate: toNumber(row.creation_date, 'creation_date'),
    lastModifiedDate: toNumber(row.last_modified_date, 'last_modified_date'),
  };
}

/** A tag with only its present members, Key first. */
function tagValue(tag: ResourceTag): ResourceTag {
  return tag.Value === undefined ? { Key: tag.Key } : { Key: tag.Key, Value: tag.Value };
}

function toNumber(value: SqlInteger, column: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`provisioning_templates.${column} holds ${String(value)}, not a safe integer`);
  }
  return n;
}

/** The page of a name-ordered listing fetched with one extra row, and the name to continue after. */
export function templatePage(records: readonly ProvisioningTemplateRecord[], limit: number): TemplateListPage {
  if (records.length <= limit) return { records };
  const page = records.slice(0, limit);
  return { records: page, next: page[page.length - 1]?.templateName as string };
}
