import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DevicePrincipal } from '../../../src/domain/devices/device-principal.js';
import { mayPublish, maySubscribe } from '../../../src/server/mqtt/topic-policy.js';

const scope = { accountId: '123456789012', region: 'us-east-1' };
const device: DevicePrincipal = {
  scope,
  certificateId: 'a'.repeat(64),
  device: true,
  provisioningTemplates: new Set(),
};
const claim: DevicePrincipal = {
  scope,
  certificateId: 'b'.repeat(64),
  device: false,
  provisioningTemplates: new Set(['fleet']),
  expiresAt: Date.now() + 60_000,
};

test('devices may subscribe to the service events; claims may not; nobody may publish there', () => {
  for (const filter of ['$aws/events/certificates/registered/+', '$aws/events/#', '$aws/events/presence/connected/x']) {
    assert.equal(maySubscribe(device, filter), true, filter);
    assert.equal(maySubscribe(claim, filter), false, filter);
  }
  assert.equal(mayPublish(device, '$aws/events/certificates/registered/abc'), false);
  assert.equal(mayPublish(claim, '$aws/events/certificates/registered/abc'), false);
});

test('other $ filters stay refused to devices', () => {
  assert.equal(maySubscribe(device, '$aws/things/x/shadow/update'), false);
  assert.equal(maySubscribe(device, '$aws/eventsX/#'), false);
  assert.equal(maySubscribe(device, '$SYS/#'), false);
});
