import { ListAccounts } from '../../model/admin.js';
import { defineOperation } from '../operation.js';

/** Every account of the registry, by id. */
export const listAccounts = defineOperation({
  model: ListAccounts,
  run: async (_input: Record<string, never>, ctx) => ({
    accounts: (await ctx.registry.accounts.listAccounts()).map((account) => ({
      accountId: account.accountId,
      createdAt: account.createdAt,
    })),
  }),
});
