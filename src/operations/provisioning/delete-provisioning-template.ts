import { DeleteProvisioningTemplate } from '../../model/provisioning.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';
import { templateNotFound } from './provisioning-templates.js';

export interface DeleteProvisioningTemplateInput {
  readonly templateName: string;
}

export const deleteProvisioningTemplate = defineOperation({
  model: DeleteProvisioningTemplate,
  run,
  cli: {
    examples: [
      {
        title: 'To delete a provisioning template',
        description: 'Deletes the template and every provisioning claim for it.',
        command: 'fleetca iot delete-provisioning-template --template-name FleetTemplate',
      },
    ],
  },
});

/**
 * Deletes the template and, in the same transaction, every claim for it: a template created later under the
 * same name does not inherit the old one's claim certificates or long-lived grants.
 */
async function run(input: DeleteProvisioningTemplateInput, ctx: OperationContext): Promise<void> {
  const deleted = await ctx.registry.provisioningTemplates.deleteTemplate(ctx.scope, input.templateName);
  if (!deleted) throw templateNotFound(input.templateName);
}
