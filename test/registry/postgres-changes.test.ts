import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { openPostgresRegistry } from '../../src/registry/postgres/pg-registry.js';
import type { Registry } from '../../src/registry/registry.js';
import type { RegistryChange } from '../../src/registry/registry-changes.js';
import { StoreError } from '../../src/registry/store-error.js';
import { makeRecord, SCOPE, T0 } from './certificate-fixtures.js';
import { freshSchema, type PgTestSchema } from './postgres-fixtures.js';

/**
 * NOTIFY reaches every listener on the database, including other test files' registries in other schemas:
 * each test picks its own certificate ids and key ids, and a recorder keeps only the changes about them.
 */
function recorder(registry: Registry, ours: (change: RegistryChange) => boolean) {
  const heard: RegistryChange[] = [];
  const waiters: { predicate: (change: RegistryChange) => boolean; resolve: () => void }[] = [];
  registry.changes.subscribe((change) => {
    if (!ours(change)) return;
    heard.push(change);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(change)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  return {
    heard,
    /** Resolves once a change matching `predicate` is (or was) heard; rejects after `ms`. */
    until(predicate: (change: RegistryChange) => boolean, ms = 1000): Promise<void> {
      if (heard.some(predicate)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not heard within ${ms} ms: ${JSON.stringify(heard)}`)), ms);
        waiters.push({
          predicate,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
  };
}

/** A seed no other test (or test file running alongside) uses. */
const unique = (label: string) => `${label}-${randomBytes(6).toString('hex')}`;

async function withTwoRegistries(fn: (writer: Registry, reader: Registry, schema: PgTestSchema) => Promise<void>) {
  const schema = await freshSchema();
  try {
    await fn(await schema.open(), await schema.open(), schema);
  } finally {
    await schema.cleanup();
  }
}

const isCertificate = (id: string) => (change: RegistryChange) =>
  change.kind === 'certificate' && change.certificateId === id;

describe('postgres change feed', () => {
  test('a registry with a feed reaches the whole database; without one it claims no more than its process', async () => {
    const schema = await freshSchema();
    try {
      assert.equal((await schema.open()).changes.reach, 'database');
      assert.equal((await schema.open({ changeFeed: false })).changes.reach, 'process');
    } finally {
      await schema.cleanup();
    }
  });

  test("a status change and a deletion made through one registry reach another's subscribers", () =>
    withTwoRegistries(async (writer, reader) => {
      const record = makeRecord(unique('announced'));
      const id = record.certificateId;
      const mine = recorder(writer, isCertificate(id));
      const theirs = recorder(reader, isCertificate(id));
      await writer.certificates.insertCertificate(record);
      await writer.certificates.updateStatus(SCOPE, id, () => ({
        status: 'ACTIVE',
        lastModifiedDate: T0 + 1,
        generationId: 'g2',
      }));
      await writer.certificates.updateStatus(SCOPE, id, () => ({
        status: 'INACTIVE',
        lastModifiedDate: T0 + 2,
        generationId: 'g3',
      }));
      await writer.certificates.deleteCertificate(SCOPE, id, () => ({ detachPolicies: false }));
      const deleted = (change: RegistryChange) => change.kind === 'certificate' && change.status === 'DELETED';
      await theirs.until(deleted);
      await mine.until(deleted);
      const expected: RegistryChange[] = ['ACTIVE', 'INACTIVE', 'DELETED'].map((status) => ({
        kind: 'certificate',
        ...SCOPE,
        certificateId: id,
        status: status as 'ACTIVE',
      }));
      // In commit order, each once; the insert itself is not a change anyone is told about.
      assert.deepEqual(theirs.heard, expected);
      assert.deepEqual(mine.heard, expected);
    }));

  test('a registry in another schema of the same database hears nothing of this one', async () => {
    const [here, elsewhere] = [await freshSchema(), await freshSchema()];
    try {
      const [writer, reader, stranger] = [await here.open(), await here.open(), await elsewhere.open()];
      const strangerHeard: RegistryChange[] = [];
      stranger.changes.subscribe((change) => strangerHeard.push(change));
      const record = makeRecord(unique('schema-bound'));
      const theirs = recorder(reader, isCertificate(record.certificateId));
      await writer.certificates.insertCertificate(record);
      await writer.certificates.deleteCertificate(SCOPE, record.certificateId, () => ({ detachPolicies: false }));
      await theirs.until(() => true);
      // The same-schema reader has heard it; anything bound for the stranger would have arrived by now too.
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(
        strangerHeard.filter(
          (change) => change.kind === 'certificate' && change.certificateId === record.certificateId,
        ),
        [],
      );
    } finally {
      await here.cleanup();
      await elsewhere.cleanup();
    }
  });

  test("a deleted access key reaches another registry's subscribers", () =>
    withTwoRegistries(async (writer, reader) => {
      const accountId = String(Math.floor(Math.random() * 1e12)).padStart(12, '0');
      await writer.accounts.createAccount(accountId);
      const key = await writer.accounts.createAccessKey(accountId);
      const theirs = recorder(reader, (c) => c.kind === 'access-key-deleted' && c.accessKeyId === key.accessKeyId);
      await writer.accounts.deleteAccessKey(key.accessKeyId);
      await theirs.until(() => true);
      assert.deepEqual(theirs.heard, [{ kind: 'access-key-deleted', accessKeyId: key.accessKeyId }]);
    }));

  test('refused and no-op changes are never announced', () =>
    withTwoRegistries(async (writer, reader) => {
      const quiet = makeRecord(unique('quiet'), { status: 'ACTIVE' });
      const marker = makeRecord(unique('marker'));
      const theirs = recorder(
        reader,
        (c) => isCertificate(quiet.certificateId)(c) || isCertificate(marker.certificateId)(c),
      );
      await writer.certificates.insertCertificate(quiet);
      await writer.certificates.insertCertificate(marker);
      const refusal = new Error('refused');
      await assert.rejects(
        writer.certificates.updateStatus(SCOPE, quiet.certificateId, () => {
          throw refusal;
        }),
        (error: unknown) => error === refusal,
      );
      await writer.certificates.updateStatus(SCOPE, quiet.certificateId, () => undefined);
      await assert.rejects(
        writer.certificates.deleteCertificate(SCOPE, quiet.certificateId, () => {
          throw refusal;
        }),
        (error: unknown) => error === refusal,
      );
      // A rule that breaks its contract is refused by the store: nothing is deleted, nothing announced.
      await writer.certificates.attach(SCOPE, quiet.certificateId, { kind: 'thing', name: 'pinned' });
      await assert.rejects(
        writer.certificates.deleteCertificate(SCOPE, quiet.certificateId, () => ({ detachPolicies: true })),
        StoreError,
      );
      await assert.rejects(writer.accounts.deleteAccessKey('AKIAAAAAAAAAAAAAAAAA'));
      // Notifications arrive in commit order: once the marker's is heard, any earlier one would have been.
      await writer.certificates.updateStatus(SCOPE, marker.certificateId, () => ({
        status: 'ACTIVE',
        lastModifiedDate: T0 + 1,
        generationId: 'g2',
      }));
      await theirs.until(isCertificate(marker.certificateId));
      assert.deepEqual(theirs.heard, [
        { kind: 'certificate', ...SCOPE, certificateId: marker.certificateId, status: 'ACTIVE' },
      ]);
    }));

  test('after losing its connection the feed tells subscribers to resync and hears changes again', async () => {
    const schema = await freshSchema();
    try {
      // Its own application name, so that exactly this registry's sessions can be terminated.
      const name = unique('fleetca_t_app').replaceAll('-', '_');
      const disconnects: number[] = [];
      const reader = await openPostgresRegistry(`${schema.url}&application_name=${name}`, {
        onFeedDisconnect: (_error, retryInMs) => disconnects.push(retryInMs),
      });
      const writer = await schema.open({ changeFeed: false });
      try {
        const record = makeRecord(unique('after-resync'));
        const heard = recorder(reader, (c) => c.kind === 'resync' || isCertificate(record.certificateId)(c));
        // Touch the pool first, so that idle pooled sessions die too (the pool must survive that).
        await reader.certificates.getCertificate(SCOPE, record.certificateId);
        const terminated = await schema.query<{ ok: boolean }>(
          'SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1',
          [name],
        );
        assert.ok(terminated.length >= 2, `terminated ${terminated.length} sessions`);
        await heard.until((c) => c.kind === 'resync', 5000);
        assert.ok(disconnects.length >= 1);
        await writer.certificates.insertCertificate(record);
        // The feed listens again a moment after it said resync; keep changing until it hears one.
        let status: 'ACTIVE' | 'INACTIVE' = 'ACTIVE';
        for (let round = 0; round < 50 && !heard.heard.some(isCertificate(record.certificateId)); round++) {
          await writer.certificates.updateStatus(SCOPE, record.certificateId, () => ({
            status,
            lastModifiedDate: T0 + round,
            generationId: `g${round}`,
          }));
          status = status === 'ACTIVE' ? 'INACTIVE' : 'ACTIVE';
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await heard.until(isCertificate(record.certificateId), 1000);
        // The registry's pool replaced its dead sessions: reads work again (a first one may still meet a dead one).
        let read: unknown;
        for (let attempt = 0; attempt < 5 && read === undefined; attempt++) {
          read = await reader.certificates.getCertificate(SCOPE, record.certificateId).catch((error: unknown) => {
            assert.ok(error instanceof StoreError && error.code === 'UNAVAILABLE', String(error));
            return undefined;
          });
        }
        assert.ok(read);
      } finally {
        await reader.close();
      }
    } finally {
      await schema.cleanup();
    }
  });
});
