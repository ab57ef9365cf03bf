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
  {
    version: 2,
    name: 'accounts',
    statements: [
      `CREATE TABLE accounts (
  account_id TEXT NOT NULL PRIMARY KEY,
  created_at BIGINT NOT NULL
)`,
      // The secret is kept as issued, not hashed: SigV4 verification recomputes an HMAC keyed by it.
      `CREATE TABLE access_keys (
  access_key_id TEXT NOT NULL PRIMARY KEY,
  account_id TEXT NOT NULL,
  secret TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  FOREIGN KEY (account_id) REFERENCES accounts (account_id)
)`,
      'CREATE INDEX access_keys_by_account ON access_keys (account_id, created_at, access_key_id)',
    ],
  },
  {
    version: 3,
    name: 'ca_certificates',
    statements: [
      // Registered CA certificates: only the certificate, never a key (fleetca does not hold CA keys it did not make).
      `CREATE TABLE ca_certificates (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  certificate_id TEXT NOT NULL,
  status TEXT NOT NULL,
  certificate_pem TEXT NOT NULL,
  subject_hash TEXT NOT NULL,
  owned_by TEXT NOT NULL,
  creation_date BIGINT NOT NULL,
  last_modified_date BIGINT NOT NULL,
  customer_version INTEGER NOT NULL,
  generation_id TEXT NOT NULL,
  auto_registration_status TEXT NOT NULL,
  not_before BIGINT NOT NULL,
  not_after BIGINT NOT NULL,
  certificate_mode TEXT NOT NULL,
  template_body TEXT,
  role_arn TEXT,
  template_name TEXT,
  PRIMARY KEY (account_id, region, certificate_id)
)`,
      // Keyset pagination of ListCACertificates, without and with its templateName filter.
      'CREATE INDEX ca_certificates_by_creation ON ca_certificates (account_id, region, creation_date, certificate_id)',
      'CREATE INDEX ca_certificates_by_template ON ca_certificates (account_id, region, template_name, creation_date, certificate_id)',
      // RegisterCertificate finds the CAs that may have signed a device certificate by its issuer Name.
      'CREATE INDEX ca_certificates_by_subject ON ca_certificates (account_id, region, subject_hash, creation_date, certificate_id)',
      // A CA may be registered in DEFAULT mode by only one account per region: looked up across accounts.
      'CREATE INDEX ca_certificates_by_region ON ca_certificates (region, certificate_id)',
      `CREATE TABLE ca_certificate_tags (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  certificate_id TEXT NOT NULL,
  name TEXT NOT NULL,
  value TEXT,
  PRIMARY KEY (account_id, region, certificate_id, name),
  FOREIGN KEY (account_id, region, certificate_id) REFERENCES ca_certificates (account_id, region, certificate_id)
)`,
      // Keyset pagination of ListCertificatesByCA.
      'CREATE INDEX certificates_by_ca ON certificates (account_id, region, ca_certificate_id, creation_date, certificate_id)',
      // Registration code and endpoint prefix: one of each per account and region, unique across scopes.
      `CREATE TABLE scope_identifiers (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (account_id, region, kind)
)`,
      'CREATE UNIQUE INDEX scope_identifiers_by_value ON scope_identifiers (kind, value)',
    ],
  },
  {
    version: 4,
    name: 'devices_and_provisioning',
    statements: [
      // The thing registry (CreateThing ...): attributes are a JSON object of strings.
      `CREATE TABLE things (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  thing_name TEXT NOT NULL,
  thing_id TEXT NOT NULL,
  thing_type_name TEXT,
  attributes TEXT NOT NULL,
  version BIGINT NOT NULL,
  creation_date BIGINT NOT NULL,
  PRIMARY KEY (account_id, region, thing_name)
)`,
      // ListThingPrincipals, and deleting a thing that still has principals, look attachments up by target.
      'CREATE INDEX certificate_attachments_by_target ON certificate_attachments (account_id, region, kind, name, certificate_id)',
      // Fleet-provisioning templates (CreateProvisioningTemplate ...); tags and the hook as JSON.
      `CREATE TABLE provisioning_templates (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  template_name TEXT NOT NULL,
  template_id TEXT NOT NULL,
  description TEXT,
  template_body TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  provisioning_role_arn TEXT NOT NULL,
  pre_provisioning_hook TEXT,
  template_type TEXT NOT NULL,
  tags TEXT,
  default_version_id BIGINT NOT NULL,
  creation_date BIGINT NOT NULL,
  last_modified_date BIGINT NOT NULL,
  PRIMARY KEY (account_id, region, template_name)
)`,
      // Certificates that may use the fleet-provisioning topics of a template: temporary claims from
      // CreateProvisioningClaim (kept only here, with their PEM, not listed as certificates) and registered
      // certificates designated as long-lived claims (their PEM stays in certificates).
      `CREATE TABLE provisioning_claims (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  certificate_id TEXT NOT NULL,
  template_name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('temporary', 'registered')),
  certificate_pem TEXT,
  expires_at BIGINT,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (account_id, region, certificate_id, template_name)
)`,
      // Devices present a claim before their account and region are known.
      'CREATE INDEX provisioning_claims_by_id ON provisioning_claims (certificate_id)',
      // One ownership token per certificate created over MQTT: redeemed once by RegisterThing; a certificate
      // whose token expired unredeemed and that is still PENDING_ACTIVATION and unattached is deleted.
      `CREATE TABLE ownership_tokens (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  certificate_id TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  redeemed_at BIGINT,
  PRIMARY KEY (account_id, region, certificate_id)
)`,
      'CREATE INDEX ownership_tokens_by_expiry ON ownership_tokens (expires_at)',
      // Changes for other processes on a SQLite file (PostgreSQL uses NOTIFY instead and leaves it empty).
      // seq is assigned as max + 1 by the writer, which holds the file's write lock.
      `CREATE TABLE registry_changes (
  seq BIGINT NOT NULL PRIMARY KEY,
  origin TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_at BIGINT NOT NULL
)`,
    ],
  },
  {
    version: 5,
    name: 'certificates_by_status',
    statements: [
      // The metrics' certificates-by-status count reads this index only: ~0.1 s instead of ~3 s at 1,000,000 rows.
      'CREATE INDEX certificates_by_status ON certificates (status)',
    ],
  },
  {
    version: 6,
    name: 'policies',
    statements: [
      // AWS IoT policies (CreatePolicy ...). Version ids are decimal text, numbered from next_version_id and never
      // reused within a policy. Their attachments stay in certificate_attachments (kind 'policy'), where rows made
      // before this migration may name policies that do not exist: readers join, they never trust the name alone.
      `CREATE TABLE policies (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  policy_name TEXT NOT NULL,
  default_version_id TEXT NOT NULL,
  next_version_id BIGINT NOT NULL,
  creation_date BIGINT NOT NULL,
  last_modified_date BIGINT NOT NULL,
  generation_id TEXT NOT NULL,
  PRIMARY KEY (account_id, region, policy_name)
)`,
      `CREATE TABLE policy_versions (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  policy_name TEXT NOT NULL,
  version_id TEXT NOT NULL,
  document TEXT NOT NULL,
  creation_date BIGINT NOT NULL,
  PRIMARY KEY (account_id, region, policy_name, version_id),
  FOREIGN KEY (account_id, region, policy_name) REFERENCES policies (account_id, region, policy_name)
)`,
      `CREATE TABLE policy_tags (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  policy_name TEXT NOT NULL,
  name TEXT NOT NULL,
  value TEXT,
  PRIMARY KEY (account_id, region, policy_name, name),
  FOREIGN KEY (account_id, region, policy_name) REFERENCES policies (account_id, region, policy_name)
)`,
    ],
  },
  {
    version: 7,
    name: 'event_configurations',
    statements: [
      // UpdateEventConfigurations: one row per account, region and event type ever written (absent rows are off).
      `CREATE TABLE event_configurations (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  event_type TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  creation_date BIGINT NOT NULL,
  last_modified_date BIGINT NOT NULL,
  PRIMARY KEY (account_id, region, event_type)
)`,
    ],
  },
  {
    version: 8,
    name: 'ca_certificates_by_subject_any_scope',
    statements: [
      // Just-in-time registration looks the issuer of an unknown device certificate up among the CAs of every account
      // and region, at CONNECT, before anything is known of the device: an index, not a scan per connection attempt.
      'CREATE INDEX ca_certificates_by_subject_any_scope ON ca_certificates (subject_hash, creation_date, certificate_id)',
    ],
  },
  {
    version: 9,
    name: 'revocation',
    statements: [
      // CRLs and OCSP name a certificate fleetca issued by its issuer's key id and serial (NULL on registered ones,
      // and on issued rows made before this migration until their PEM is read back). One column per ALTER: SQLite
      // adds no more at once.
      'ALTER TABLE certificates ADD COLUMN issuer_key_id TEXT',
      'ALTER TABLE certificates ADD COLUMN serial_number TEXT',
      // The CRLReason recorded with a revocation, if any.
      'ALTER TABLE certificates ADD COLUMN revocation_reason INTEGER',
      // OCSP: one certificate by issuer and serial.
      'CREATE INDEX certificates_by_issuer_serial ON certificates (issuer_key_id, serial_number)',
      // The CRL reads only the listed statuses of one issuer, not every certificate it ever issued, and only this
      // index (covering: no row is read): at 1,000,000 certificates with 100,000 listed, ~0.15 s on SQLite instead of
      // ~0.5 s with the rows read, and an index-only scan on PostgreSQL.
      `CREATE INDEX certificates_by_issuer_status ON certificates
  (issuer_key_id, status, serial_number, not_after, last_modified_date, revocation_reason)`,
      // Tombstones: a deleted certificate fleetca issued stays revoked on CRLs and in OCSP until it expires.
      `CREATE TABLE deleted_issued_certificates (
  issuer_key_id TEXT NOT NULL,
  serial_number TEXT NOT NULL,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  certificate_id TEXT NOT NULL,
  status_at_deletion TEXT NOT NULL,
  revocation_reason INTEGER,
  not_after BIGINT NOT NULL,
  deleted_at BIGINT NOT NULL,
  PRIMARY KEY (issuer_key_id, serial_number)
)`,
      // Each CRL of an issuer gets a number greater than every one before it (RFC 5280 §5.2.3).
      `CREATE TABLE crl_numbers (
  issuer_key_id TEXT NOT NULL PRIMARY KEY,
  crl_number BIGINT NOT NULL
)`,
    ],
  },
  {
    version: 10,
    name: 'certificate_search',
    statements: [
      // SearchCertificates by status in creation order, and GetCertificateStatistics' counts per status of one
      // account and region (read from this index alone), which certificates_by_status cannot scope.
      'CREATE INDEX certificates_by_status_creation ON certificates (account_id, region, status, creation_date, certificate_id)',
      // SearchCertificates in expiry order (and expiresBefore as its range), GetCertificateStatistics' expired and
      // expiring-soon counts: a range of this index each, however many certificates the scope has.
      'CREATE INDEX certificates_by_not_after ON certificates (account_id, region, not_after, certificate_id)',
    ],
  },
];

/** The schema version this code migrates to. */
export const LATEST_SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
