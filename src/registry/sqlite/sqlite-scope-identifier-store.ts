import Database from 'better-sqlite3';
import type { Scope } from '../../domain/scope.js';
import type { ScopeIdentifierKind, ScopeIdentifierStore } from '../scope-identifier-store.js';
import { StoreError } from '../store-error.js';

interface IdentifierKey {
  readonly account_id: string;
  readonly region: string;
  readonly kind: ScopeIdentifierKind;
}

/** Fresh values drawn before giving up; with 64-bit-plus random values a second draw already never happens. */
const MAX_DRAWS = 8;

/**
 * ScopeIdentifierStore on the registry's shared SQLite connection. Creation is a BEGIN IMMEDIATE
 * read-then-insert, so two processes asking at once both end up with the first one's value.
 */
export class SqliteScopeIdentifierStore implements ScopeIdentifierStore {
  readonly #get: Database.Statement<[IdentifierKey], string>;
  readonly #getOrCreate: (key: IdentifierKey, generate: () => string) => string;

  constructor(db: Database.Database) {
    const get = db
      .prepare<[IdentifierKey], string>(
        'SELECT value FROM scope_identifiers WHERE account_id = @account_id AND region = @region AND kind = @kind',
      )
      .pluck();
    const insert = db.prepare<[IdentifierKey & { value: string; created_at: number }]>(
      `INSERT INTO scope_identifiers (account_id, region, kind, value, created_at)
        VALUES (@account_id, @region, @kind, @value, @created_at)`,
    );
    this.#get = get;
    this.#getOrCreate = db.transaction((key: IdentifierKey, generate: () => string): string => {
      const existing = get.get(key);
      if (existing !== undefined) return existing;
      for (let draw = 0; draw < MAX_DRAWS; draw++) {
        const value = generate();
        try {
          insert.run({ ...key, value, created_at: Date.now() });
          return value;
        } catch (error) {
          // The value is taken by another scope: draw again. Anything else is a real failure.
          if (!(error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_UNIQUE')) throw error;
        }
      }
      throw new StoreError('RULE_CONTRACT', `${MAX_DRAWS} generated ${key.kind} values were all taken`);
    }).immediate;
  }

  async get(scope: Scope, kind: ScopeIdentifierKind): Promise<string | undefined> {
    return this.#get.get({ account_id: scope.accountId, region: scope.region, kind });
  }

  async getOrCreate(scope: Scope, kind: ScopeIdentifierKind, generate: () => string): Promise<string> {
    return this.#getOrCreate({ account_id: scope.accountId, region: scope.region, kind }, generate);
  }
}
