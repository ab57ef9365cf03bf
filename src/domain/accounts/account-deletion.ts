import { accountErrors } from './account-error.js';

/**
 * Decides whether an existing account may be deleted, given how many access keys it owns; throws to refuse. The
 * store counts the keys and deletes in one transaction, so a key created meanwhile cannot slip between them.
 */
export type AccountDeletionRule = (accountId: string, accessKeys: number) => void;

/**
 * An account is deleted only once it owns no access keys (ACCOUNT_HAS_ACCESS_KEYS): an operator deletes the keys
 * first, on purpose, so that no running client loses access by a side effect.
 */
export const accountDeletionRule: AccountDeletionRule = (accountId, accessKeys) => {
  if (accessKeys > 0) throw accountErrors.accountHasAccessKeys(accountId, accessKeys);
};
