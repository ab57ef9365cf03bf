import Database from 'better-sqlite3';
import { newAccessKeyId, newSecretAccessKey } from '../../domain/accounts/access-key-material.js';
import type { AccountDeletionRule } from '../../domain/accounts/account-deletion.js';
import { accountErrors } from '../../domain/accounts/account-error.js';
import { isAccountId } from '../../domain/accounts/account-id.js';
import type { AccessKeySecret, AccessKeySummary, AccountRecord, AccountStore, NewAccessKey } from '../account-store.js';
import type { ChangeHub } from '../registry-changes.js';
import type { SqliteChangeLog } from './sqlite-change-log.js';

interface AccountRow {
  readonly account_id: string;
  readonly created_at: number;
}

interface AccessKeyRow {
  readonly access_key_id: string;
  readonly account_id: string;
  readonly created_at: number;
}

interface AccessKeyInsert extends AccessKeyRow {
  readonly secret: string;
}

/** How many fresh ids createAccessKey tries before giving up; a clash is a 2^-80 event. */
const KEY_ID_ATTEMPTS = 3;

const accountFromRow = (row: AccountRow): AccountRecord => ({ accountId: row.account_id, createdAt: row.created_at });

const summaryFromRow = (row: AccessKeyRow): AccessKeySummary => ({
  accessKeyId: row.access_key_id,
  accountId: row.account_id,
  createdAt: row.created_at,
});

function isPrimaryKeyClash(error: unknown): boolean {
  return error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * AccountStore on the registry's shared better-sqlite3 connection. Read-then-write steps run
 * under BEGIN IMMEDIATE, so another process cannot delete an account between the check that it
 * exists and the key inserted for it (the foreign key would refuse the orphan anyway).
 */
export class SqliteAccountStore implements AccountStore {
  readonly #now: () => number;
  readonly #insertAccount: Database.Statement<[AccountRow]>;
  readonly #getAccount: Database.Statement<[string], AccountRow>;
  readonly #listAccounts: Database.Statement<[], AccountRow>;
  readonly #deleteAccountRow: Database.Statement<[string]>;
  readonly #countKeys: Database.Statement<[string], number>;
  readonly #insertKey: Database.Statement<[AccessKeyInsert]>;
  readonly #listKeys: Database.Statement<[string], AccessKeyRow>;
  readonly #deleteKey: Database.Statement<[string]>;
  readonly #findKey: Database.Statement<[string], { account_id: string; secret: string }>;
  readonly #createKey: (accountId: string) => NewAccessKey;
  readonly #deleteAccount: (accountId: string, rule: AccountDeletionRule) => void;
  readonly #listKeysOf: (accountId: string) => readonly AccessKeySummary[];
  /** True when the key existed. */
  readonly #deleteKeyAndLog: (accessKeyId: string) => boolean;

  /**
   * `now` (epoch milliseconds) dates new accounts and keys; `changes` hears deleted keys, which `changeLog`
   * also records for other processes.
   */
  constructor(
    db: Database.Database,
    now: () => number = Date.now,
    readonly changes?: ChangeHub,
    changeLog?: SqliteChangeLog,
  ) {
    this.#now = now;
    this.#insertAccount = db.prepare('INSERT INTO accounts (account_id, created_at) VALUES (@account_id, @created_at)');
    this.#getAccount = db.prepare('SELECT account_id, created_at FROM accounts WHERE account_id = ?');
    this.#listAccounts = db.prepare('SELECT account_id, created_at FROM accounts ORDER BY account_id');
    this.#deleteAccountRow = db.prepare('DELETE FROM accounts WHERE account_id = ?');
    this.#countKeys = db.prepare<[string], number>('SELECT COUNT(*) FROM access_keys WHERE account_id = ?').pluck();
    this.#insertKey = db.prepare(
      `INSERT INTO access_keys (access_key_id, account_id, secret, created_at)
        VALUES (@access_key_id, @account_id, @secret, @created_at)`,
    );
    this.#listKeys = db.prepare(
      `SELECT access_key_id, account_id, created_at FROM access_keys WHERE account_id = ?
        ORDER BY created_at, access_key_id`,
    );
    this.#deleteKey = db.prepare('DELETE FROM access_keys WHERE access_key_id = ?');
    this.#findKey = db.prepare('SELECT account_id, secret FROM access_keys WHERE access_key_id = ?');
    this.#createKey = db.transaction((accountId: string) => this.#createKeyInTransaction(accountId)).immediate;
    this.#deleteAccount = db.transaction((accountId: string, rule: AccountDeletionRule) =>
      this.#deleteAccountInTransaction(accountId, rule),
    ).immediate;
    // One read transaction, so "the account exists" and "these are its keys" describe the same moment.
    this.#listKeysOf = db.transaction((accountId: string) => {
      if (this.#getAccount.get(accountId) === undefined) throw accountErrors.noSuchAccount(accountId);
      return this.#listKeys.all(accountId).map(summaryFromRow);
    }).deferred;
    this.#deleteKeyAndLog = db.transaction((accessKeyId: string) => {
      if (this.#deleteKey.run(accessKeyId).changes === 0) return false;
      changeLog?.append({ kind: 'access-key-deleted', accessKeyId });
      return true;
    }).immediate;
  }

  async createAccount(accountId: string): Promise<AccountRecord> {
    if (!isAccountId(accountId)) throw accountErrors.invalidAccountId(accountId);
    const row: AccountRow = { account_id: accountId, created_at: this.#now() };
    try {
      this.#insertAccount.run(row);
    } catch (error) {
      if (isPrimaryKeyClash(error)) throw accountErrors.duplicateAccount(accountId);
      throw error;
    }
    return accountFromRow(row);
  }

  async listAccounts(): Promise<readonly AccountRecord[]> {
    return this.#listAccounts.all().map(accountFromRow);
  }

  async getAccount(accountId: string): Promise<AccountRecord | undefined> {
    const row = this.#getAccount.get(accountId);
    return row === undefined ? undefined : accountFromRow(row);
  }

  async deleteAccount(accountId: string, rule: AccountDeletionRule): Promise<void> {
    this.#deleteAccount(accountId, rule);
  }

  async createAccessKey(accountId: string): Promise<NewAccessKey> {
    return this.#createKey(accountId);
  }

  async listAccessKeys(accountId: string): Promise<readonly AccessKeySummary[]> {
    return this.#listKeysOf(accountId);
  }

  async deleteAccessKey(accessKeyId: string): Promise<void> {
    if (!this.#deleteKeyAndLog(accessKeyId)) throw accountErrors.noSuchAccessKey(accessKeyId);
    this.changes?.publish({ kind: 'access-key-deleted', accessKeyId });
  }

  async findAccessKey(accessKeyId: string): Promise<AccessKeySecret | undefined> {
    const row = this.#findKey.get(accessKeyId);
    return row === undefined ? undefined : { accountId: row.account_id, secretAccessKey: row.secret };
  }

  #createKeyInTransaction(accountId: string): NewAccessKey {
    if (this.#getAccount.get(accountId) === undefined) throw accountErrors.noSuchAccount(accountId);
    const createdAt = this.#now();
    for (let attempt = 1; ; attempt++) {
      const key: NewAccessKey = {
        accessKeyId: newAccessKeyId(),
        secretAccessKey: newSecretAccessKey(),
        accountId,
        createdAt,
      };
      try {
        this.#insertKey.run({
          access_key_id: key.accessKeyId,
          account_id: accountId,
          secret: key.secretAccessKey,
          created_at: createdAt,
        });
        return key;
      } catch (error) {
        if (!isPrimaryKeyClash(error) || attempt >= KEY_ID_ATTEMPTS) throw error;
      }
    }
  }

  #deleteAccountInTransaction(accountId: string, rule: AccountDeletionRule): void {
    if (this.#getAccount.get(accountId) === undefined) throw accountErrors.noSuchAccount(accountId);
    rule(accountId, this.#countKeys.get(accountId) ?? 0);
    this.#deleteAccountRow.run(accountId);
  }
}
