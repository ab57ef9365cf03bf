import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MIGRATIONS } from '../../../src/registry/migrations.js';
import { createPgPool, pgPoolConfig } from '../../../src/registry/postgres/pg-connection.js';
import { PgDatabase } from '../../../src/registry/postgres/pg-database.js';
import { applyPgMigrations } from '../../../src/registry/postgres/pg-migrator.js';
import { REVOCATION_LISTING } from '../../../src/registry/postgres/pg-revocation-store.js';
import { makeRecord, rowBeforeRevocation, SCOPE } from '../certificate-fixtures.js';
import { type RevocationFixture, revocationStoreConformance } from '../revocation-store-conformance.js';
import { freshSchema } from './postgres-fixtures.js';

revocationStoreConformance('postgres', async (): Promise<RevocationFixture> => {
  const schema = await freshSchema();
  return {
    // Each registry its own pool on the schema; the feed only where the test listens.
    open: (options = {}) => schema.open({ changeFeed: options.watch === true }),
    cleanup: schema.cleanup,
  };
});

describe('postgres revocation store', () => {
  test('the CRL is an index-only scan of certificates_by_issuer_status', async () => {
    const schema = await freshSchema();
    try {
      await schema.open({ changeFeed: false });
      // 20,000 certificates of two issuers, a tenth of them listed.
      await schema.query(
        `INSERT INTO certificates (account_id, region, certificate_id, status, certificate_pem, owned_by, creation_date,
            last_modified_date, customer_version, generation_id, not_before, not_after, certificate_mode,
            issuer_key_id, serial_number)
          SELECT '123456789012', 'us-east-1', md5(i::text) || md5('id' || i::text),
            CASE WHEN i % 10 = 0 THEN 'REVOKED' ELSE 'ACTIVE' END, repeat('P', 1200), '123456789012',
            1704067200000 + i, 1704067200000 + i, 1, 'g', 0, 2524607999000, 'DEFAULT',
            CASE WHEN i % 2 = 0 THEN 'issuer-a' ELSE 'issuer-b' END, md5('serial' || i::text)
          FROM generate_series(1, 20000) AS i`,
      );
      await schema.query('VACUUM (ANALYZE) certificates');
      const plan = (
        await schema.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${REVOCATION_LISTING}`, [
          'issuer-a',
          ['INACTIVE', 'REVOKED'],
          Date.UTC(2025, 0, 1),
        ])
      )
        .map((row) => row['QUERY PLAN'])
        .join('\n');
      assert.match(plan, /Index Only Scan using certificates_by_issuer_status on certificates/, plan);
    } finally {
      await schema.cleanup();
    }
  });

  test('a registry made before migration 9 keeps its certificates, which the backfill then finds', async () => {
    const schema = await freshSchema();
    try {
      const config = pgPoolConfig(schema.url, {});
      const old = new PgDatabase(createPgPool(config), 'version 8', config);
      const record = makeRecord('issued-before-migration-9', { status: 'REVOKED' });
      try {
        await applyPgMigrations(old, MIGRATIONS.slice(0, 8));
        const row = rowBeforeRevocation(record);
        const columns = Object.keys(row);
        await old.query(
          `INSERT INTO certificates (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
          Object.values(row),
        );
      } finally {
        await old.close();
      }
      const registry = await schema.open({ changeFeed: false });
      assert.deepEqual(await registry.certificates.getCertificate(SCOPE, record.certificateId), record);
      assert.deepEqual(await registry.revocation.unindexedIssuedCertificates(10), [
        { ...SCOPE, certificateId: record.certificateId, certificatePem: record.certificatePem },
      ]);
    } finally {
      await schema.cleanup();
    }
  });
});
