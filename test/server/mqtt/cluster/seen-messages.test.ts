import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeenMessages } from '../../../../src/server/mqtt/cluster/seen-messages.js';

test('a message is routed once however many subscriptions deliver it', () => {
  const seen = new SeenMessages();
  assert.equal(seen.first({ origin: 'a', sequence: 1 }), true);
  assert.equal(seen.first({ origin: 'a', sequence: 1 }), false);
  assert.equal(seen.first({ origin: 'a', sequence: 2 }), true);
  assert.equal(seen.first({ origin: 'a', sequence: 1 }), false, 'an older copy');
  assert.equal(seen.first({ origin: 'b', sequence: 1 }), true, 'origins are counted apart');
});

test('the origins seen first are forgotten first, the busy ones kept', () => {
  const seen = new SeenMessages();
  seen.first({ origin: 'old', sequence: 5 });
  for (let i = 0; i < 1_000; i++) seen.first({ origin: `replica-${i}`, sequence: 1 });
  // 'old' was forgotten: its next copy counts as new (a restarted replica has a new origin anyway).
  assert.equal(seen.first({ origin: 'old', sequence: 5 }), true);
  // 'old' came back, so the oldest now is replica-0; replica-999 is still remembered.
  assert.equal(seen.first({ origin: 'replica-999', sequence: 1 }), false);
});
