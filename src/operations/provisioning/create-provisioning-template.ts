import { randomUUID } from 'node:crypto';
import type { ResourceTag } from '../../domain/ca-certificates/ca-certificate-record.js';
import {
  type ProvisioningHook,
  type ProvisioningTemplateRecord,
  provisioningTemplateArn,
} from '../../domain/provisioning/provisioning-template-record.js';
import type { TemplateType } from '../../domain/provisioning/template-type.js';
import { CreateProvisioningTemplate } from '../../model/provisioning.js';
import { DuplicateTemplateError } from '../../registry/provisioning-template-store.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';
import { checkedTags } from '../resource-tags.js';
import { checkHook, checkTemplateBody, templateExists } from './provisioning-templates.js';

export interface CreateProvisioningTemplateInput {
  readonly templateName: string;
  readonly description?: string;
  readonly templateBody: string;
  readonly enabled?: boolean;
  readonly provisioningRoleArn: string;
  readonly preProvisioningHook?: ProvisioningHook;
  readonly tags?: readonly ResourceTag[];
  readonly type?: TemplateType;
}

export const createProvisioningTemplate = defineOperation({
  model: CreateProvisioningTemplate,
  run,
  cli: {
    examples: [
      {
        title: 'To create an enabled fleet-provisioning template',
        description:
          'The template body is checked by the template engine. The role ARN is stored and returned; fleetca does not call IAM.',
        command:
          'fleetca iot create-provisioning-template --template-name FleetTemplate --template-body file://template.json --provisioning-role-arn arn:aws:iam::123456789012:role/FleetProvisioningRole --enabled',
      },
    ],
  },
});

/**
 * Creates a template (disabled unless `enabled`), version 1. The body must pass the template engine; the role
 * ARN and the hook are stored as given: fleetca assumes no role and invokes no hook.
 */
async function run(input: CreateProvisioningTemplateInput, ctx: OperationContext) {
  const templateType = input.type ?? 'FLEET_PROVISIONING';
  const hook = checkHook(input.preProvisioningHook, templateType);
  const tags = checkedTags(input.tags ?? []);
  checkTemplateBody(input.templateBody);
  const created = ctx.now().getTime();
  const record: ProvisioningTemplateRecord = {
    ...ctx.scope,
    templateName: input.templateName,
    templateId: randomUUID(),
    ...(input.description !== undefined && { description: input.description }),
    templateBody: input.templateBody,
    enabled: input.enabled === true,
    provisioningRoleArn: input.provisioningRoleArn,
    ...(hook && { preProvisioningHook: hook }),
    templateType,
    tags,
    defaultVersionId: 1,
    creationDate: created,
    lastModifiedDate: created,
  };
  try {
    await ctx.registry.provisioningTemplates.createTemplate(record);
  } catch (error) {
    if (error instanceof DuplicateTemplateError) throw templateExists(ctx.scope, input.templateName);
    throw error;
  }
  return {
    templateArn: provisioningTemplateArn(ctx.scope, input.templateName),
    templateName: input.templateName,
    defaultVersionId: record.defaultVersionId,
  };
}
