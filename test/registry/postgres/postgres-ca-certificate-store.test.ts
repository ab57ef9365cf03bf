import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CA_CERTIFICATE_COLUMNS } from '../../../src/registry/ca-certificate-row.js';
import { makeCaRecord } from '../ca-certificate-fixtures.js';
import { type CaStoreFixture, caCertificateStoreConformance } from '../ca-certificate-store-conformance.js';
import { OTHER_ACCOUNT } from '../certificate-fixtures.js';
import { type ScopeIdentifierFixture, scopeIdentifierStoreConformance } from '../scope-identifier-store-conformance.js';
import { freshSchema } from './postgres-fixtures.js';

caCertificateStoreConformance('postgres', async (): Promise<CaStoreFixture> => {
  const schema = await freshSchema();
  const open = async () => (await schema.open({ changeFeed: false })).caCertificates;
  return { store: await open(), reopen: open, cleanup: schema.cleanup };
});

scopeIdentifierStoreConformance('postgres', async (): Promise<ScopeIdentifierFixture> => {
  const schema = await freshSchema();
  const open = async () => (await schema.open({ changeFeed: false })).scopeIdentifiers;
  return { store: await open(), reopen: open, cleanup: schema.cleanup };
});

test('postgres: the ca_certificates table has the schema columns and no place for a private key', async () => {
  const schema = await freshSchema();
  try {
    await schema.open({ changeFeed: false });
    const columns = await schema.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = 'ca_certificates' ORDER BY ordinal_position`,
    );
    assert.deepEqual(
      columns.map((c) => c.column_name),
      [...CA_CERTIFICATE_COLUMNS],
    );
    assert.ok(!columns.some((c) => /key|private/i.test(c.column_name)));
  } finally {
    await schema.cleanup();
  }
});

test('postgres: two accounts racing to register one CA in DEFAULT mode: exactly one succeeds', async () => {
  const schema = await freshSchema();
  try {
    const registries = [await schema.open({ changeFeed: false }), await schema.open({ changeFeed: false })];
    for (let round = 0; round < 10; round++) {
      const records = [
        makeCaRecord(`contested-${round}`),
        makeCaRecord(`contested-${round}`, { ...OTHER_ACCOUNT, ownedBy: OTHER_ACCOUNT.accountId }),
      ];
      const results = await Promise.allSettled(
        records.map((record, i) =>
          registries[i]?.caCertificates.registerCaCertificate(record, ({ defaultModeElsewhere }) => {
            if (defaultModeElsewhere) throw new Error('DEFAULT elsewhere');
          }),
        ),
      );
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, `round ${round}`);
    }
  } finally {
    await schema.cleanup();
  }
});

test('postgres: racing registrations of one subject never exceed the limit a rule enforces', async () => {
  const schema = await freshSchema();
  try {
    const registries = [await schema.open({ changeFeed: false }), await schema.open({ changeFeed: false })];
    const limit = 3;
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        registries[i % 2]?.caCertificates.registerCaCertificate(
          makeCaRecord(`same-subject-${i}`, {}, 'CN=Crowded'),
          ({ sameSubject }) => {
            if (sameSubject >= limit) throw new Error('limit');
          },
        ),
      ),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, limit);
    const stored = await schema.query('SELECT 1 FROM ca_certificates');
    assert.equal(stored.length, limit);
  } finally {
    await schema.cleanup();
  }
});
