import { ListProvisioningTemplates } from '../../model/provisioning.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';
import { decodeTemplateToken, encodeTemplateToken, templateSummary } from './provisioning-templates.js';

export interface ListProvisioningTemplatesInput {
  readonly maxResults?: number;
  readonly nextToken?: string;
}

const DEFAULT_MAX_RESULTS = 25;

export const listProvisioningTemplates = defineOperation({
  model: ListProvisioningTemplates,
  run,
  cli: {
    examples: [
      {
        title: 'To list the provisioning templates',
        description: 'Templates are listed by name; every page is followed unless --no-paginate.',
        command: 'fleetca iot list-provisioning-templates --query "templates[].templateName"',
      },
    ],
  },
});

/** Templates by name; nextToken is an opaque keyset position, so every page costs the same. */
async function run(input: ListProvisioningTemplatesInput, ctx: OperationContext) {
  const page = await ctx.registry.provisioningTemplates.listTemplates(ctx.scope, {
    limit: input.maxResults ?? DEFAULT_MAX_RESULTS,
    ...(input.nextToken !== undefined && { after: decodeTemplateToken(input.nextToken) }),
  });
  return {
    templates: page.records.map(templateSummary),
    nextToken: page.next && encodeTemplateToken(page.next),
  };
}
