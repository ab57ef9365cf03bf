import type { OperationContext } from './context.js';
import { templateNotFound } from './provisioning-templates.js';

export interface DeleteProvisioningTemplateInput {
  readonly templateName: string;
}

/**
 * Deletes the template and, in the same transaction, every claim for it: a template created later under the
 * same name does not inherit the old one's claim certificates or long-lived grants.
 */
export async function deleteProvisioningTemplate(
  input: DeleteProvisioningTemplateInput,
  ctx: OperationContext,
): Promise<void> {
  const deleted = await ctx.registry.provisioningTemplates.deleteTemplate(ctx.scope, input.templateName);
  if (!deleted) throw templateNotFound(input.templateName);
}
