import { newAccessKeyId, newSecretAccessKey } from '../../domain/accounts/access-key-material.js';
import type { AccountDeletionRule } from '../../domain/accounts/account-deletion.js';
import { accountErrors } from '../../domain/accounts/account-error.js';
import { isAccountId } from '../../domain/accounts/account-id.js';
import type { AccessKeySecret, AccessKeySummary, AccountRecord, AccountStore, NewAccessKey } from '../account-store.js';
import type { SqlInteger } from '../certificate-row.js';
import { StoreError } from '../store-error.js';
import type { PgDatabase } from './pg-database.js';
import { isUniqueViolation } from './pg-errors.js';
import { announceChange } from './pg-notify.js';

interface AccountRow {
  readonly account_id: string;
  readonly created_at: SqlInteger;
}

/** An account with one of its keys; the key columns are NULL for an account without keys (LEFT JOIN). */
interface AccountKeyRow {
  readonly account_id: string;
  readonly access_key_id: string | null;
  readonly created_at: SqlInteger | null;
}

/** How many fresh ids createAccessKey tries before giving up; a clash is a 2^-80 event. */
const KEY_ID_ATTEMPTS = 3;

const INSERT_ACCOUNT = 'INSERT INTO accounts (account_id, created_at) VALUES ($1, $2)';
const GET_ACCOUNT = 'SELECT account_id, created_at FROM accounts WHERE account_id = $1';
const LIST_ACCOUNTS = 'SELECT account_id, created_at FROM accounts ORDER BY account_id';
/** FOR KEY SHARE: the account cannot be deleted until the key inserted for it is committed. */
const LOCK_ACCOUNT_FOR_KEY = `${GET_ACCOUNT} FOR KEY SHARE`;
/** FOR UPDATE: waits for keys being created for the account, and keeps new ones out until the delete is done. */
const LOCK_ACCOUNT_FOR_DELETE = `${GET_ACCOUNT} FOR UPDATE`;
const COUNT_KEYS = 'SELECT COUNT(*) AS n FROM access_keys WHERE account_id = $1';
const DELETE_ACCOUNT = 'DELETE FROM accounts WHERE account_id = $1';
/** A clash of the random id inserts nothing (rather than aborting the transaction), and a new id is drawn. */
const INSERT_KEY = `INSERT INTO access_keys (access_key_id, account_id, secret, created_at) VALUES ($1, $2, $3, $4)
  ON CONFLICT (access_key_id) DO NOTHING`;
/** One statement, so "the account exists" and "these are its keys" describe the same moment. */
const LIST_KEYS = `SELECT a.account_id, k.access_key_id, k.created_at FROM accounts a
  LEFT JOIN access_keys k ON k.account_id = a.account_id
  WHERE a.account_id = $1 ORDER BY k.created_at, k.access_key_id`;
const DELETE_KEY = 'DELETE FROM access_keys WHERE access_key_id = $1';
const FIND_KEY = 'SELECT account_id, secret FROM access_keys WHERE access_key_id = $1';

const accountFromRow = (row: AccountRow): AccountRecord => ({
  accountId: row.account_id,
  createdAt: Number(row.created_at),
});

/**
 * AccountStore on PostgreSQL. Creating a key and deleting an account lock the account row (KEY SHARE
 * against UPDATE), so a key is never created for an account being deleted, nor an account deleted
 * while a key for it is being created; the foreign key would refuse the orphan anyway.
 */
export class PgAccountStore implements AccountStore {
  readonly #db: PgDatabase;
  readonly #now: () => number;

  /** `now` (epoch milliseconds) dates new accounts and keys. */
  constructor(db: PgDatabase, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  async createAccount(accountId: string): Promise<AccountRecord> {
    if (!isAccountId(accountId)) throw accountErrors.invalidAccountId(accountId);
    const createdAt = this.#now();
    try {
      await this.#db.query(INSERT_ACCOUNT, [accountId, createdAt]);
    } catch (error) {
      if (isUniqueViolation(error)) throw accountErrors.duplicateAccount(accountId);
      throw error;
    }
    return { accountId, createdAt };
  }

  async listAccounts(): Promise<readonly AccountRecord[]> {
    const { rows } = await this.#db.query<AccountRow>(LIST_ACCOUNTS);
    return rows.map(accountFromRow);
  }

  async getAccount(accountId: string): Promise<AccountRecord | undefined> {
    const { rows } = await this.#db.query<AccountRow>(GET_ACCOUNT, [accountId]);
    return rows[0] === undefined ? undefined : accountFromRow(rows[0]);
  }

  deleteAccount(accountId: string, rule: AccountDeletionRule): Promise<void> {
    return this.#db.transaction(async (tx) => {
      const account = await tx.query(LOCK_ACCOUNT_FOR_DELETE, [accountId]);
      if (account.rows.length === 0) throw accountErrors.noSuchAccount(accountId);
      const { rows } = await tx.query<{ n: string }>(COUNT_KEYS, [accountId]);
      rule(accountId, Number(rows[0]?.n ?? 0));
      await tx.query(DELETE_ACCOUNT, [accountId]);
    });
  }

  createAccessKey(accountId: string): Promise<NewAccessKey> {
    return this.#db.transaction(async (tx) => {
      const account = await tx.query(LOCK_ACCOUNT_FOR_KEY, [accountId]);
      if (account.rows.length === 0) throw accountErrors.noSuchAccount(accountId);
      const createdAt = this.#now();
      for (let attempt = 1; attempt <= KEY_ID_ATTEMPTS; attempt++) {
        const key: NewAccessKey = {
          accessKeyId: newAccessKeyId(),
          secretAccessKey: newSecretAccessKey(),
          accountId,
          createdAt,
        };
        const inserted = await tx.query(INSERT_KEY, [key.accessKeyId, accountId, key.secretAccessKey, createdAt]);
        if (inserted.rowCount === 1) return key;
      }
      throw new StoreError('RULE_CONTRACT', `${KEY_ID_ATTEMPTS} generated access key ids were all taken`);
    });
  }

  async listAccessKeys(accountId: string): Promise<readonly AccessKeySummary[]> {
    const { rows } = await this.#db.query<AccountKeyRow>(LIST_KEYS, [accountId]);
    if (rows.length === 0) throw accountErrors.noSuchAccount(accountId);
    return rows.flatMap((row) =>
      row.access_key_id === null || row.created_at === null
        ? []
        : [{ accessKeyId: row.access_key_id, accountId: row.account_id, createdAt: Number(row.created_at) }],
    );
  }

  deleteAccessKey(accessKeyId: string): Promise<void> {
    return this.#db.transaction(async (tx) => {
      const deleted = await tx.query(DELETE_KEY, [accessKeyId]);
      if (deleted.rowCount === 0) throw accountErrors.noSuchAccessKey(accessKeyId);
      // Replicas caching this key stop accepting it once the deletion commits.
      await announceChange(tx, { kind: 'access-key-deleted', accessKeyId });
    });
  }

  async findAccessKey(accessKeyId: string): Promise<AccessKeySecret | undefined> {
    const { rows } = await this.#db.query<{ account_id: string; secret: string }>(FIND_KEY, [accessKeyId]);
    const row = rows[0];
    return row === undefined ? undefined : { accountId: row.account_id, secretAccessKey: row.secret };
  }
}
