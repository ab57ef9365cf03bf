import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { CERTIFICATE_COLUMNS, rowFromRecord } from '../../../src/registry/certificate-row.js';
import { type Sql, searchStatements } from '../../../src/registry/certificate-search-sql.js';
import { statisticsStatements } from '../../../src/registry/certificate-statistics-sql.js';
import { MIGRATIONS } from '../../../src/registry/migrations.js';
import { SQLITE_SEARCH_DIALECT } from '../../../src/registry/sqlite/sqlite-certificate-search.js';
import { applySqliteMigrations } from '../../../src/registry/sqlite/sqlite-migrator.js';
import { openSqliteRegistry } from '../../../src/registry/sqlite/sqlite-registry.js';
import { SCOPE, T0 } from '../certificate-fixtures.js';
import { assertSearchedAndCounted, MADE_BEFORE_MIGRATION_10 } from '../certificate-search-conformance.js';
import { PLAN_CASES, scanEndOf } from '../search-plan-cases.js';
import { withRawRegistryFile } from './raw-registry-file.js';

const INDEX_NAMES = {
  primary: 'sqlite_autoindex_certificates_1',
  by_creation: 'certificates_by_creation',
  by_status_creation: 'certificates_by_status_creation',
  by_ca: 'certificates_by_ca',
  by_not_after: 'certificates_by_not_after',
} as const;

async function withDirectory(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'fleetca-search-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function planOf(raw: Database.Database, sql: Sql): string {
  return (raw.prepare(`EXPLAIN QUERY PLAN ${sql.text}`).all(...sql.values) as { detail: string }[])
    .map((row) => row.detail)
    .join('; ');
}

describe('sqlite certificate search plans', () => {
  test('each search walks its index by range, the scan end from the index alone, without a sort', () =>
    withRawRegistryFile('fleetca-search-plan-', (raw) => {
      for (const { name, query, index, bounded } of PLAN_CASES) {
        const statements = searchStatements(SCOPE, query, SQLITE_SEARCH_DIALECT);
        assert.equal(statements.scanEnd !== undefined, bounded, name);
        const pages = [statements.page(), ...(bounded ? [statements.page(scanEndOf(query))] : [])];
        for (const page of pages) {
          const plan = planOf(raw, page);
          assert.match(
            plan,
            new RegExp(
              `^SEARCH certificates USING (COVERING )?INDEX ${INDEX_NAMES[index]} \\(account_id=\\? AND region=\\?`,
            ),
            `${name}: ${plan}`,
          );
          assert.doesNotMatch(plan, /TEMP B-TREE/, `${name}: ${plan}`);
        }
        if (statements.scanEnd) {
          const plan = planOf(raw, statements.scanEnd);
          assert.match(
            plan,
            new RegExp(`^SEARCH certificates USING COVERING INDEX ${INDEX_NAMES[index]} `),
            `${name}: ${plan}`,
          );
          assert.doesNotMatch(plan, /TEMP B-TREE/, `${name}: ${plan}`);
        }
        if (statements.prefix) {
          assert.match(
            planOf(raw, statements.prefix.count),
            /USING COVERING INDEX sqlite_autoindex_certificates_1 \(account_id=\? AND region=\? AND certificate_id>\? AND certificate_id<\?\)/,
          );
          // The prefix's range (at most the scan limit) is read from the primary key and sorted.
          assert.match(
            planOf(raw, statements.prefix.page),
            /USING INDEX sqlite_autoindex_certificates_1 \(account_id=\? AND region=\? AND certificate_id>\? AND certificate_id<\?\)/,
          );
        }
      }
    }));

  test("the statistics read an index each, never the table's rows", () =>
    withRawRegistryFile('fleetca-search-plan-', (raw) => {
      const statements = statisticsStatements(
        SCOPE,
        { issuedFrom: T0, issuedBefore: T0 + 86_400_000, bucketMs: 3_600_000, now: T0, expiringBefore: T0 + 1 },
        SQLITE_SEARCH_DIALECT,
      );
      assert.match(
        planOf(raw, statements.byStatus),
        /^SEARCH certificates USING COVERING INDEX certificates_by_status_creation \(account_id=\? AND region=\?\)$/,
      );
      assert.match(
        planOf(raw, statements.issuance),
        /^SEARCH certificates USING COVERING INDEX certificates_by_creation \(account_id=\? AND region=\? AND creation_date>\? AND creation_date<\?\)/,
      );
      assert.match(
        planOf(raw, statements.expiry),
        /^SEARCH certificates USING COVERING INDEX certificates_by_not_after \(account_id=\? AND region=\? AND not_after<\?\)$/,
      );
    }));

  test('a registry made before migration 10 gets its indexes, and its certificates are searched and counted', () =>
    withDirectory(async (dir) => {
      const file = join(dir, 'registry.db');
      const raw = new Database(file);
      applySqliteMigrations(raw, file, MIGRATIONS.slice(0, 9));
      const record = MADE_BEFORE_MIGRATION_10;
      raw
        .prepare(
          `INSERT INTO certificates (${CERTIFICATE_COLUMNS.join(', ')}) VALUES (${CERTIFICATE_COLUMNS.map((c) => `@${c}`).join(', ')})`,
        )
        .run(rowFromRecord(record));
      raw.close();

      const registry = await openSqliteRegistry(file);
      try {
        await assertSearchedAndCounted(registry.certificates);
      } finally {
        await registry.close();
      }
    }));
});
