import type Database from 'better-sqlite3';
import type { IssuerAndSerial } from '../../domain/certificates/certificate-record.js';
import type { CertificateStatus } from '../../domain/certificates/certificate-status.js';
import type { IssuedCertificateState } from '../../domain/certificates/revocation.js';
import type { Scope } from '../../domain/scope.js';
import {
  type FoundRow,
  issuedStateOf,
  LIVE_STATE_COLUMNS,
  type RevocationRow,
  revocationEntryOf,
  TOMBSTONE_STATE_COLUMNS,
} from '../revocation-row.js';
import type { RevocationEntry, RevocationStore, UnindexedIssuedCertificate } from '../revocation-store.js';

type Indexed = IssuerAndSerial & Scope & { readonly certificateId: string };

const TOMBSTONES = `SELECT ${TOMBSTONE_STATE_COLUMNS} FROM deleted_issued_certificates
  WHERE issuer_key_id = ? AND not_after > ?`;
/** A live row first (rank 0), else the tombstone. */
const FIND = `SELECT ${LIVE_STATE_COLUMNS}, 0, certificate_id FROM certificates WHERE issuer_key_id = ? AND serial_number = ?
  UNION ALL SELECT ${TOMBSTONE_STATE_COLUMNS}, 1, certificate_id FROM deleted_issued_certificates
    WHERE issuer_key_id = ? AND serial_number = ?
  ORDER BY 6 LIMIT 1`;
/** Atomic under the file's write lock, whichever process asks. */
const NEXT_CRL_NUMBER = `INSERT INTO crl_numbers (issuer_key_id, crl_number) VALUES (?, 1)
  ON CONFLICT (issuer_key_id) DO UPDATE SET crl_number = crl_numbers.crl_number + 1 RETURNING crl_number`;
/** Rows fleetca issued before migration 9: DEFAULT mode without a CA (registered certificates have one, or SNI_ONLY). */
const UNINDEXED = `SELECT account_id, region, certificate_id, certificate_pem FROM certificates
  WHERE issuer_key_id IS NULL AND certificate_mode = 'DEFAULT' AND ca_certificate_id IS NULL LIMIT ?`;
const INDEX = `UPDATE certificates SET issuer_key_id = @issuer_key_id, serial_number = @serial_number
  WHERE account_id = @account_id AND region = @region AND certificate_id = @certificate_id`;

/**
 * The listing's statement for `count` statuses: the live rows from certificates_by_issuer_status, then tombstones
 * (exported for the query-plan test).
 */
export function revocationListing(count: number): string {
  // No status at all lists only tombstones (`IN (NULL)` is never true).
  const statuses = count === 0 ? 'NULL' : Array.from({ length: count }, () => '?').join(', ');
  // INDEXED BY: left to itself, SQLite walks certificates_by_issuer_serial to skip the sort, reading every row of
  // the issuer (~3.7 s at 1,000,000) rather than the listed ones from the covering index (~0.15 s).
  return `SELECT ${LIVE_STATE_COLUMNS} FROM certificates INDEXED BY certificates_by_issuer_status
    WHERE issuer_key_id = ? AND status IN (${statuses}) AND not_after > ?
    UNION ALL ${TOMBSTONES}
    ORDER BY 1`;
}

/**
 * RevocationStore on the registry's SQLite connection. The CRL's listing reads raw rows (arrays), one index range
 * per listed status; serials sort in byte order (BINARY), as on PostgreSQL.
 */
export class SqliteRevocationStore implements RevocationStore {
  readonly #db: Database.Database;
  /** Listing statements by the number of statuses listed (the same few, always). */
  readonly #listings = new Map<number, Database.Statement<unknown[], RevocationRow>>();
  readonly #find: Database.Statement<unknown[], FoundRow>;
  readonly #next: Database.Statement<[string], bigint>;
  readonly #unindexed: Database.Statement<[number], UnindexedRow>;
  readonly #index: (rows: readonly Indexed[]) => void;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#find = db.prepare<unknown[], FoundRow>(FIND).raw();
    this.#next = db.prepare<[string], bigint>(NEXT_CRL_NUMBER).pluck().safeIntegers();
    this.#unindexed = db.prepare<[number], UnindexedRow>(UNINDEXED);
    const index = db.prepare(INDEX);
    this.#index = db.transaction((rows: readonly Indexed[]) => {
      for (const row of rows) {
        index.run({
          issuer_key_id: row.issuerKeyId,
          serial_number: row.serialNumber,
          account_id: row.accountId,
          region: row.region,
          certificate_id: row.certificateId,
        });
      }
    }).immediate;
  }

  async numberedRevocations(
    issuerKeyId: string,
    statuses: readonly CertificateStatus[],
    notAfterAfter: number,
  ): Promise<{ readonly crlNumber: bigint; readonly entries: readonly RevocationEntry[] }> {
    // One IMMEDIATE transaction: the file's write lock is held from the number to the end of the read, so no other
    // process takes the next number on an older snapshot.
    const read = this.#db.transaction(() => {
      const crlNumber = this.#next.get(issuerKeyId);
      if (crlNumber === undefined) throw new Error(`no CRL number was returned for issuer ${issuerKeyId}`);
      const rows = this.#listing(statuses.length).all(
        issuerKeyId,
        ...statuses,
        notAfterAfter,
        issuerKeyId,
        notAfterAfter,
      );
      return { crlNumber, rows };
    }).immediate;
    const { crlNumber, rows } = read();
    return { crlNumber, entries: rows.map(revocationEntryOf) };
  }

  #listing(statusCount: number): Database.Statement<unknown[], RevocationRow> {
    let statement = this.#listings.get(statusCount);
    if (statement === undefined) {
      statement = this.#db.prepare<unknown[], RevocationRow>(revocationListing(statusCount)).raw();
      this.#listings.set(statusCount, statement);
    }
    return statement;
  }

  async findIssued(issuer: IssuerAndSerial): Promise<IssuedCertificateState | undefined> {
    const { issuerKeyId, serialNumber } = issuer;
    const row = this.#find.get(issuerKeyId, serialNumber, issuerKeyId, serialNumber);
    return row === undefined ? undefined : issuedStateOf(row);
  }

  async unindexedIssuedCertificates(limit: number): Promise<readonly UnindexedIssuedCertificate[]> {
    return this.#unindexed.all(limit).map((row) => ({
      accountId: row.account_id,
      region: row.region,
      certificateId: row.certificate_id,
      certificatePem: row.certificate_pem,
    }));
  }

  async indexIssuedCertificates(rows: readonly Indexed[]): Promise<void> {
    if (rows.length > 0) this.#index(rows);
  }
}

interface UnindexedRow {
  readonly account_id: string;
  readonly region: string;
  readonly certificate_id: string;
  readonly certificate_pem: string;
}
