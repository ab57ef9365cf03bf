import type Database from 'better-sqlite3';
import type { Scope } from '../../domain/scope.js';
import type { ExpiredOwnershipToken, OwnershipTokenStore } from '../ownership-token-store.js';

interface TokenRow {
  readonly account_id: string;
  readonly region: string;
  readonly certificate_id: string;
  readonly redeemed_at: number | null;
}

const KEY = 'account_id = @account_id AND region = @region AND certificate_id = @certificate_id';

/** OwnershipTokenStore on the registry's shared SQLite connection. */
export class SqliteOwnershipTokenStore implements OwnershipTokenStore {
  readonly #insert: Database.Statement<[TokenRow & { expires_at: number }]>;
  readonly #expired: Database.Statement<[{ now: number; limit: number }], TokenRow>;
  readonly #delete: Database.Statement<[Omit<TokenRow, 'redeemed_at'>]>;

  constructor(db: Database.Database) {
    this.#insert = db.prepare(
      `INSERT INTO ownership_tokens (account_id, region, certificate_id, expires_at, redeemed_at)
        VALUES (@account_id, @region, @certificate_id, @expires_at, @redeemed_at)`,
    );
    this.#expired = db.prepare(
      `SELECT account_id, region, certificate_id, redeemed_at FROM ownership_tokens
        WHERE expires_at <= @now ORDER BY expires_at LIMIT @limit`,
    );
    this.#delete = db.prepare(`DELETE FROM ownership_tokens WHERE ${KEY}`);
  }

  async record(scope: Scope, certificateId: string, expiresAt: number): Promise<void> {
    this.#insert.run({ ...keyOf(scope, certificateId), expires_at: expiresAt, redeemed_at: null });
  }

  async expired(now: number, limit: number): Promise<readonly ExpiredOwnershipToken[]> {
    return this.#expired.all({ now, limit }).map((row) => ({
      scope: { accountId: row.account_id, region: row.region },
      certificateId: row.certificate_id,
      redeemed: row.redeemed_at !== null,
    }));
  }

  async forget(scope: Scope, certificateId: string): Promise<void> {
    this.#delete.run(keyOf(scope, certificateId));
  }
}

function keyOf(scope: Scope, certificateId: string) {
  return { account_id: scope.accountId, region: scope.region, certificate_id: certificateId };
}
