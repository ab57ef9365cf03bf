import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CA_CERTIFICATE_COLUMNS } from '../../../src/registry/ca-certificate-row.js';
import type { Registry } from '../../../src/registry/registry.js';
import { prepareCaStatements } from '../../../src/registry/sqlite/sqlite-ca-statements.js';
import { openSqliteRegistry } from '../../../src/registry/sqlite/sqlite-registry.js';
import { prepareStatements } from '../../../src/registry/sqlite/sqlite-statements.js';
import { type CaStoreFixture, caCertificateStoreConformance } from '../ca-certificate-store-conformance.js';
import { type ScopeIdentifierFixture, scopeIdentifierStoreConformance } from '../scope-identifier-store-conformance.js';
import { withRawRegistryFile } from './raw-registry-file.js';

/** A fresh registry file; every store handed out comes from a registry (its own connection) on that file. */
async function registries(): Promise<{ open: () => Promise<Registry>; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'fleetca-ca-registry-'));
  const opened: Registry[] = [];
  return {
    open: async () => {
      const registry = await openSqliteRegistry(join(dir, 'registry.db'));
      opened.push(registry);
      return registry;
    },
    cleanup: async () => {
      for (const registry of opened) await registry.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

caCertificateStoreConformance('sqlite', async (): Promise<CaStoreFixture> => {
  const { open, cleanup } = await registries();
  return { store: (await open()).caCertificates, reopen: async () => (await open()).caCertificates, cleanup };
});

scopeIdentifierStoreConformance('sqlite', async (): Promise<ScopeIdentifierFixture> => {
  const { open, cleanup } = await registries();
  return { store: (await open()).scopeIdentifiers, reopen: async () => (await open()).scopeIdentifiers, cleanup };
});

describe('sqlite CA certificate schema', () => {
  test('the ca_certificates table has the schema columns and no place for a private key', () =>
    withRawRegistryFile('fleetca-ca-schema-', (raw) => {
      const columns = (raw.pragma('table_info(ca_certificates)') as { name: string }[]).map((c) => c.name);
      assert.deepEqual(columns, [...CA_CERTIFICATE_COLUMNS]);
      assert.ok(!columns.some((c) => /key|private/i.test(c)));
    }));

  test('list pages (CA lists and certificates by CA) are index range scans without a sort', () =>
    withRawRegistryFile('fleetca-ca-schema-', (raw) => {
      const plan = (source: string, params: object) =>
        (raw.prepare(`EXPLAIN QUERY PLAN ${source}`).all(params) as { detail: string }[])
          .map((row) => row.detail)
          .join('; ');
      // Named parameters a statement does not use are ignored, so one object serves them all.
      const params = {
        account_id: 'a',
        region: 'r',
        limit: 2,
        creation_date: 1,
        certificate_id: 'c',
        template_name: 't',
        ca_certificate_id: 'ca',
        subject_hash: 'h',
      };
      const ca = prepareCaStatements(raw);
      for (const ascending of [false, true]) {
        for (const after of [false, true]) {
          const all = plan(ca.page(ascending, after, false).source, params);
          assert.match(all, /SEARCH ca_certificates USING INDEX ca_certificates_by_creation/);
          assert.doesNotMatch(all, /TEMP B-TREE/);
          const byTemplate = plan(ca.page(ascending, after, true).source, params);
          assert.match(byTemplate, /SEARCH ca_certificates USING INDEX ca_certificates_by_template/);
          assert.doesNotMatch(byTemplate, /TEMP B-TREE/);
        }
      }
      const certificates = prepareStatements(raw);
      for (const statement of [
        certificates.pageByCaAscending,
        certificates.pageByCaAscendingAfter,
        certificates.pageByCaDescending,
        certificates.pageByCaDescendingAfter,
      ]) {
        const detail = plan(statement.source, params);
        assert.match(detail, /SEARCH certificates USING (COVERING )?INDEX certificates_by_ca/);
        assert.doesNotMatch(detail, /TEMP B-TREE/);
      }
      assert.match(plan(ca.bySubject.source, params), /INDEX ca_certificates_by_subject/);
      assert.match(plan(ca.defaultModeElsewhere.source, params), /INDEX ca_certificates_by_region/);
    }));
});
