import type { CertificateStatus } from '../domain/certificates/certificate-status.js';
import type { Scope } from '../domain/scope.js';
import { type SqlInteger, toNumber } from './certificate-row.js';
import type { CertificateCounts, StatisticsQuery } from './certificate-search.js';
import type { ReadRows, Sql, SqlDialect } from './certificate-search-sql.js';

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
  const statement = () => {
    const values: unknown[] = [];
    const param = (value: unknown, type: 'text' | 'bigint') => {
      values.push(value);
      return dialect.placeholder(values.length, type);
    };
    const scoped = () => `account_id = ${param(scope.accountId, 'text')} AND region = ${param(scope.region, 'text')}`;
    return { values, param, scoped };
  };
  const byStatus = statement();
  const byStatusText = `SELECT status, COUNT(*) AS count FROM certificates ${dialect.indexHint('by_status_creation')}
    WHERE ${byStatus.scoped()} GROUP BY status`;
  const issuance = statement();
  // % is integer arithmetic on both engines (SQLite casts to INTEGER the parameters its driver binds as REAL), and
  // creation dates are positive: the date less its remainder is its bucket's start.
  const start = `creation_date - creation_date % ${issuance.param(query.bucketMs, 'bigint')}`;
  const issuanceText = `SELECT ${start} AS start, COUNT(*) AS count FROM certificates ${dialect.indexHint('by_creation')}
    WHERE ${issuance.scoped()} AND creation_date >= ${issuance.param(query.issuedFrom, 'bigint')}
      AND creation_date < ${issuance.param(query.issuedBefore, 'bigint')}
    GROUP BY 1`;
  const expiry = statement();
  const now = expiry.param(query.now, 'bigint');
  const nowAgain = expiry.param(query.now, 'bigint');
  const expiryText = `SELECT COUNT(CASE WHEN not_after < ${now} THEN 1 END) AS expired,
      COUNT(CASE WHEN not_after >= ${nowAgain} THEN 1 END) AS expiring
    FROM certificates ${dialect.indexHint('by_not_after')}
    WHERE ${expiry.scoped()} AND not_after < ${expiry.param(query.expiringBefore, 'bigint')}`;
  return {
    byStatus: { text: byStatusText, values: byStatus.values },
    issuance: { text: issuanceText, values: issuance.values },
    expiry: { text: expiryText, values: expiry.values },
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
