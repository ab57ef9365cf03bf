import type Database from 'better-sqlite3';
import type { CertificateStatus } from '../../domain/certificates/certificate-status.js';
import type { CertificateRowValues } from '../certificate-row.js';
import type { RegistryChange } from '../registry-changes.js';
import type { SqliteChangeLog } from './sqlite-change-log.js';

/** The change a new certificate row announces: its status, so every replica's CRL learns of one created on hold. */
export function certificateCreated(row: CertificateRowValues): RegistryChange {
  return {
    kind: 'certificate',
    accountId: String(row.account_id),
    region: String(row.region),
    certificateId: String(row.certificate_id),
    status: row.status as CertificateStatus,
  };
}

/**
 * The write of one certificate row, as the group commit runs it (on the opening connection or the writer thread's):
 * the row and, when the registry logs changes, its creation in registry_changes, in the same transaction. Inside a
 * group's transaction the pair runs as it is (a savepoint per row would cost a sixth of the insert rate): a refused
 * row (a duplicate) fails before anything is logged, and should the log fail after the row went in, the whole group
 * is rolled back, so that commitGroup retries each row alone, each in a transaction of its own.
 */
export function certificateInserter(
  db: Database.Database,
  insert: Database.Statement<[CertificateRowValues]>,
  changeLog: SqliteChangeLog | undefined,
): (row: CertificateRowValues) => void {
  if (changeLog === undefined) {
    return (row) => {
      insert.run(row);
    };
  }
  const pair = (row: CertificateRowValues) => {
    insert.run(row);
    try {
      changeLog.append(certificateCreated(row));
    } catch (error) {
      if (db.inTransaction) db.prepare('ROLLBACK').run();
      throw error;
    }
  };
  const alone = db.transaction(pair).immediate;
  return (row) => (db.inTransaction ? pair(row) : alone(row));
}
