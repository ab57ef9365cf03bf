import { CreateAccessKey } from '../../model/admin.js';
import { defineOperation } from '../operation.js';
import { refusingAsService } from './account-refusal.js';

export interface CreateAccessKeyInput {
  readonly accountId: string;
}

/** Another access key for an existing account; its secret is in this answer only. */
export const createAccessKey = defineOperation({
  model: CreateAccessKey,
  run: (input: CreateAccessKeyInput, ctx) =>
    refusingAsService(async () => {
      const key = await ctx.registry.accounts.createAccessKey(input.accountId);
      return { accountId: key.accountId, accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
    }),
});
