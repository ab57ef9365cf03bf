import { AccountError } from '../../domain/accounts/account-error.js';
import { randomAccountId } from '../../domain/accounts/account-id.js';
import { CreateAccount } from '../../model/admin.js';
import type { AccountStore } from '../../registry/account-store.js';
import { defineOperation } from '../operation.js';
import { refusingAsService } from './account-refusal.js';

/** How many random account ids are tried before the clash with an existing one is reported. */
const RANDOM_ID_ATTEMPTS = 5;

export interface CreateAccountInput {
  readonly accountId?: string;
}

/** An account and its first access key; a random id when none is given. */
export const createAccount = defineOperation({
  model: CreateAccount,
  run: (input: CreateAccountInput, ctx) =>
    refusingAsService(async () => {
      const accounts = ctx.registry.accounts;
      const accountId = await createAccountRecord(accounts, input.accountId);
      const key = await accounts.createAccessKey(accountId);
      return { accountId, accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
    }),
});

/** Creates the given account, or one with a random id (retrying the rare clash with an existing one). */
async function createAccountRecord(accounts: AccountStore, accountId: string | undefined): Promise<string> {
  if (accountId !== undefined) return (await accounts.createAccount(accountId)).accountId;
  for (let attempt = 1; ; attempt++) {
    try {
      return (await accounts.createAccount(randomAccountId())).accountId;
    } catch (error) {
      if (!(error instanceof AccountError && error.code === 'DUPLICATE_ACCOUNT') || attempt >= RANDOM_ID_ATTEMPTS) {
        throw error;
      }
    }
  }
}
