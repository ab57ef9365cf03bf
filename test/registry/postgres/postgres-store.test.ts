import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CERTIFICATE_COLUMNS } from '../../../src/registry/certificate-row.js';
import { certificatePageQuery } from '../../../src/registry/postgres/pg-certificate-store.js';
import { certificateIdOf, makeRecord, SCOPE } from '../certificate-fixtures.js';
import { type StoreFixture, storeConformance } from '../store-conformance.js';
import { freshSchema } from './postgres-fixtures.js';

storeConformance('postgres', async (): Promise<StoreFixture> => {
  const schema = await freshSchema();
  // The feed is not what these tests are about: registries without it open faster.
  const open = async () => (await schema.open({ changeFeed: false })).certificates;
  return { store: await open(), reopen: open, cleanup: schema.cleanup };
});

describe('postgres certificate store', () => {
  test('the certificates table has the schema columns and no place for a private key', async () => {
    const schema = await freshSchema();
    try {
      await schema.open({ changeFeed: false });
      const columns = await schema.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name = 'certificates' ORDER BY ordinal_position`,
      );
      assert.deepEqual(
        columns.map((c) => c.column_name),
        [...CERTIFICATE_COLUMNS],
      );
      // issuer_key_id is the issuing CA's public key identifier; nothing may hold a private key.
      assert.ok(!columns.some((c) => /private|key_pem|_key$/i.test(c.column_name)));
    } finally {
      await schema.cleanup();
    }
  });

  test('a deep ListCertificates page is an index range scan without a sort, with and without the CA filter', async () => {
    const schema = await freshSchema();
    try {
      const registry = await schema.open({ changeFeed: false });
      // 4000 certificates over 4 CAs and 400 creation dates in the scope, and as many in another account.
      await schema.query(
        `INSERT INTO certificates (${CERTIFICATE_COLUMNS.join(', ')})
          SELECT account, 'us-east-1', md5(account || i::text) || md5(i::text), 'ACTIVE', 'pem', 'ca-' || (i % 4),
            account, NULL, 1704067200000 + (i / 10) * 1000, 1704067200000, 1, 'g', 0, 1, 'DEFAULT', NULL, NULL, NULL
          FROM generate_series(1, 4000) AS i, (VALUES ('123456789012'), ('210987654321')) AS a (account)`,
      );
      await schema.query('ANALYZE certificates');
      // The cursor sits half-way down: a deep page, with many rows still to come.
      const after = { creationDate: 1704067200000 + 200_000, certificateId: certificateIdOf('pivot') };
      const cases = [
        { index: 'certificates_by_creation', query: { limit: 100, ascending: false, after } },
        { index: 'certificates_by_creation', query: { limit: 100, ascending: true, after } },
        { index: 'certificates_by_ca', query: { limit: 100, ascending: false, after, caCertificateId: 'ca-1' } },
        { index: 'certificates_by_ca', query: { limit: 100, ascending: true, after, caCertificateId: 'ca-1' } },
      ];
      for (const { index, query } of cases) {
        const { text, values } = certificatePageQuery(SCOPE, query);
        const plan = (await schema.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, [...values]))
          .map((row) => row['QUERY PLAN'])
          .join('\n');
        assert.match(plan, new RegExp(`Index Scan (Backward )?using ${index} on certificates`), plan);
        assert.doesNotMatch(plan, /Sort/, plan);
        // And the page is what it should be: the next rows in order.
        const page = await registry.certificates.listCertificates(SCOPE, query);
        assert.equal(page.records.length, 100);
        const dates = page.records.map((r) => r.creationDate);
        assert.deepEqual(
          dates,
          [...dates].sort((a, b) => (query.ascending ? a - b : b - a)),
        );
      }
    } finally {
      await schema.cleanup();
    }
  });

  test('a certificate deleted while an attach is waiting on it gets no attachment', async () => {
    const schema = await freshSchema();
    try {
      const registry = await schema.open({ changeFeed: false });
      const other = await schema.open({ changeFeed: false });
      for (let round = 0; round < 20; round++) {
        const record = makeRecord(`attach-race-${round}`);
        await registry.certificates.insertCertificate(record);
        const [attached] = await Promise.all([
          other.certificates.attach(SCOPE, record.certificateId, { kind: 'policy', name: 'p' }),
          registry.certificates.deleteCertificate(SCOPE, record.certificateId, () => ({ detachPolicies: true })),
        ]);
        assert.equal(await registry.certificates.getCertificate(SCOPE, record.certificateId), undefined);
        const left = await schema.query('SELECT 1 FROM certificate_attachments WHERE certificate_id = $1', [
          record.certificateId,
        ]);
        // Either the attach came first and went with the forced delete, or it found the certificate gone.
        assert.deepEqual(left, []);
        assert.equal(typeof attached, 'boolean');
      }
    } finally {
      await schema.cleanup();
    }
  });
});
