import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SubscriptionIndex } from '../../../../src/server/mqtt/broker/subscription-index.js';
import {
  isSharedSubscription,
  isValidTopicFilter,
  isValidTopicName,
} from '../../../../src/server/mqtt/broker/topics.js';
import { filterMatches } from '../../../../src/server/mqtt/topic-filter.js';

describe('topic names and filters', () => {
  test('names: no wildcards, not empty', () => {
    for (const name of ['a', 'a/b', '/', 'a//b', '$aws/things/x', ' '])
      assert.equal(isValidTopicName(name), true, name);
    for (const name of ['', 'a/+', '#', 'a/b#', 'a\u0000b']) assert.equal(isValidTopicName(name), false, name);
  });

  test('filters: + a whole level, # a whole last level', () => {
    for (const filter of ['#', '+', 'a/#', 'a/+/b', '+/+', '/#', '$aws/#', 'a//+'])
      assert.equal(isValidTopicFilter(filter), true, filter);
    for (const filter of ['', 'a/#/b', 'a#', 'a/b+', '+a/b', '##', 'a/\u0000']) {
      assert.equal(isValidTopicFilter(filter), false, filter);
    }
    assert.equal(isSharedSubscription('$share/g/a'), true);
    assert.equal(isSharedSubscription('$shared/a'), false);
  });
});

describe('SubscriptionIndex', () => {
  const matches = (index: SubscriptionIndex<string, number>, topic: string) => {
    const found: string[] = [];
    index.match(topic, (key) => found.push(key));
    return found.sort();
  };

  test('agrees with filterMatches on generated filters and topics', () => {
    const levels = ['a', 'b', '', '$x'];
    const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;
    const make = (wild: boolean) => {
      const depth = 1 + Math.floor(Math.random() * 4);
      const parts: string[] = [];
      for (let i = 0; i < depth; i++) parts.push(wild ? pick([...levels, '+', '+', '#']) : pick(levels));
      return parts.join('/');
    };
    const index = new SubscriptionIndex<string, number>();
    const filters = new Set<string>();
    while (filters.size < 150) {
      const filter = make(true);
      if (isValidTopicFilter(filter)) filters.add(filter);
    }
    for (const filter of filters) index.add(filter, filter, 0);
    for (let i = 0; i < 500; i++) {
      const topic = make(false);
      const expected = [...filters].filter((f) => filterMatches(f, topic)).sort();
      assert.deepEqual(matches(index, topic), expected, topic);
    }
  });

  test('removal prunes and leaves the other subscriptions', () => {
    const index = new SubscriptionIndex<string, number>();
    index.add('a/+/c', 'one', 1);
    index.add('a/+/c', 'two', 1);
    index.add('a/#', 'three', 1);
    assert.deepEqual(matches(index, 'a/b/c'), ['one', 'three', 'two']);
    assert.equal(index.remove('a/+/c', 'one'), true);
    assert.equal(index.remove('a/+/c', 'one'), false);
    assert.equal(index.remove('x/y', 'one'), false);
    assert.deepEqual(matches(index, 'a/b/c'), ['three', 'two']);
    index.remove('a/+/c', 'two');
    index.remove('a/#', 'three');
    assert.deepEqual(matches(index, 'a/b/c'), []);
  });
});
