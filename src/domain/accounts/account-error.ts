/** Why an account store refused a request. */
export type AccountErrorCode =
  /** The account id is not 12 digits. */
  | 'INVALID_ACCOUNT_ID'
  /** createAccount with an id that already exists. */
  | 'DUPLICATE_ACCOUNT'
  /** The account does not exist. */
  | 'NO_SUCH_ACCOUNT'
  /** deleteAccount while the account still owns access keys. */
  | 'ACCOUNT_HAS_ACCESS_KEYS'
  /** The access key does not exist. */
  | 'NO_SUCH_ACCESS_KEY';

/**
 * Raised by an AccountStore with a machine-readable `code`, the account or key it is about
 * (`subject`), and a message meant for an operator. It never carries a secret.
 */
export class AccountError extends Error {
  override readonly name = 'AccountError';
  constructor(
    readonly code: AccountErrorCode,
    readonly subject: string,
    message: string,
  ) {
    super(message);
  }
}

/** The messages every store uses, so that adapters and the admin commands word them alike. */
export const accountErrors = {
  invalidAccountId: (accountId: string) =>
    new AccountError('INVALID_ACCOUNT_ID', accountId, `account id must be 12 digits, got ${JSON.stringify(accountId)}`),
  duplicateAccount: (accountId: string) =>
    new AccountError('DUPLICATE_ACCOUNT', accountId, `account ${accountId} already exists`),
  noSuchAccount: (accountId: string) =>
    new AccountError('NO_SUCH_ACCOUNT', accountId, `account ${accountId} does not exist`),
  accountHasAccessKeys: (accountId: string, count: number) =>
    new AccountError(
      'ACCOUNT_HAS_ACCESS_KEYS',
      accountId,
      `account ${accountId} still has ${count} access key(s); delete them first (fleetca admin delete-access-key)`,
    ),
  noSuchAccessKey: (accessKeyId: string) =>
    new AccountError('NO_SUCH_ACCESS_KEY', accessKeyId, `access key ${accessKeyId} does not exist`),
};
