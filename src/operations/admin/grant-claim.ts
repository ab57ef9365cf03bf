import { GrantClaim } from '../../model/admin.js';
import { defineOperation } from '../operation.js';
import { serviceGrantRule } from './claim-refusal.js';

export interface ClaimInput {
  readonly certificateId: string;
  readonly templateName: string;
}

/**
 * Makes a registered ACTIVE certificate of the context's account and region a long-lived claim of a fleet
 * template there. Idempotent: granting again changes nothing and answers the same.
 */
export const grantClaim = defineOperation({
  model: GrantClaim,
  run: async (input: ClaimInput, ctx) => {
    const { scope } = ctx;
    const { certificateId, templateName } = input;
    const rule = serviceGrantRule(scope, certificateId, templateName);
    await ctx.registry.provisioningClaims.grant(scope, certificateId, templateName, ctx.now().getTime(), rule);
    return { accountId: scope.accountId, region: scope.region, certificateId, templateName };
  },
});
