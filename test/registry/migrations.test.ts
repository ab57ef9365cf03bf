import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { planMigrations } from '../../src/registry/migration-plan.js';
import {
  LATEST_SCHEMA_VERSION,
  MIGRATIONS,
  MIGRATIONS_TABLE_DDL,
  type Migration,
} from '../../src/registry/migrations.js';
import { StoreError, type StoreErrorCode } from '../../src/registry/store-error.js';

const KNOWN: readonly Migration[] = [
  { version: 1, name: 'one', statements: ['CREATE TABLE a (x TEXT)'] },
  { version: 2, name: 'two', statements: ['CREATE TABLE b (x TEXT)'] },
];

function refusal(code: StoreErrorCode, pattern: RegExp) {
  return (error: unknown) => error instanceof StoreError && error.code === code && pattern.test(error.message);
}

describe('migrations', () => {
  test('are numbered 1, 2, 3, ... with unique names', () => {
    assert.deepEqual(
      MIGRATIONS.map((m) => m.version),
      MIGRATIONS.map((_, i) => i + 1),
    );
    assert.equal(new Set(MIGRATIONS.map((m) => m.name)).size, MIGRATIONS.length);
    assert.equal(LATEST_SCHEMA_VERSION, MIGRATIONS.length);
  });

  test('stay portable between SQLite and PostgreSQL', () => {
    const sql = [MIGRATIONS_TABLE_DDL, ...MIGRATIONS.flatMap((m) => m.statements)].join('\n');
    for (const forbidden of [
      /AUTOINCREMENT/i,
      /PRAGMA/i,
      /WITHOUT ROWID/i,
      /\bSTRICT\b/i,
      /\bdatetime\(|\bstrftime\(|\bjulianday\(/i,
      /\bSERIAL\b|\bJSONB?\b|\bTIMESTAMPTZ\b/i,
    ]) {
      assert.doesNotMatch(sql, forbidden);
    }
    const types = [...sql.matchAll(/^\s+[a-z_]+ ([A-Z]+)/gm)].map((m) => m[1]);
    for (const type of types) assert.ok(['TEXT', 'BIGINT', 'INTEGER'].includes(type ?? ''), `column type ${type}`);
  });

  test('never give a private key a column', () => {
    assert.doesNotMatch(MIGRATIONS.flatMap((m) => m.statements).join('\n'), /private|key_pem|_key\b/i);
  });
});

describe('planMigrations', () => {
  test('a database without tables gets every migration', () => {
    assert.deepEqual(planMigrations({ kind: 'unmanaged', tables: [] }, KNOWN, 'db'), KNOWN);
  });

  test('only the missing migrations are planned, none when up to date', () => {
    const one = planMigrations({ kind: 'managed', applied: [{ version: 1, name: 'one' }] }, KNOWN, 'db');
    assert.deepEqual(
      one.map((m) => m.version),
      [2],
    );
    const none = planMigrations(
      {
        kind: 'managed',
        applied: [
          { version: 1, name: 'one' },
          { version: 2, name: 'two' },
        ],
      },
      KNOWN,
      'db',
    );
    assert.deepEqual(none, []);
  });

  test('a database with foreign tables is refused', () => {
    assert.throws(
      () => planMigrations({ kind: 'unmanaged', tables: ['users', 'orders'] }, KNOWN, 'x.db'),
      refusal('FOREIGN_DATABASE', /x\.db is not a fleetca registry.*users, orders/),
    );
    assert.throws(
      () => planMigrations({ kind: 'unreadable', reason: 'no such column: name' }, KNOWN, 'x.db'),
      refusal('FOREIGN_DATABASE', /no such column: name/),
    );
  });

  test('a newer schema is refused', () => {
    assert.throws(
      () => planMigrations({ kind: 'managed', applied: [{ version: 3, name: 'three' }] }, KNOWN, 'x.db'),
      refusal('SCHEMA_TOO_NEW', /version 3, newer than the version 2/),
    );
  });

  test('renamed or missing versions are refused', () => {
    assert.throws(
      () => planMigrations({ kind: 'managed', applied: [{ version: 1, name: 'uno' }] }, KNOWN, 'x.db'),
      refusal('SCHEMA_MISMATCH', /'uno'.*'one'/),
    );
    assert.throws(
      () => planMigrations({ kind: 'managed', applied: [{ version: 2, name: 'two' }] }, KNOWN, 'x.db'),
      refusal('SCHEMA_MISMATCH', /not version 1/),
    );
  });
});
