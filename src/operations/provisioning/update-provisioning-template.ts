import type { ProvisioningHook } from '../../domain/provisioning/provisioning-template-record.js';
import { ServiceError, serviceErrors } from '../../errors.js';
import { UpdateProvisioningTemplate } from '../../model/provisioning.js';
import type { TemplateUpdateRule } from '../../registry/provisioning-template-store.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';
import { checkHook, templateNotFound } from './provisioning-templates.js';

export interface UpdateProvisioningTemplateInput {
  readonly templateName: string;
  readonly description?: string;
  readonly enabled?: boolean;
  readonly defaultVersionId?: number;
  readonly provisioningRoleArn?: string;
  readonly preProvisioningHook?: ProvisioningHook;
  readonly removePreProvisioningHook?: boolean;
}

export const updateProvisioningTemplate = defineOperation({
  model: UpdateProvisioningTemplate,
  run,
  cli: {
    examples: [
      {
        title: 'To disable a provisioning template',
        description:
          'A disabled template gives no new provisioning claims. The command prints nothing when it succeeds.',
        command: 'fleetca iot update-provisioning-template --template-name FleetTemplate --no-enabled',
      },
    ],
  },
});

/**
 * Changes the members given and leaves the others. The body and type never change (fleetca keeps one version
 * per template, so the default version can only be set to the one there is).
 */
async function run(input: UpdateProvisioningTemplateInput, ctx: OperationContext): Promise<void> {
  if (input.removePreProvisioningHook === true && input.preProvisioningHook !== undefined) {
    throw serviceErrors.invalidRequest('preProvisioningHook cannot be given together with removePreProvisioningHook');
  }
  await ctx.registry.provisioningTemplates.updateTemplate(ctx.scope, input.templateName, updateRule(input, ctx));
}

function updateRule(input: UpdateProvisioningTemplateInput, ctx: OperationContext): TemplateUpdateRule {
  const now = ctx.now().getTime();
  return (current) => {
    if (current === undefined) throw templateNotFound(input.templateName);
    if (input.defaultVersionId !== undefined && input.defaultVersionId !== current.defaultVersionId) {
      throw new ServiceError(
        'ResourceNotFoundException',
        `Version ${input.defaultVersionId} of template ${input.templateName} does not exist`,
      );
    }
    const hook = input.removePreProvisioningHook
      ? undefined
      : (checkHook(input.preProvisioningHook, current.templateType) ?? current.preProvisioningHook);
    const description = input.description ?? current.description;
    return {
      ...(description !== undefined && { description }),
      enabled: input.enabled ?? current.enabled,
      provisioningRoleArn: input.provisioningRoleArn ?? current.provisioningRoleArn,
      ...(hook && { preProvisioningHook: hook }),
      defaultVersionId: current.defaultVersionId,
      lastModifiedDate: now,
    };
  };
}
