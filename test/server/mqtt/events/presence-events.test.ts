import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DISCONNECT_REASONS, PresenceEvents } from '../../../../src/server/mqtt/events/presence-events.js';

const scope = { accountId: '123456789012', region: 'us-east-1' };
const facts = (clientId: string) => ({ scope, clientId, certificateId: 'c'.repeat(64), ipAddress: '192.0.2.1' });
const HOUR = 60 * 60_000;

test('version numbers: from 0, one more per connection, shared by its end; again 0 after an hour without one', () => {
  const presence = new PresenceEvents();
  const first = presence.connected(1, facts('dev'), 0);
  assert.equal(first?.payload.versionNumber, 0);
  assert.equal(presence.disconnected(1, 'client-disconnect', 10)?.payload.versionNumber, 0);
  assert.equal(presence.connected(2, facts('dev'), 20)?.payload.versionNumber, 1);
  // Taken over while connected: the new connection counts on, the old one ends with its own number.
  assert.equal(presence.connected(3, facts('dev'), 30)?.payload.versionNumber, 2);
  const old = presence.disconnected(2, 'taken-over', 31);
  assert.equal(old?.payload.versionNumber, 1);
  assert.equal(old?.payload.disconnectReason, 'DUPLICATE_CLIENTID');
  presence.disconnected(3, 'connection-lost', 40);
  // Still within the hour since the last connection ended: counted on.
  assert.equal(presence.connected(4, facts('dev'), 40 + HOUR - 1)?.payload.versionNumber, 3);
  presence.disconnected(4, 'client-disconnect', 50 + HOUR);
  assert.equal(presence.connected(5, facts('dev'), 50 + 2 * HOUR + 1)?.payload.versionNumber, 0);
  // Other client ids and other scopes count on their own.
  assert.equal(presence.connected(6, facts('other'), 0)?.payload.versionNumber, 0);
  const elsewhere = { ...facts('dev'), scope: { ...scope, region: 'eu-west-1' } };
  assert.equal(presence.connected(7, elsewhere, 0)?.payload.versionNumber, 0);
});

test('payloads: the fields AWS sends, in its order; ipAddress on connect only; one session id for both', () => {
  const presence = new PresenceEvents();
  const connected = presence.connected(1, facts('dev'), 1_700_000_000_000);
  assert.equal(connected?.topic, '$aws/events/presence/connected/dev');
  assert.deepEqual(Object.keys(connected?.payload ?? {}), [
    'clientId',
    'timestamp',
    'eventType',
    'sessionIdentifier',
    'principalIdentifier',
    'ipAddress',
    'versionNumber',
  ]);
  const disconnected = presence.disconnected(1, 'keep-alive-timeout', 1_700_000_000_500);
  assert.equal(disconnected?.topic, '$aws/events/presence/disconnected/dev');
  assert.deepEqual(disconnected?.payload, {
    clientId: 'dev',
    timestamp: 1_700_000_000_500,
    eventType: 'disconnected',
    sessionIdentifier: connected?.payload.sessionIdentifier,
    principalIdentifier: 'c'.repeat(64),
    clientInitiatedDisconnect: false,
    disconnectReason: 'MQTT_KEEP_ALIVE_TIMEOUT',
    versionNumber: 0,
  });
  assert.equal(presence.disconnected(1, 'client-disconnect', 0), undefined, 'once per connection');
  assert.equal(presence.disconnected(99, 'client-disconnect', 0), undefined, 'never connected');
});

test('client ids with + or # have no events', () => {
  const presence = new PresenceEvents();
  assert.equal(presence.connected(1, facts('a+b'), 0), undefined);
  assert.equal(presence.connected(2, facts('a#'), 0), undefined);
  assert.equal(presence.disconnected(1, 'client-disconnect', 0), undefined);
});

test("every reason the broker gives has one of AWS's DisconnectReasonValue names", () => {
  const aws = new Set([
    'AUTH_ERROR',
    'CLIENT_INITIATED_DISCONNECT',
    'CLIENT_ERROR',
    'CONNECTION_LOST',
    'DUPLICATE_CLIENTID',
    'FORBIDDEN_ACCESS',
    'MQTT_KEEP_ALIVE_TIMEOUT',
    'SERVER_ERROR',
    'SERVER_INITIATED_DISCONNECT',
    'THROTTLED',
  ]);
  for (const [reason, name] of Object.entries(DISCONNECT_REASONS)) assert.ok(aws.has(name), `${reason} → ${name}`);
  assert.equal(DISCONNECT_REASONS['server-shutdown'], 'SERVER_INITIATED_DISCONNECT');
  assert.equal(DISCONNECT_REASONS['not-authorized'], 'AUTH_ERROR');
});
