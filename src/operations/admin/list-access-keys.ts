import { ListAccessKeys } from '../../model/admin.js';
import { defineOperation } from '../operation.js';
import { refusingAsService } from './account-refusal.js';

export interface ListAccessKeysInput {
  readonly accountId: string;
}

/** An account's keys, oldest first: ids and dates only, since a secret is shown once, when it is created. */
export const listAccessKeys = defineOperation({
  model: ListAccessKeys,
  run: (input: ListAccessKeysInput, ctx) =>
    refusingAsService(async () => ({
      accessKeys: (await ctx.registry.accounts.listAccessKeys(input.accountId)).map((key) => ({
        accessKeyId: key.accessKeyId,
        createdAt: key.createdAt,
      })),
    })),
});
