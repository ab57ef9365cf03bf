import { DeleteAccessKey } from '../../model/admin.js';
import { defineOperation } from '../operation.js';
import { refusingAsService } from './account-refusal.js';

export interface DeleteAccessKeyInput {
  readonly accessKeyId: string;
}

/** Deletes a key; the registry announces it, so servers that cached it refuse it from then on. */
export const deleteAccessKey = defineOperation({
  model: DeleteAccessKey,
  run: (input: DeleteAccessKeyInput, ctx) =>
    refusingAsService(async () => {
      await ctx.registry.accounts.deleteAccessKey(input.accessKeyId);
      return {};
    }),
});
