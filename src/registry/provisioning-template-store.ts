import type {
  ProvisioningHook,
  ProvisioningTemplateRecord,
} from '../domain/provisioning/provisioning-template-record.js';
import type { Scope } from '../domain/scope.js';

/** A page request for ListProvisioningTemplates: templates by name, after `after` (exclusive). */
export interface TemplateListQuery {
  readonly limit: number;
  readonly after?: string;
}

export interface TemplateListPage {
  readonly records: readonly ProvisioningTemplateRecord[];
  /** The name to continue after; present when more templates follow the last one returned. */
  readonly next?: string;
}

/** The new values of a template's mutable fields, decided by an update rule. Absent optional fields are removed. */
export interface TemplateChange {
  readonly description?: string;
  readonly enabled: boolean;
  readonly provisioningRoleArn: string;
  readonly preProvisioningHook?: ProvisioningHook;
  readonly defaultVersionId: number;
  readonly lastModifiedDate: number;
}

/** Decides an update from the current record (undefined when it does not exist): a change, or a throw to refuse. */
export type TemplateUpdateRule = (current: ProvisioningTemplateRecord | undefined) => TemplateChange;

/** createTemplate found a template with the same name in the same account and region. */
export class DuplicateTemplateError extends Error {
  override readonly name = 'DuplicateTemplateError';
  constructor(readonly templateName: string) {
    super(`provisioning template ${templateName} already exists`);
  }
}

/**
 * Provisioning templates, per account and region, keyed by name. Names sort by their bytes (UTF-8 order, the
 * same on every engine) in listings.
 */
export interface ProvisioningTemplateStore {
  /** Inserts the template with its tags; throws DuplicateTemplateError when the name is taken in the scope. */
  createTemplate(record: ProvisioningTemplateRecord): Promise<void>;
  getTemplate(scope: Scope, templateName: string): Promise<ProvisioningTemplateRecord | undefined>;
  /** Keyset pages in name order. */
  listTemplates(scope: Scope, query: TemplateListQuery): Promise<TemplateListPage>;
  /** Applies the rule's change in one transaction with the read it decides on; returns the record afterwards. */
  updateTemplate(scope: Scope, templateName: string, rule: TemplateUpdateRule): Promise<ProvisioningTemplateRecord>;
  /**
   * Deletes the template and every provisioning claim for it (temporary and long-lived), so that a template
   * created later under the same name starts without claims. False when there was no such template.
   */
  deleteTemplate(scope: Scope, templateName: string): Promise<boolean>;
}
