import type { CertificateStatus } from '../domain/certificates/certificate-status.js';
import type { Scope } from '../domain/scope.js';
import { type SqlInteger, toNumber } from './certificate-row.js';
import type { CertificateCounts, StatisticsQuery } from './certificate-search.js';
import { type ReadRows, type Sql, type SqlDialect, SqlStatement } from './certificate-search-sql.js';

/**
 * GetCertificateStatistics' three reads in portable SQL, each one range of one index of the scope and nothing
 * else (SQLite reads the index alone; PostgreSQL too once the table is vacuumed): the statuses from
 * certificates_by_status_creation, issuance from certificates_by_creation, expiry from certificates_by_not_after.
 * Exported for the query-plan tests.
 */
export function statisticsStatements(
  scope: Scope,
  query: StatisticsQuery,
  dialect: SqlDialect,
): { readonly byStatus: Sql; readonly issuance: Sql; readonly expiry: Sql } {
  const scoped = (s: SqlStatement) => `account_id = ${s.param(scope.accountId)} AND region = ${s.param(scope.region)}`;
  const byStatus = new SqlStatement(dialect);
  const issuance = new SqlStatement(dialect);
  const expiry = new SqlStatement(dialect);
  return {
    byStatus: byStatus.sql(
      `SELECT status, COUNT(*) AS count FROM certificates ${dialect.indexHint('by_status_creation')}
        WHERE ${scoped(byStatus)} GROUP BY status`,
    ),
    // % is integer arithmetic on both engines (SQLite casts to INTEGER the parameters its driver binds as REAL), and
    // creation dates are positive: the date less its remainder is its bucket's start.
    issuance: issuance.sql(
      `SELECT creation_date - creation_date % ${issuance.param(query.bucketMs)} AS start, COUNT(*) AS count
        FROM certificates ${dialect.indexHint('by_creation')}
        WHERE ${scoped(issuance)} AND creation_date >= ${issuance.param(query.issuedFrom)}
          AND creation_date < ${issuance.param(query.issuedBefore)}
        GROUP BY 1`,
    ),
    expiry: expiry.sql(
      `SELECT COUNT(CASE WHEN not_after < ${expiry.param(query.now)} THEN 1 END) AS expired,
          COUNT(CASE WHEN not_after >= ${expiry.param(query.now)} THEN 1 END) AS expiring
        FROM certificates ${dialect.indexHint('by_not_after')}
        WHERE ${scoped(expiry)} AND not_after < ${expiry.param(query.expiringBefore)}`,
    ),
  };
}

/** The three reads on an engine (concurrently where it has several connections), as the store answers them. */
export async function runStatistics(
  scope: Scope,
  query: StatisticsQuery,
  dialect: SqlDialect,
  read: ReadRows,
): Promise<CertificateCounts> {
  const statements = statisticsStatements(scope, query, dialect);
  const [byStatus, issuance, expiry] = await Promise.all([
    read<{ status: CertificateStatus; count: SqlInteger }>(statements.byStatus),
    read<{ start: SqlInteger; count: SqlInteger }>(statements.issuance),
    read<{ expired: SqlInteger; expiring: SqlInteger }>(statements.expiry),
  ]);
  const [counted] = expiry;
  return {
    byStatus: byStatus.map((row) => ({ status: row.status, count: toNumber(row.count, 'count') })),
    issuance: issuance.map((row) => ({ start: toNumber(row.start, 'start'), count: toNumber(row.count, 'count') })),
    expiringSoon: counted === undefined ? 0 : toNumber(counted.expiring, 'expiring'),
    expired: counted === undefined ? 0 : toNumber(counted.expired, 'expired'),
  };
}
