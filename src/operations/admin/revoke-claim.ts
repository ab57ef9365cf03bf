import { RevokeClaim } from '../../model/admin.js';
import { defineOperation } from '../operation.js';
import { noSuchGrantError } from './claim-refusal.js';
import type { ClaimInput } from './grant-claim.js';

/** Withdraws a long-lived grant of the context's account and region; temporary claims are left to expire. */
export const revokeClaim = defineOperation({
  model: RevokeClaim,
  run: async (input: ClaimInput, ctx) => {
    const { certificateId, templateName } = input;
    if (!(await ctx.registry.provisioningClaims.revoke(ctx.scope, certificateId, templateName))) {
      throw noSuchGrantError(ctx.scope, certificateId, templateName);
    }
    return {};
  },
});
