import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openPostgresRegistry } from '../../../src/registry/postgres/pg-registry.js';
import type { RegistryChange } from '../../../src/registry/registry-changes.js';
import { StoreError } from '../../../src/registry/store-error.js';
import { makeRecord, SCOPE, T0 } from '../certificate-fixtures.js';
import {
  type ChangeFeedFixture,
  changeFeedConformance,
  isCertificate,
  recorder,
  unique,
} from '../change-feed-conformance.js';
import { freshSchema } from './postgres-fixtures.js';

changeFeedConformance('postgres', async (): Promise<ChangeFeedFixture> => {
  const schema = await freshSchema();
  return {
    open: ({ watch }) => schema.open(watch ? {} : { changeFeed: false }),
    cleanup: () => schema.cleanup(),
  };
});

describe('postgres change feed', () => {
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
