import type { Scope } from '../../domain/scope.js';
import type { ExpiredOwnershipToken, OwnershipTokenStore } from '../ownership-token-store.js';
import type { PgDatabase } from './pg-database.js';

const INSERT = `INSERT INTO ownership_tokens (account_id, region, certificate_id, expires_at, redeemed_at)
  VALUES ($1, $2, $3, $4, NULL)`;
const EXPIRED = `SELECT account_id, region, certificate_id, redeemed_at FROM ownership_tokens
  WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2`;
const DELETE = 'DELETE FROM ownership_tokens WHERE account_id = $1 AND region = $2 AND certificate_id = $3';

/** OwnershipTokenStore on PostgreSQL. */
export class PgOwnershipTokenStore implements OwnershipTokenStore {
  readonly #db: PgDatabase;

  constructor(db: PgDatabase) {
    this.#db = db;
  }

  async record(scope: Scope, certificateId: string, expiresAt: number): Promise<void> {
    await this.#db.query(INSERT, [scope.accountId, scope.region, certificateId, expiresAt]);
  }

  async expired(now: number, limit: number): Promise<readonly ExpiredOwnershipToken[]> {
    const { rows } = await this.#db.query<{
      account_id: string;
      region: string;
      certificate_id: string;
      redeemed_at: string | null;
    }>(EXPIRED, [now, limit]);
    return rows.map((row) => ({
      scope: { accountId: row.account_id, region: row.region },
      certificateId: row.certificate_id,
      redeemed: row.redeemed_at !== null,
    }));
  }

  async forget(scope: Scope, certificateId: string): Promise<void> {
    await this.#db.query(DELETE, [scope.accountId, scope.region, certificateId]);
  }
}
