import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../../src/registry/migrations.js';
import type { Registry } from '../../../src/registry/registry.js';
import type { RegistryChange } from '../../../src/registry/registry-changes.js';
import { applySqliteMigrations } from '../../../src/registry/sqlite/sqlite-migrator.js';
import { openSqliteRegistry } from '../../../src/registry/sqlite/sqlite-registry.js';
import { revocationListing } from '../../../src/registry/sqlite/sqlite-revocation-store.js';
import type { SqliteCertificateStore } from '../../../src/registry/sqlite/sqlite-store.js';
import { makeRecord, rowBeforeRevocation, SCOPE } from '../certificate-fixtures.js';
import { recorder } from '../change-feed-conformance.js';
import { type RevocationFixture, revocationStoreConformance } from '../revocation-store-conformance.js';

revocationStoreConformance('sqlite', async (): Promise<RevocationFixture> => {
  const dir = await mkdtemp(join(tmpdir(), 'fleetca-revocation-'));
  const file = join(dir, 'registry.db');
  const opened: Registry[] = [];
  return {
    open: async (options = {}) => {
      const registry = await openSqliteRegistry(file, { watchChanges: options.watch === true });
      opened.push(registry);
      return registry;
    },
    cleanup: async () => {
      for (const registry of opened.splice(0)) await registry.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

async function withFile(fn: (file: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'fleetca-revocation-'));
  try {
    await fn(join(dir, 'registry.db'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('sqlite revocation store', () => {
  test('the CRL is read from the covering index only, never from the rows', () =>
    withFile(async (file) => {
      await (await openSqliteRegistry(file)).close();
      const db = new Database(file, { readonly: true });
      try {
        const params = ['issuer', ...['INACTIVE', 'REVOKED', 'PENDING_TRANSFER'], 0, 'issuer', 0];
        const plan = db
          .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${revocationListing(3)}`)
          .all(...params)
          .map((row) => row.detail)
          .join('\n');
        assert.match(plan, /SEARCH certificates USING COVERING INDEX certificates_by_issuer_status/, plan);
      } finally {
        db.close();
      }
    }));

  test('a registry made before migration 9 keeps its certificates, which the backfill then finds', () =>
    withFile(async (file) => {
      const raw = new Database(file);
      applySqliteMigrations(raw, file, MIGRATIONS.slice(0, 8));
      const record = makeRecord('issued-before-migration-9', { status: 'REVOKED' });
      const row = rowBeforeRevocation(record);
      const columns = Object.keys(row);
      raw
        .prepare(`INSERT INTO certificates (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`)
        .run(row);
      raw.close();

      const registry = await openSqliteRegistry(file);
      try {
        assert.deepEqual(await registry.certificates.getCertificate(SCOPE, record.certificateId), record);
        assert.deepEqual(await registry.revocation.unindexedIssuedCertificates(10), [
          { ...SCOPE, certificateId: record.certificateId, certificatePem: record.certificatePem },
        ]);
      } finally {
        await registry.close();
      }
    }));

  test('a creation that cannot be logged is not committed, and the rest of its group is', () =>
    withFile(async (file) => {
      const registry = await openSqliteRegistry(file);
      const raw = new Database(file);
      try {
        raw.exec(`CREATE TRIGGER refuse_poison BEFORE INSERT ON registry_changes WHEN NEW.payload LIKE '%poison%'
          BEGIN SELECT RAISE(ABORT, 'poisoned change'); END`);
        const heard: RegistryChange[] = [];
        registry.changes.subscribe((change) => heard.push(change));
        const [first, poisoned, last] = [
          makeRecord('group-first'),
          makeRecord('group-poisoned', { region: 'poison-1' }),
          makeRecord('group-last'),
        ];
        // One event-loop turn: one group, one transaction.
        const outcomes = await Promise.allSettled(
          [first, poisoned, last].map((record) => registry.certificates.insertCertificate(record)),
        );
        assert.deepEqual(
          outcomes.map((o) => o.status),
          ['fulfilled', 'rejected', 'fulfilled'],
        );
        const rows = raw.prepare('SELECT certificate_id FROM certificates ORDER BY certificate_id').pluck().all();
        assert.deepEqual(rows, [first.certificateId, last.certificateId].sort());
        const logged = raw.prepare('SELECT count(*) FROM registry_changes').pluck().get();
        assert.equal(logged, 2);
        assert.deepEqual(
          heard.map((c) => (c.kind === 'certificate' ? c.certificateId : c.kind)),
          [first.certificateId, last.certificateId],
        );
      } finally {
        raw.close();
        await registry.close();
      }
    }));

  test("inserts committed by the writer thread are logged under the registry's origin: heard elsewhere, once here", () =>
    withFile(async (file) => {
      const writer = await openSqliteRegistry(file, { watchChanges: true });
      const watcher = await openSqliteRegistry(file, { watchChanges: true });
      try {
        assert.equal(await (writer.certificates as SqliteCertificateStore).startWriterThread(), true);
        const records = Array.from({ length: 10 }, (_, i) => makeRecord(`by-the-writer-thread-${i}`));
        const marker = makeRecord('writer-thread-marker', { status: 'ACTIVE' });
        const ids = new Set([...records, marker].map((r) => r.certificateId));
        const ours = (c: RegistryChange) => c.kind === 'certificate' && ids.has(c.certificateId);
        const [here, there] = [recorder(writer, ours), recorder(watcher, ours)];
        await Promise.all(records.map((record) => writer.certificates.insertCertificate(record)));
        // Committed after them all: once both heard it, their own feeds have read past the others.
        await writer.certificates.insertCertificate(marker);
        const isMarker = (c: RegistryChange) => c.kind === 'certificate' && c.certificateId === marker.certificateId;
        await here.until(isMarker);
        await there.until(isMarker);
        for (const heard of [here.heard, there.heard]) {
          assert.deepEqual(
            heard.map((c) => (c.kind === 'certificate' ? c.certificateId : c.kind)).sort(),
            [...ids].sort(),
          );
        }
      } finally {
        await writer.close();
        await watcher.close();
      }
    }));
});
