import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import pg from 'pg';
import { CERTIFICATE_COLUMNS, rowFromRecord } from '../../../src/registry/certificate-row.js';
import { type Sql, searchStatements } from '../../../src/registry/certificate-search-sql.js';
import { statisticsStatements } from '../../../src/registry/certificate-statistics-sql.js';
import { MIGRATIONS } from '../../../src/registry/migrations.js';
import { PG_SEARCH_DIALECT } from '../../../src/registry/postgres/pg-certificate-store.js';
import { createPgPool, pgPoolConfig } from '../../../src/registry/postgres/pg-connection.js';
import { PgDatabase } from '../../../src/registry/postgres/pg-database.js';
import { applyPgMigrations } from '../../../src/registry/postgres/pg-migrator.js';
import { SCOPE, T0 } from '../certificate-fixtures.js';
import { assertSearchedAndCounted, MADE_BEFORE_MIGRATION_10 } from '../certificate-search-conformance.js';
import { PLAN_CASES, scanEndOf } from '../search-plan-cases.js';
import { freshSchema } from './postgres-fixtures.js';

const INDEX_NAMES = {
  primary: 'certificates_pkey',
  by_creation: 'certificates_by_creation',
  by_status_creation: 'certificates_by_status_creation',
  by_ca: 'certificates_by_ca',
  by_not_after: 'certificates_by_not_after',
} as const;

/**
 * The plan of a statement as the store runs it (a named prepared statement): `custom` for the values given, and
 * `generic`, the plan PostgreSQL may switch to after five executions.
 */
async function plans(client: pg.Client, sql: Sql, name: string): Promise<{ custom: string; generic: string }> {
  await client.query(`PREPARE ${name} AS ${sql.text}`);
  const args = sql.values.map((value) => (typeof value === 'number' ? String(value) : `'${String(value)}'`)).join(', ');
  const explain = async (mode: string) => {
    await client.query(`SET plan_cache_mode = ${mode}`);
    const rows = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE ${name}(${args})`);
    return rows.rows.map((row) => row['QUERY PLAN']).join('\n');
  };
  const result = { custom: await explain('force_custom_plan'), generic: await explain('force_generic_plan') };
  await client.query(`DEALLOCATE ${name}`);
  return result;
}

/**
 * The page walks `index` in order, without a sort; or, where the statistics say another index's range holds fewer
 * rows (expiresBefore matching few certificates, say), reads that range and sorts it — no more rows than the scan
 * limit. Never the whole table.
 */
function assertWalk(plan: string, index: string, scanLimit: number, what: string): void {
  assert.doesNotMatch(plan, /Seq Scan/, `${what}:\n${plan}`);
  const sorted = /Sort {2}\(cost=[0-9.]+ rows=(\d+)/.exec(plan);
  if (sorted === null) {
    assert.match(plan, new RegExp(`Index Scan (Backward )?using ${index} on certificates`), `${what}:\n${plan}`);
  } else {
    assert.ok(Number(sorted[1]) <= scanLimit, `${what}: sorts ${sorted[1]} rows\n${plan}`);
  }
}

describe('postgres certificate search plans', () => {
  test('each search walks its index without a sort, the scan end and the statistics from the index alone', async () => {
    const schema = await freshSchema();
    const client = new pg.Client({ connectionString: schema.url });
    try {
      await schema.open({ changeFeed: false });
      // 20,000 certificates in the scope over 4 CAs, 6 statuses, 2,000 creation dates and 365 expiry days, and as many
      // in another account.
      await schema.query(
        `INSERT INTO certificates (${CERTIFICATE_COLUMNS.join(', ')})
          SELECT account, 'us-east-1', md5(account || i::text) || md5(i::text),
            (ARRAY['ACTIVE','ACTIVE','ACTIVE','INACTIVE','REVOKED','PENDING_ACTIVATION'])[1 + i % 6], repeat('P', 1200),
            'ca-' || (i % 4), account, NULL, ${T0} + (i / 10) * 1000, ${T0}, 1, 'g', 0,
            ${T0} + (i % 365) * 86400000::bigint, 'DEFAULT', NULL, NULL, NULL
          FROM generate_series(1, 20000) AS i, (VALUES ('123456789012'), ('210987654321')) AS a (account)`,
      );
      await schema.query('VACUUM (ANALYZE) certificates');
      await client.connect();
      let n = 0;
      for (const { name, query, index, bounded } of PLAN_CASES) {
        const statements = searchStatements(SCOPE, query, PG_SEARCH_DIALECT);
        const pages = [statements.page(), ...(bounded ? [statements.page(scanEndOf(query))] : [])];
        for (const page of pages) {
          for (const [mode, plan] of Object.entries(await plans(client, page, `page_${n++}`))) {
            assertWalk(plan, INDEX_NAMES[index], query.scanLimit, `${name} (${mode})`);
          }
        }
        if (statements.scanEnd) {
          for (const [mode, plan] of Object.entries(await plans(client, statements.scanEnd, `end_${n++}`))) {
            assert.match(
              plan,
              new RegExp(`Index Only Scan (Backward )?using ${INDEX_NAMES[index]} on certificates`),
              `${name} (${mode}):\n${plan}`,
            );
            assert.doesNotMatch(plan, /Sort/, `${name} (${mode}):\n${plan}`);
          }
        }
        if (statements.prefix) {
          for (const sql of [statements.prefix.count, statements.prefix.page]) {
            for (const [mode, plan] of Object.entries(await plans(client, sql, `prefix_${n++}`))) {
              assert.match(
                plan,
                /(Index (Only )?Scan using|Bitmap Index Scan on) certificates_pkey/,
                `${name} (${mode}):\n${plan}`,
              );
              assert.doesNotMatch(plan, /Seq Scan/, `${name} (${mode}):\n${plan}`);
            }
          }
        }
      }
      const statistics = statisticsStatements(
        SCOPE,
        {
          issuedFrom: T0,
          issuedBefore: T0 + 86_400_000,
          bucketMs: 3_600_000,
          now: T0 + 1,
          expiringBefore: T0 + 30 * 86_400_000,
        },
        PG_SEARCH_DIALECT,
      );
      for (const [sql, index] of [
        [statistics.byStatus, 'certificates_by_status_creation'],
        [statistics.issuance, 'certificates_by_creation'],
        [statistics.expiry, 'certificates_by_not_after'],
      ] as const) {
        for (const [mode, plan] of Object.entries(await plans(client, sql, `stats_${n++}`))) {
          assert.match(plan, new RegExp(`Index Only Scan using ${index} on certificates`), `${mode}:\n${plan}`);
        }
      }
    } finally {
      await client.end();
      await schema.cleanup();
    }
  });

  test('a registry made before migration 10 gets its indexes, and its certificates are searched and counted', async () => {
    const schema = await freshSchema();
    try {
      const config = pgPoolConfig(schema.url, {});
      const old = new PgDatabase(createPgPool(config), 'version 9', config);
      const record = MADE_BEFORE_MIGRATION_10;
      try {
        await applyPgMigrations(old, MIGRATIONS.slice(0, 9));
        const row = rowFromRecord(record);
        await old.query(
          `INSERT INTO certificates (${CERTIFICATE_COLUMNS.join(', ')}) VALUES (${CERTIFICATE_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`,
          CERTIFICATE_COLUMNS.map((column) => row[column]),
        );
      } finally {
        await old.close();
      }
      const registry = await schema.open({ changeFeed: false });
      const indexes = await schema.query<{ indexname: string }>(
        "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexname IN ('certificates_by_status_creation', 'certificates_by_not_after') ORDER BY 1",
      );
      assert.deepEqual(
        indexes.map((i) => i.indexname),
        ['certificates_by_not_after', 'certificates_by_status_creation'],
      );
      await assertSearchedAndCounted(registry.certificates);
    } finally {
      await schema.cleanup();
    }
  });
});
