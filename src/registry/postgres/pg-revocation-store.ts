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
import type { PgDatabase } from './pg-database.js';

type Indexed = IssuerAndSerial & Scope & { readonly certificateId: string };

/**
 * The CRL's rows: the listed statuses of one issuer (certificates_by_issuer_status, one range per status), then its
 * tombstones; serials in byte order (COLLATE "C", whatever the database's collation), as on SQLite. Exported for
 * the query-plan test.
 */
export const REVOCATION_LISTING = `SELECT serial_number COLLATE "C", status, NULL, last_modified_date, revocation_reason FROM certificates
    WHERE issuer_key_id = $1 AND status = ANY($2::text[]) AND not_after > $3
  UNION ALL SELECT ${TOMBSTONE_STATE_COLUMNS} FROM deleted_issued_certificates
    WHERE issuer_key_id = $1 AND not_after > $3
  ORDER BY 1`;
/** A live row first (rank 0), else the tombstone. */
const FIND = `SELECT ${LIVE_STATE_COLUMNS}, 0 AS rank, certificate_id FROM certificates WHERE issuer_key_id = $1 AND serial_number = $2
  UNION ALL SELECT ${TOMBSTONE_STATE_COLUMNS}, 1, certificate_id FROM deleted_issued_certificates
    WHERE issuer_key_id = $1 AND serial_number = $2
  ORDER BY rank LIMIT 1`;
/** Atomic: concurrent callers of any process wait on the row's lock and each get the next number. */
const NEXT_CRL_NUMBER = `INSERT INTO crl_numbers (issuer_key_id, crl_number) VALUES ($1, 1)
  ON CONFLICT (issuer_key_id) DO UPDATE SET crl_number = crl_numbers.crl_number + 1 RETURNING crl_number`;
/** Rows fleetca issued before migration 9: DEFAULT mode without a CA (registered certificates have one, or SNI_ONLY). */
const UNINDEXED = `SELECT account_id, region, certificate_id, certificate_pem FROM certificates
  WHERE issuer_key_id IS NULL AND certificate_mode = 'DEFAULT' AND ca_certificate_id IS NULL LIMIT $1`;
/** Every row of a batch in one statement. */
const INDEX = `UPDATE certificates AS c SET issuer_key_id = v.issuer_key_id, serial_number = v.serial_number
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
    AS v (account_id, region, certificate_id, issuer_key_id, serial_number)
  WHERE c.account_id = v.account_id AND c.region = v.region AND c.certificate_id = v.certificate_id`;

/** RevocationStore on PostgreSQL; the listing's rows come back as arrays (no object per row in the driver). */
export class PgRevocationStore implements RevocationStore {
  readonly #db: PgDatabase;

  constructor(db: PgDatabase) {
    this.#db = db;
  }

  numberedRevocations(
    issuerKeyId: string,
    statuses: readonly CertificateStatus[],
    notAfterAfter: number,
  ): Promise<{ readonly crlNumber: bigint; readonly entries: readonly RevocationEntry[] }> {
    // READ COMMITTED: the listing's snapshot is taken after the number's row lock was granted, so after the
    // transaction that took the previous number committed.
    return this.#db.transaction(async (tx) => {
      const { rows } = await tx.query<{ crl_number: string }>(NEXT_CRL_NUMBER, [issuerKeyId]);
      const next = rows[0]?.crl_number;
      if (next === undefined) throw new Error(`no CRL number was returned for issuer ${issuerKeyId}`);
      const listed = await tx.queryArrays<RevocationRow>(REVOCATION_LISTING, [issuerKeyId, statuses, notAfterAfter]);
      return { crlNumber: BigInt(next), entries: listed.map(revocationEntryOf) };
    });
  }

  async findIssued(issuer: IssuerAndSerial): Promise<IssuedCertificateState | undefined> {
    const [row] = await this.#db.queryArrays<FoundRow>(FIND, [issuer.issuerKeyId, issuer.serialNumber]);
    return row === undefined ? undefined : issuedStateOf(row);
  }

  async unindexedIssuedCertificates(limit: number): Promise<readonly UnindexedIssuedCertificate[]> {
    const { rows } = await this.#db.query<UnindexedRow>(UNINDEXED, [limit]);
    return rows.map((row) => ({
      accountId: row.account_id,
      region: row.region,
      certificateId: row.certificate_id,
      certificatePem: row.certificate_pem,
    }));
  }

  async indexIssuedCertificates(rows: readonly Indexed[]): Promise<void> {
    if (rows.length === 0) return;
    await this.#db.query(INDEX, [
      rows.map((row) => row.accountId),
      rows.map((row) => row.region),
      rows.map((row) => row.certificateId),
      rows.map((row) => row.issuerKeyId),
      rows.map((row) => row.serialNumber),
    ]);
  }
}

interface UnindexedRow {
  readonly account_id: string;
  readonly region: string;
  readonly certificate_id: string;
  readonly certificate_pem: string;
}
