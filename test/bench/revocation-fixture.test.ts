import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  fillRevocationFixture,
  fixtureSerial,
  fixtureStatus,
  type RevocationFixtureSpec,
} from '../../bench/fixtures/revocation-fixture.js';
import { LISTED_STATUSES } from '../../src/domain/certificates/revocation.js';
import type { Registry } from '../../src/registry/registry.js';
import { openSqliteRegistry } from '../../src/registry/sqlite/sqlite-registry.js';
import { freshSchema } from '../registry/postgres/postgres-fixtures.js';

const SPEC: RevocationFixtureSpec = { rows: 1000, listed: 100, tombstones: 7, issuerKeyId: 'ab'.repeat(20), seed: 3 };

/** What the loaded registry holds is what the fixture's functions say row by row. */
async function check(registry: Registry): Promise<void> {
  const entries = (await registry.revocation.numberedRevocations(SPEC.issuerKeyId, LISTED_STATUSES, Date.UTC(2025, 5)))
    .entries;
  assert.equal(entries.length, SPEC.listed + (SPEC.tombstones ?? 0));
  assert.equal(entries.filter((e) => e.status === 'DELETED').length, SPEC.tombstones);
  // A listed row and an ACTIVE one, found by the serial the fixture says they have, in the status it says.
  const listedIndex = Array.from({ length: SPEC.rows }, (_, i) => i).find((i) => fixtureStatus(SPEC, i) !== 'ACTIVE');
  const activeIndex = Array.from({ length: SPEC.rows }, (_, i) => i).find((i) => fixtureStatus(SPEC, i) === 'ACTIVE');
  for (const index of [listedIndex, activeIndex]) {
    assert.ok(index !== undefined);
    const state = await registry.revocation.findIssued({
      issuerKeyId: SPEC.issuerKeyId,
      serialNumber: fixtureSerial(3, index),
    });
    assert.equal(state?.status, fixtureStatus(SPEC, index));
  }
}

test('the revocation fixture fills a SQLite registry with exactly the rows it describes', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fleetca-revocation-fixture-'));
  try {
    const file = join(dir, 'registry.db');
    await (await openSqliteRegistry(file)).close();
    const load = await fillRevocationFixture({ kind: 'sqlite', file }, SPEC);
    assert.deepEqual({ ...load, seconds: 0 }, { rows: 1000, listed: 100, tombstones: 7, seconds: 0 });
    const registry = await openSqliteRegistry(file);
    try {
      await check(registry);
    } finally {
      await registry.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the revocation fixture fills a PostgreSQL registry with exactly the rows it describes', async () => {
  const schema = await freshSchema();
  try {
    await schema.open({ changeFeed: false });
    await fillRevocationFixture({ kind: 'postgres', url: schema.url }, SPEC);
    await check(await schema.open({ changeFeed: false }));
  } finally {
    await schema.cleanup();
  }
});
