import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InterestTable } from '../../../../src/server/mqtt/cluster/interest-table.js';
import { SeenMessages } from '../../../../src/server/mqtt/cluster/seen-messages.js';
import { clusterPrefix, encodeToken } from '../../../../src/server/mqtt/cluster/subjects.js';
import { admittedBefore, Takeovers } from '../../../../src/server/mqtt/cluster/takeover.js';

describe('client id takeover across replicas', () => {
  test('a later admission elsewhere takes over the local one; an earlier one does not', () => {
    const here = new Takeovers('node-b', () => 1_000);
    here.admitted('ns', 'device', 7);
    assert.equal(here.announced('ns', 'device', { at: 999, node: 'node-a' }), undefined, 'older: ignored');
    assert.equal(here.announced('ns', 'other', { at: 5_000, node: 'node-a' }), undefined, 'another client id');
    assert.equal(here.announced('other-ns', 'device', { at: 5_000, node: 'node-a' }), undefined, 'another namespace');
    assert.equal(here.announced('ns', 'device', { at: 5_000, node: 'node-a' }), 7);
    assert.equal(here.announced('ns', 'device', { at: 6_000, node: 'node-a' }), undefined, 'taken over once');
  });

  test('two simultaneous admissions: both replicas agree on which one goes', () => {
    for (const [clockA, clockB] of [
      [1_000, 1_000],
      [1_000, 1_001],
      [1_005, 1_000],
    ] as const) {
      const a = new Takeovers('node-a', () => clockA);
      const b = new Takeovers('node-b', () => clockB);
      const stampA = a.admitted('ns', 'racer', 1);
      const stampB = b.admitted('ns', 'racer', 2);
      const droppedOnA = a.announced('ns', 'racer', stampB) !== undefined;
      const droppedOnB = b.announced('ns', 'racer', stampA) !== undefined;
      assert.equal(Number(droppedOnA) + Number(droppedOnB), 1, `clocks ${clockA}/${clockB}`);
    }
  });

  test('an admission after hearing of another is later, whatever the clocks say', () => {
    const a = new Takeovers('node-z', () => 10_000);
    const b = new Takeovers('node-a', () => 1_000);
    const first = a.admitted('ns', 'device', 1);
    b.announced('ns', 'device', first);
    const second = b.admitted('ns', 'device', 2);
    assert.ok(admittedBefore(first, second));
    assert.equal(a.announced('ns', 'device', second), 1);
  });

  test('a released connection is not taken over', () => {
    const here = new Takeovers('node-b', () => 1_000);
    here.admitted('ns', 'device', 7);
    here.released('ns', 'device', 8);
    here.released('ns', 'device', 7);
    assert.equal(here.announced('ns', 'device', { at: 5_000, node: 'node-a' }), undefined);
  });
});

describe('interest: NATS subscriptions from local filters', () => {
  test('subjects are subscribed once, counted, and ended with their last filter', () => {
    const table = new InterestTable(clusterPrefix('unit'));
    const live = new Map<string, number>();
    table.add('ns', 'a/#');
    table.add('ns', 'a');
    const base = `${clusterPrefix('unit')}.msg.${encodeToken('ns')}`;
    assert.ok(table.has(`${base}.a`) && table.has(`${base}.a.>`));
    table.connect((subject) => {
      live.set(subject, (live.get(subject) ?? 0) + 1);
      return () => live.delete(subject);
    });
    assert.deepEqual([...live.entries()].sort(), [
      [`${base}.a`, 1],
      [`${base}.a.>`, 1],
    ]);
    table.remove('ns', 'a/#');
    assert.deepEqual([...live.keys()], [`${base}.a`], '`a` is still wanted by the filter a');
    table.add('ns', '+');
    table.remove('ns', 'a');
    table.remove('ns', 'never');
    assert.deepEqual([...live.keys()], [`${base}.*`]);
    table.remove('ns', '+');
    assert.equal(live.size, 0);
    assert.equal(table.size, 0);
  });
});

describe('one delivery per message', () => {
  test('copies (same origin, sequence not above the last) are dropped; origins are apart', () => {
    const seen = new SeenMessages();
    assert.ok(seen.first({ origin: 'a', sequence: 1 }));
    assert.ok(!seen.first({ origin: 'a', sequence: 1 }));
    assert.ok(seen.first({ origin: 'b', sequence: 1 }));
    assert.ok(seen.first({ origin: 'a', sequence: 3 }));
    assert.ok(!seen.first({ origin: 'a', sequence: 2 }));
  });
});
