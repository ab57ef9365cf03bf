import type { Scope } from '../../domain/scope.js';
import type { ScopeIdentifierKind, ScopeIdentifierStore } from '../scope-identifier-store.js';
import { StoreError } from '../store-error.js';
import type { PgDatabase } from './pg-database.js';

/** Fresh values drawn before giving up; with 64-bit-plus random values a second draw already never happens. */
const MAX_DRAWS = 8;

const GET = 'SELECT value FROM scope_identifiers WHERE account_id = $1 AND region = $2 AND kind = $3';
/**
 * Inserts nothing, without an error, on either unique index: the scope already has one (someone got there
 * first, committed or about to: the insert waits for them) or another scope holds this value.
 */
const INSERT = `INSERT INTO scope_identifiers (account_id, region, kind, value, created_at)
  VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`;

/**
 * ScopeIdentifierStore on PostgreSQL. First use inserts with ON CONFLICT DO NOTHING and reads back, each
 * statement on its own: whichever caller's insert commits first sets the value, and every other caller,
 * in any process, reads that one.
 */
export class PgScopeIdentifierStore implements ScopeIdentifierStore {
  readonly #db: PgDatabase;

  constructor(db: PgDatabase) {
    this.#db = db;
  }

  async get(scope: Scope, kind: ScopeIdentifierKind): Promise<string | undefined> {
    const { rows } = await this.#db.query<{ value: string }>(GET, [scope.accountId, scope.region, kind]);
    return rows[0]?.value;
  }

  async getOrCreate(scope: Scope, kind: ScopeIdentifierKind, generate: () => string): Promise<string> {
    const existing = await this.get(scope, kind);
    if (existing !== undefined) return existing;
    for (let draw = 0; draw < MAX_DRAWS; draw++) {
      const value = generate();
      const inserted = await this.#db.query(INSERT, [scope.accountId, scope.region, kind, value, Date.now()]);
      if (inserted.rowCount === 1) return value;
      // Nothing inserted: either another caller created this scope's identifier, or the value is taken.
      const winner = await this.get(scope, kind);
      if (winner !== undefined) return winner;
    }
    throw new StoreError('RULE_CONTRACT', `${MAX_DRAWS} generated ${kind} values were all taken`);
  }
}
