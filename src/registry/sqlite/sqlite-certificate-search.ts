import type Database from 'better-sqlite3';
import type { Scope } from '../../domain/scope.js';
import type { CertificateCounts, SearchPage, SearchQuery, StatisticsQuery } from '../certificate-search.js';
import { runSearch, type SearchIndex, type Sql, type SqlDialect } from '../certificate-search-sql.js';
import { runStatistics } from '../certificate-statistics-sql.js';

/** The SQLite names of the indexes searches use; the primary key's is SQLite's own for the table's first constraint. */
const INDEX_NAMES: Readonly<Record<SearchIndex, string>> = {
  primary: 'sqlite_autoindex_certificates_1',
  by_creation: 'certificates_by_creation',
  by_status_creation: 'certificates_by_status_creation',
  by_ca: 'certificates_by_ca',
  by_not_after: 'certificates_by_not_after',
};

/**
 * INDEXED BY: without statistics (fleetca never runs ANALYZE) SQLite may prefer an index that avoids the sort but
 * not the walk, and a search's bound on the entries it examines holds only on the index its range was taken from.
 */
export const SQLITE_SEARCH_DIALECT: SqlDialect = {
  placeholder: () => '?',
  indexHint: (index) => `INDEXED BY ${INDEX_NAMES[index]}`,
};

/** SearchCertificates and GetCertificateStatistics on the registry's connection, statements prepared once. */
export class SqliteCertificateSearch {
  readonly #db: Database.Database;
  /** By text: the same few dozen shapes of statement (filters and orders combined), whatever the values. */
  readonly #statements = new Map<string, Database.Statement<unknown[]>>();

  constructor(db: Database.Database) {
    this.#db = db;
  }

  search(scope: Scope, query: SearchQuery): Promise<SearchPage> {
    return runSearch(scope, query, SQLITE_SEARCH_DIALECT, this.#read);
  }

  statistics(scope: Scope, query: StatisticsQuery): Promise<CertificateCounts> {
    return runStatistics(scope, query, SQLITE_SEARCH_DIALECT, this.#read);
  }

  readonly #read = <R>(sql: Sql): readonly R[] => {
    let statement = this.#statements.get(sql.text);
    if (statement === undefined) {
      statement = this.#db.prepare<unknown[]>(sql.text);
      this.#statements.set(sql.text, statement);
    }
    return statement.all(...sql.values) as R[];
  };
}
