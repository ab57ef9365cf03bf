/**
 * The registry schema as versioned data, shared by every SQL store (SQLite now, PostgreSQL next).
 * The SQL is deliberately portable: standard types only (TEXT, BIGINT, INTEGER), no
 * AUTOINCREMENT, no engine-specific functions. Dates are epoch milliseconds in BIGINT.
 */

/** One step of the schema. Statements run in order, inside the migrating transaction. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
}

/** Name of the bookkeeping table in which applied migrations are recorded. */
export const MIGRATIONS_TABLE = 'schema_migrations';

/** DDL of the bookkeeping table; created by the migrator before the first migration. */
export const MIGRATIONS_TABLE_DDL = `CREATE TABLE ${MIGRATIONS_TABLE} (
  version INTEGER NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at BIGINT NOT NULL
)`;

/** Every migration fleetca knows, in ascending version order starting at 1. Append only. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'certificates',
    statements: [
      // There is deliberately no column for a private key: it exists only in the API response.
      `CREATE TABLE certificates (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  certificate_id TEXT NOT NULL,
  status TEXT NOT NULL,
  certificate_pem TEXT NOT NULL,
  ca_certificate_id TEXT,
  owned_by TEXT NOT NULL,
  previous_owned_by TEXT,
  creation_date BIGINT NOT NULL,
  last_modified_date BIGINT NOT NULL,
  customer_version INTEGER NOT NULL,
  generation_id TEXT NOT NULL,
  not_before BIGINT NOT NULL,
  not_after BIGINT NOT NULL,
  certificate_mode TEXT NOT NULL,
  PRIMARY KEY (account_id, region, certificate_id)
)`,
      // Keyset pagination of ListCertificates; scanned forwards (ascending) or backwards (descending).
      'CREATE INDEX certificates_by_creation ON certificates (account_id, region, creation_date, certificate_id)',
      // Devices authenticate by fingerprint before their account and region are known.
      'CREATE INDEX certificates_by_id ON certificates (certificate_id)',
      `CREATE TABLE certificate_attachments (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  certificate_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('thing', 'policy')),
  name TEXT NOT NULL,
  PRIMARY KEY (account_id, region, certificate_id, kind, name),
  FOREIGN KEY (account_id, region, certificate_id) REFERENCES certificates (account_id, region, certificate_id)
)`,
    ],
  },
];

/** The schema version this code migrates to. */
export const LATEST_SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
