import { ListClaims } from '../../model/admin.js';
import { defineOperation } from '../operation.js';

/** The grants and unexpired temporary claims of the context's account and region. */
export const listClaims = defineOperation({
  model: ListClaims,
  run: async (_input: Record<string, never>, ctx) => ({
    claims: (await ctx.registry.provisioningClaims.listClaims(ctx.scope, ctx.now().getTime())).map((claim) => ({
      certificateId: claim.certificateId,
      templateName: claim.templateName,
      kind: claim.kind,
      createdAt: claim.createdAt,
      ...(claim.expiresAt !== undefined && { expiresAt: claim.expiresAt }),
    })),
  }),
});
