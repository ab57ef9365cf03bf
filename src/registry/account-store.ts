/**
 * Accounts and their access keys: who may call `fleetca serve`, and as which AWS account.
 *
 * Secret access keys are stored **retrievably** (not hashed): SigV4 is an HMAC keyed by a key
 * derived from the secret, so the server must be able to recompute it for every request, as AWS
 * itself does. Whoever can read the registry can therefore impersonate every key in it; the data
 * directory is created with mode 0700 for that reason. Secrets are returned only by createAccessKey
 * (once, to the operator) and findAccessKey (to the request authenticator); nothing logs them.
 */

import type { AccountDeletionRule } from '../domain/accounts/account-deletion.js';

/** An account as the registry keeps it. Dates are epoch milliseconds. */
export interface AccountRecord {
  readonly accountId: string;
  readonly createdAt: number;
}

/** An access key without its secret: what listings show. */
export interface AccessKeySummary {
  readonly accessKeyId: string;
  readonly accountId: string;
  readonly createdAt: number;
}

/** A freshly created access key, secret included: shown to the operator once. */
export interface NewAccessKey extends AccessKeySummary {
  readonly secretAccessKey: string;
}

/** What request verification needs to know about a key. */
export interface AccessKeySecret {
  readonly accountId: string;
  readonly secretAccessKey: string;
}

/**
 * The account registry. SQLite implements it now and PostgreSQL next, so every method is async;
 * refusals are AccountErrors (see account-error.ts), one code per reason.
 *
 * Deleting an account runs the rule it is handed (account-deletion.ts: refused while the account still
 * owns access keys) on the key count read in the deleting transaction. Certificates recorded under the
 * account id are not touched.
 */
export interface AccountStore {
  /** Creates an account; INVALID_ACCOUNT_ID unless 12 digits, DUPLICATE_ACCOUNT when it exists. */
  createAccount(accountId: string): Promise<AccountRecord>;
  /** Every account, by account id. */
  listAccounts(): Promise<readonly AccountRecord[]>;
  getAccount(accountId: string): Promise<AccountRecord | undefined>;
  /** NO_SUCH_ACCOUNT when absent; otherwise runs the rule on the account's key count, then deletes it. */
  deleteAccount(accountId: string, rule: AccountDeletionRule): Promise<void>;
  /** A new key (`AKIA` + 16 base32 characters, 40-character secret, both from the CSPRNG); NO_SUCH_ACCOUNT when absent. */
  createAccessKey(accountId: string): Promise<NewAccessKey>;
  /** The account's keys, oldest first, without secrets; NO_SUCH_ACCOUNT when the account is absent. */
  listAccessKeys(accountId: string): Promise<readonly AccessKeySummary[]>;
  /** NO_SUCH_ACCESS_KEY when absent. */
  deleteAccessKey(accessKeyId: string): Promise<void>;
  /** The key's account and secret, for signature verification; undefined when unknown. */
  findAccessKey(accessKeyId: string): Promise<AccessKeySecret | undefined>;
}
