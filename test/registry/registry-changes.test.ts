import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  ChangeHub,
  decodeChange,
  encodeChange,
  type RegistryChange,
  thingChangeEvent,
} from '../../src/registry/registry-changes.js';
import { openSqliteRegistry } from '../../src/registry/sqlite/sqlite-registry.js';
import { makeRecord, SCOPE } from './certificate-fixtures.js';

test('every kind of change survives encoding; foreign or damaged payloads decode to undefined', () => {
  const changes: RegistryChange[] = [
    { kind: 'certificate', ...SCOPE, certificateId: 'a'.repeat(64), status: 'REVOKED' },
    { kind: 'certificate', ...SCOPE, certificateId: 'b'.repeat(64), status: 'DELETED' },
    { kind: 'access-key-deleted', accessKeyId: 'AKIAABCDEFGHIJKLMNOP' },
    { kind: 'policy', ...SCOPE, policyName: 'p.1@x' },
    { kind: 'policy-attachment', ...SCOPE, policyName: 'p', certificateId: 'c'.repeat(64) },
    { kind: 'thing', ...SCOPE, thingName: 'thing:1' },
    {
      kind: 'thing',
      ...SCOPE,
      thingName: 't2',
      event: { operation: 'DELETED', thingId: 'id', versionNumber: 3, thingTypeName: 'tt', attributes: { a: 'b' } },
    },
    { kind: 'event-configurations', ...SCOPE },
    { kind: 'device-event', ...SCOPE, topic: '$aws/events/presence/connected/c', payload: '{"clientId":"c"}' },
    { kind: 'thing-principal', ...SCOPE, thingName: 't', certificateId: 'd'.repeat(64) },
    { kind: 'resync' },
  ];
  for (const change of changes) assert.deepEqual(decodeChange(encodeChange(change)), change);
  const incomplete = [
    '{"kind":"policy","accountId":"1","region":"r"}',
    '{"kind":"policy-attachment","accountId":"1","region":"r","policyName":"p"}',
    '{"kind":"thing","accountId":"1","thingName":"t"}',
    '{"kind":"thing-principal","accountId":"1","region":"r","thingName":"t","certificateId":""}',
    '{"kind":"event-configurations","accountId":"1"}',
    '{"kind":"device-event","accountId":"1","region":"r","topic":"t"}',
  ];
  for (const payload of [
    '',
    'null',
    '[]',
    '{"kind":"certificate","accountId":"1"}',
    '{"kind":"other"}',
    '{',
    ...incomplete,
  ]) {
    assert.equal(decodeChange(payload), undefined, payload);
  }
});

test('a hub reaches every subscriber even when one throws, and not those that left', () => {
  const hub = new ChangeHub('process');
  const heard: string[] = [];
  hub.subscribe(() => {
    throw new Error('listener bug');
  });
  const leave = hub.subscribe(() => heard.push('left'));
  hub.subscribe((change) => heard.push(change.kind));
  leave();
  hub.publish({ kind: 'resync' });
  assert.deepEqual(heard, ['resync']);
});

test('SQLite announces inserts, applied status changes, deletions and deleted keys within its process, after commit', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fleetca-changes-'));
  const registry = await openSqliteRegistry(join(dir, 'registry.db'));
  try {
    assert.equal(registry.changes.reach, 'process');
    const heard: RegistryChange[] = [];
    registry.changes.subscribe((change) => heard.push(change));
    const record = makeRecord('announced');
    await registry.certificates.insertCertificate(record);
    const { certificateId } = record;
    await registry.certificates.updateStatus(SCOPE, certificateId, () => ({
      status: 'ACTIVE',
      lastModifiedDate: record.creationDate + 1,
      generationId: 'g2',
    }));
    // Neither a rule that changes nothing nor one that refuses is announced.
    await registry.certificates.updateStatus(SCOPE, certificateId, () => undefined);
    await assert.rejects(
      registry.certificates.updateStatus(SCOPE, certificateId, () => {
        throw new Error('refused');
      }),
    );
    await registry.certificates.deleteCertificate(SCOPE, 'f'.repeat(64), () => ({ detachPolicies: false }));
    await registry.certificates.deleteCertificate(SCOPE, certificateId, () => ({ detachPolicies: false }));
    await registry.accounts.createAccount('111122223333');
    const key = await registry.accounts.createAccessKey('111122223333');
    await registry.accounts.deleteAccessKey(key.accessKeyId);
    assert.deepEqual(heard, [
      { kind: 'certificate', ...SCOPE, certificateId, status: 'INACTIVE' },
      { kind: 'certificate', ...SCOPE, certificateId, status: 'ACTIVE' },
      { kind: 'certificate', ...SCOPE, certificateId, status: 'DELETED' },
      { kind: 'access-key-deleted', accessKeyId: key.accessKeyId },
    ]);
  } finally {
    await registry.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('a thing change carries what happened, its attributes only while they fit a NOTIFY', () => {
  const thing = { thingId: 'id', version: 2, attributes: { room: '7' } };
  assert.deepEqual(thingChangeEvent('UPDATED', thing), {
    operation: 'UPDATED',
    thingId: 'id',
    versionNumber: 2,
    attributes: { room: '7' },
  });
  const large = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`attribute${i}`, 'v'.repeat(800)]));
  const event = thingChangeEvent('DELETED', { ...thing, thingTypeName: 'sensor', attributes: large });
  assert.deepEqual(event, { operation: 'DELETED', thingId: 'id', versionNumber: 2, thingTypeName: 'sensor' });
  const change: RegistryChange = { kind: 'thing', ...SCOPE, thingName: 't', event };
  assert.ok(Buffer.byteLength(encodeChange(change)) < 8000);
  // An event whose fields are damaged is dropped, the change kept.
  assert.deepEqual(
    decodeChange('{"kind":"thing","accountId":"1","region":"r","thingName":"t","event":{"operation":"GONE"}}'),
    { kind: 'thing', accountId: '1', region: 'r', thingName: 't' },
  );
});
