import type { OperationContext } from './context.js';
import { decodeTemplateToken, encodeTemplateToken, templateSummary } from './provisioning-templates.js';

export interface ListProvisioningTemplatesInput {
  readonly maxResults?: number;
  readonly nextToken?: string;
}

const DEFAULT_MAX_RESULTS = 25;

/** Templates by name; nextToken is an opaque keyset position, so every page costs the same. */
export async function listProvisioningTemplates(input: ListProvisioningTemplatesInput, ctx: OperationContext) {
  const page = await ctx.registry.provisioningTemplates.listTemplates(ctx.scope, {
    limit: input.maxResults ?? DEFAULT_MAX_RESULTS,
    ...(input.nextToken !== undefined && { after: decodeTemplateToken(input.nextToken) }),
  });
  return {
    templates: page.records.map(templateSummary),
    nextToken: page.next && encodeTemplateToken(page.next),
  };
}
