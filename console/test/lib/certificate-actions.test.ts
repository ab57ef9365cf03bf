import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type CertificateState,
  certificateActions,
  confirmationFor,
  newStatusFor,
} from '../../src/lib/certificate-actions.js';

const state = (status: string, more: Partial<CertificateState> = {}): CertificateState => ({
  status,
  connections: 0,
  things: 0,
  policies: 0,
  ...more,
});

const available = (s: CertificateState) =>
  certificateActions(s)
    .filter((a) => a.unavailable === undefined)
    .map((a) => a.kind);

test('the status machine decides what can be done', () => {
  assert.deepEqual(available(state('ACTIVE')), ['deactivate', 'revoke']);
  assert.deepEqual(available(state('INACTIVE')), ['activate', 'revoke', 'delete']);
  assert.deepEqual(available(state('REVOKED')), ['delete']);
  assert.deepEqual(available(state('PENDING_TRANSFER')), []);
  assert.deepEqual(available(state('REGISTER_INACTIVE')), ['activate', 'deactivate', 'revoke', 'delete']);
  assert.deepEqual(available(state('INACTIVE', { things: 2 })), ['activate', 'revoke']);
  assert.deepEqual(available(state('INACTIVE', { policies: 2 })), ['activate', 'revoke', 'delete']);
});

test('unavailable actions say why', () => {
  const reasons = Object.fromEntries(certificateActions(state('ACTIVE')).map((a) => [a.kind, a.unavailable]));
  assert.equal(reasons.activate, 'It is already ACTIVE.');
  assert.equal(reasons.delete, 'Deactivate or revoke it first: an ACTIVE certificate cannot be deleted.');
  const revoked = certificateActions(state('REVOKED')).find((a) => a.kind === 'activate');
  assert.equal(revoked?.unavailable, 'A revoked certificate stays revoked.');
  const withThing = certificateActions(state('REVOKED', { things: 1 })).find((a) => a.kind === 'delete');
  assert.equal(withThing?.unavailable, 'Detach its 1 thing first: deletion never detaches things.');
});

test('the confirmation names what will happen', () => {
  const deactivate = confirmationFor('deactivate', state('ACTIVE', { connections: 2 }));
  assert.equal(
    deactivate.paragraphs[0],
    "Deactivating drops the device's live MQTT connection (2 devices connected now) and refuses new ones until it is activated again.",
  );
  assert.equal(deactivate.danger, true);
  const quiet = confirmationFor('deactivate', state('ACTIVE'));
  assert.match(quiet.paragraphs[0] ?? '', /none now/);
  const revoke = confirmationFor('revoke', state('INACTIVE', { connections: 1 }));
  assert.equal(revoke.paragraphs[0], 'Revoking is final: the certificate can never be activated again.');
  assert.match(revoke.paragraphs[1] ?? '', /1 device connected now/);
  const activate = confirmationFor('activate', state('INACTIVE'));
  assert.equal(activate.danger, false);
  assert.equal(activate.confirmLabel, 'Activate');
  const plainDelete = confirmationFor('delete', state('INACTIVE'));
  assert.equal(plainDelete.offerForceDelete, false);
  const forced = confirmationFor('delete', state('REVOKED', { policies: 3 }));
  assert.equal(forced.offerForceDelete, true);
  assert.match(forced.paragraphs[1] ?? '', /^3 policies are attached: tick "Detach policies \(forceDelete\)"/);
});

test('each action asks UpdateCertificate for its status; delete asks for none', () => {
  assert.equal(newStatusFor('activate'), 'ACTIVE');
  assert.equal(newStatusFor('deactivate'), 'INACTIVE');
  assert.equal(newStatusFor('revoke'), 'REVOKED');
  assert.equal(newStatusFor('delete'), undefined);
});
