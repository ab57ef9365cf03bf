import { accountDeletionRule } from '../../domain/accounts/account-deletion.js';
import { DeleteAccount } from '../../model/admin.js';
import { defineOperation } from '../operation.js';
import { refusingAsService } from './account-refusal.js';

export interface DeleteAccountInput {
  readonly accountId: string;
}

/**
 * Deletes an account, under the rule that refuses while it still owns access keys (DeleteConflictException), so
 * that no running client loses access by a side effect; certificates recorded under the account are not touched.
 */
export const deleteAccount = defineOperation({
  model: DeleteAccount,
  run: (input: DeleteAccountInput, ctx) =>
    refusingAsService(async () => {
      await ctx.registry.accounts.deleteAccount(input.accountId, accountDeletionRule);
      return {};
    }),
});
