import { provisioningTemplateArn } from '../../domain/provisioning/provisioning-template-record.js';
import { DescribeProvisioningTemplate } from '../../model/provisioning.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';
import { templateNotFound } from './provisioning-templates.js';

export interface DescribeProvisioningTemplateInput {
  readonly templateName: string;
}

export const describeProvisioningTemplate = defineOperation({
  model: DescribeProvisioningTemplate,
  run,
  cli: {
    examples: [
      {
        title: 'To describe a provisioning template',
        description: 'Prints the template body, whether it is enabled, its role ARN and its dates.',
        command: 'fleetca iot describe-provisioning-template --template-name FleetTemplate',
      },
    ],
  },
});

/** Everything kept about a template but its tags; timestamps stay epoch ms until a door renders them. */
async function run(input: DescribeProvisioningTemplateInput, ctx: OperationContext) {
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
