import type Database from 'better-sqlite3';
import {
  CA_CERTIFICATE_COLUMNS,
  type CaCertificateRow,
  type CaCertificateRowValues,
  type CaCertificateTagRow,
} from '../ca-certificate-row.js';
import type { CertificateKey } from './sqlite-statements.js';

/** Parameters of a ListCACertificates page; `creation_date`/`certificate_id` is the exclusive cursor. */
export interface CaPageParams {
  readonly account_id: string;
  readonly region: string;
  readonly limit: number;
  readonly creation_date?: number;
  readonly certificate_id?: string;
  readonly template_name?: string;
}

/** The mutable columns an update writes. */
export interface CaUpdateParams extends CertificateKey {
  readonly status: string;
  readonly auto_registration_status: string;
  readonly template_body: string | null;
  readonly role_arn: string | null;
  readonly template_name: string | null;
  readonly last_modified_date: number;
  readonly generation_id: string;
}

/** Every statement the SQLite CA certificate store runs, prepared once per connection. */
export interface SqliteCaStatements {
  readonly insert: Database.Statement<[CaCertificateRowValues]>;
  readonly insertTag: Database.Statement<[CertificateKey & { name: string; value: string | null }]>;
  readonly get: Database.Statement<[CertificateKey], CaCertificateRow>;
  readonly tagsOf: Database.Statement<[CertificateKey], CaCertificateTagRow>;
  readonly bySubject: Database.Statement<
    [{ account_id: string; region: string; subject_hash: string }],
    CaCertificateRow
  >;
  readonly bySubjectInAnyScope: Database.Statement<[{ subject_hash: string }], CaCertificateRow>;
  readonly defaultModeElsewhere: Database.Statement<[CertificateKey], number>;
  /** Page statements by [ascending][after][filtered by template]. */
  readonly page: (
    ascending: boolean,
    after: boolean,
    byTemplate: boolean,
  ) => Database.Statement<[CaPageParams], CaCertificateRow>;
  readonly update: Database.Statement<[CaUpdateParams]>;
  readonly deleteTags: Database.Statement<[CertificateKey]>;
  readonly delete: Database.Statement<[CertificateKey]>;
}

const COLUMNS = CA_CERTIFICATE_COLUMNS.join(', ');
const KEY = 'account_id = @account_id AND region = @region AND certificate_id = @certificate_id';
const SCOPE = 'account_id = @account_id AND region = @region';

function pageSql(ascending: boolean, after: boolean, byTemplate: boolean): string {
  const direction = ascending ? 'ASC' : 'DESC';
  const seek = ascending ? '>' : '<';
  return [
    `SELECT ${COLUMNS} FROM ca_certificates WHERE ${SCOPE}`,
    byTemplate ? 'AND template_name = @template_name' : '',
    after ? `AND (creation_date, certificate_id) ${seek} (@creation_date, @certificate_id)` : '',
    `ORDER BY creation_date ${direction}, certificate_id ${direction} LIMIT @limit`,
  ]
    .filter((part) => part !== '')
    .join(' ');
}

/** Prepares the statements; the SQL stays portable apart from the @name parameter style. */
export function prepareCaStatements(db: Database.Database): SqliteCaStatements {
  const pages = new Map<string, Database.Statement<[CaPageParams], CaCertificateRow>>();
  for (const ascending of [false, true]) {
    for (const after of [false, true]) {
      for (const byTemplate of [false, true]) {
        pages.set(`${ascending}:${after}:${byTemplate}`, db.prepare(pageSql(ascending, after, byTemplate)));
      }
    }
  }
  return {
    insert: db.prepare(
      `INSERT INTO ca_certificates (${COLUMNS}) VALUES (${CA_CERTIFICATE_COLUMNS.map((c) => `@${c}`).join(', ')})`,
    ),
    insertTag: db.prepare(
      `INSERT INTO ca_certificate_tags (account_id, region, certificate_id, name, value)
        VALUES (@account_id, @region, @certificate_id, @name, @value)`,
    ),
    get: db.prepare(`SELECT ${COLUMNS} FROM ca_certificates WHERE ${KEY}`),
    tagsOf: db.prepare(`SELECT name, value FROM ca_certificate_tags WHERE ${KEY} ORDER BY name`),
    bySubject: db.prepare(
      `SELECT ${COLUMNS} FROM ca_certificates WHERE ${SCOPE} AND subject_hash = @subject_hash
        ORDER BY creation_date, certificate_id`,
    ),
    bySubjectInAnyScope: db.prepare(
      `SELECT ${COLUMNS} FROM ca_certificates WHERE subject_hash = @subject_hash
        ORDER BY creation_date, certificate_id`,
    ),
    defaultModeElsewhere: db
      .prepare<[CertificateKey], number>(
        `SELECT 1 FROM ca_certificates WHERE region = @region AND certificate_id = @certificate_id
          AND account_id <> @account_id AND certificate_mode = 'DEFAULT' LIMIT 1`,
      )
      .pluck(),
    page: (ascending, after, byTemplate) =>
      pages.get(`${ascending}:${after}:${byTemplate}`) as Database.Statement<[CaPageParams], CaCertificateRow>,
    update: db.prepare(
      `UPDATE ca_certificates SET status = @status, auto_registration_status = @auto_registration_status,
        template_body = @template_body, role_arn = @role_arn, template_name = @template_name,
        last_modified_date = @last_modified_date, generation_id = @generation_id,
        customer_version = customer_version + 1 WHERE ${KEY}`,
    ),
    deleteTags: db.prepare(`DELETE FROM ca_certificate_tags WHERE ${KEY}`),
    delete: db.prepare(`DELETE FROM ca_certificates WHERE ${KEY}`),
  };
}
