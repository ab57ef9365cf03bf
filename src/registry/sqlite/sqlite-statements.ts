import type Database from 'better-sqlite3';
import {
  CERTIFICATE_COLUMNS,
  CERTIFICATE_SUMMARY_COLUMNS,
  type CertificateRow,
  type CertificateRowValues,
  type CertificateSummaryRow,
  COUNT_BY_STATUS,
} from '../certificate-row.js';
import { TOMBSTONE_COLUMNS, type TombstoneValues } from '../revocation-row.js';
import type { StatusCount } from '../store.js';

/** Identifies one certificate within its account and region. */
export interface CertificateKey {
  readonly account_id: string;
  readonly region: string;
  readonly certificate_id: string;
}

/** Identifies one attachment row. */
export interface AttachmentKey extends CertificateKey {
  readonly kind: 'thing' | 'policy';
  readonly name: string;
}

/** Parameters of a ListCertificates page; `creation_date`/`certificate_id` is the exclusive cursor. */
export interface PageParams {
  readonly account_id: string;
  readonly region: string;
  readonly limit: number;
  readonly creation_date?: number;
  readonly certificate_id?: string;
  /** Set for the by-CA page statements only. */
  readonly ca_certificate_id?: string;
}

/** Every statement the SQLite store runs, prepared once per connection. */
export interface SqliteStatements {
  readonly insert: Database.Statement<[CertificateRowValues]>;
  readonly get: Database.Statement<[CertificateKey], CertificateRow>;
  readonly registrations: Database.Statement<[{ certificate_id: string }], CertificateSummaryRow>;
  readonly pageDescending: Database.Statement<[PageParams], CertificateSummaryRow>;
  readonly pageDescendingAfter: Database.Statement<[PageParams], CertificateSummaryRow>;
  readonly pageAscending: Database.Statement<[PageParams], CertificateSummaryRow>;
  readonly pageAscendingAfter: Database.Statement<[PageParams], CertificateSummaryRow>;
  /** The same four pages restricted to one CA certificate (ListCertificatesByCA). */
  readonly pageByCaDescending: Database.Statement<[PageParams], CertificateSummaryRow>;
  readonly pageByCaDescendingAfter: Database.Statement<[PageParams], CertificateSummaryRow>;
  readonly pageByCaAscending: Database.Statement<[PageParams], CertificateSummaryRow>;
  readonly pageByCaAscendingAfter: Database.Statement<[PageParams], CertificateSummaryRow>;
  readonly updateStatus: Database.Statement<
    [
      CertificateKey & {
        status: string;
        last_modified_date: number;
        generation_id: string;
        revocation_reason: number | null;
      },
    ]
  >;
  readonly countAttachments: Database.Statement<[CertificateKey], { kind: string; n: number }>;
  readonly policyAttachments: Database.Statement<[CertificateKey], string>;
  readonly deletePolicyAttachments: Database.Statement<[CertificateKey]>;
  readonly deleteCertificate: Database.Statement<[CertificateKey]>;
  /** What a deleted certificate fleetca issued leaves behind (migration 9); the first tombstone of a serial stays. */
  readonly insertTombstone: Database.Statement<[TombstoneValues]>;
  readonly exists: Database.Statement<[CertificateKey], number>;
  readonly countByStatus: Database.Statement<[], StatusCount>;
  readonly attach: Database.Statement<[AttachmentKey]>;
  readonly detach: Database.Statement<[AttachmentKey]>;
}

const COLUMNS = CERTIFICATE_COLUMNS.join(', ');
const SUMMARY = CERTIFICATE_SUMMARY_COLUMNS.join(', ');
const KEY = 'account_id = @account_id AND region = @region AND certificate_id = @certificate_id';
const SCOPE = 'account_id = @account_id AND region = @region';
const BY_CA = `${SCOPE} AND ca_certificate_id = @ca_certificate_id`;
const DESC = 'ORDER BY creation_date DESC, certificate_id DESC LIMIT @limit';
const ASC = 'ORDER BY creation_date ASC, certificate_id ASC LIMIT @limit';

/** Prepares the store's statements; the SQL stays portable apart from the @name parameter style. */
export function prepareStatements(db: Database.Database): SqliteStatements {
  return {
    insert: db.prepare(
      `INSERT INTO certificates (${COLUMNS}) VALUES (${CERTIFICATE_COLUMNS.map((c) => `@${c}`).join(', ')})`,
    ),
    get: db.prepare(`SELECT ${COLUMNS} FROM certificates WHERE ${KEY}`),
    registrations: db.prepare(`SELECT ${SUMMARY} FROM certificates WHERE certificate_id = @certificate_id LIMIT 100`),
    pageDescending: db.prepare(`SELECT ${SUMMARY} FROM certificates WHERE ${SCOPE} ${DESC}`),
    pageDescendingAfter: db.prepare(
      `SELECT ${SUMMARY} FROM certificates WHERE ${SCOPE} AND (creation_date, certificate_id) < (@creation_date, @certificate_id) ${DESC}`,
    ),
    pageAscending: db.prepare(`SELECT ${SUMMARY} FROM certificates WHERE ${SCOPE} ${ASC}`),
    pageAscendingAfter: db.prepare(
      `SELECT ${SUMMARY} FROM certificates WHERE ${SCOPE} AND (creation_date, certificate_id) > (@creation_date, @certificate_id) ${ASC}`,
    ),
    pageByCaDescending: db.prepare(`SELECT ${SUMMARY} FROM certificates WHERE ${BY_CA} ${DESC}`),
    pageByCaDescendingAfter: db.prepare(
      `SELECT ${SUMMARY} FROM certificates WHERE ${BY_CA} AND (creation_date, certificate_id) < (@creation_date, @certificate_id) ${DESC}`,
    ),
    pageByCaAscending: db.prepare(`SELECT ${SUMMARY} FROM certificates WHERE ${BY_CA} ${ASC}`),
    pageByCaAscendingAfter: db.prepare(
      `SELECT ${SUMMARY} FROM certificates WHERE ${BY_CA} AND (creation_date, certificate_id) > (@creation_date, @certificate_id) ${ASC}`,
    ),
    updateStatus: db.prepare(
      `UPDATE certificates SET status = @status, last_modified_date = @last_modified_date,
        generation_id = @generation_id, revocation_reason = @revocation_reason,
        customer_version = customer_version + 1 WHERE ${KEY}`,
    ),
    countAttachments: db.prepare(`SELECT kind, COUNT(*) AS n FROM certificate_attachments WHERE ${KEY} GROUP BY kind`),
    policyAttachments: db
      .prepare<[CertificateKey], string>(`SELECT name FROM certificate_attachments WHERE ${KEY} AND kind = 'policy'`)
      .pluck(),
    deletePolicyAttachments: db.prepare(`DELETE FROM certificate_attachments WHERE ${KEY} AND kind = 'policy'`),
    deleteCertificate: db.prepare(`DELETE FROM certificates WHERE ${KEY}`),
    insertTombstone: db.prepare(
      `INSERT INTO deleted_issued_certificates (${TOMBSTONE_COLUMNS.join(', ')})
        VALUES (${TOMBSTONE_COLUMNS.map((c) => `@${c}`).join(', ')}) ON CONFLICT DO NOTHING`,
    ),
    exists: db.prepare<[CertificateKey], number>(`SELECT 1 FROM certificates WHERE ${KEY}`).pluck(),
    countByStatus: db.prepare<[], StatusCount>(COUNT_BY_STATUS),
    attach: db.prepare(
      `INSERT INTO certificate_attachments (account_id, region, certificate_id, kind, name)
        VALUES (@account_id, @region, @certificate_id, @kind, @name) ON CONFLICT DO NOTHING`,
    ),
    detach: db.prepare(`DELETE FROM certificate_attachments WHERE ${KEY} AND kind = @kind AND name = @name`),
  };
}
