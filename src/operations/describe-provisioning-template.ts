import { provisioningTemplateArn } from '../registry/provisioning-template-record.js';
import type { OperationContext } from './context.js';
import { templateNotFound } from './provisioning-templates.js';

export interface DescribeProvisioningTemplateInput {
  readonly templateName: string;
}

/** Everything kept about a template but its tags; timestamps stay epoch ms until a door renders them. */
export async function describeProvisioningTemplate(input: DescribeProvisioningTemplateInput, ctx: OperationContext) {
  const record = await ctx.registry.provisioningTemplates.getTemplate(ctx.scope, input.templateName);
  if (!record) throw templateNotFound(input.templateName);
  return {
    templateArn: provisioningTemplateArn(record, record.templateName),
    templateName: record.templateName,
    ...(record.description !== undefined && { description: record.description }),
    creationDate: record.creationDate,
    lastModifiedDate: record.lastModifiedDate,
    defaultVersionId: record.defaultVersionId,
    templateBody: record.templateBody,
    enabled: record.enabled,
    provisioningRoleArn: record.provisioningRoleArn,
    ...(record.preProvisioningHook && { preProvisioningHook: record.preProvisioningHook }),
    type: record.templateType,
  };
}
