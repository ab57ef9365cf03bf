import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  clusterPrefix,
  decodeToken,
  encodeToken,
  filterSubjects,
  subjectMatches,
  topicOfSubject,
  topicSubject,
} from '../../../../src/server/mqtt/cluster/subjects.js';
import { filterMatches } from '../../../../src/server/mqtt/topic-filter.js';

const PREFIX = clusterPrefix('unit');
const NS = '111122223333/us-east-1';

/** NATS's rules for a published subject: non-empty tokens, none with whitespace, `*` or `>`. */
function validSubject(subject: string): boolean {
  return subject.split('.').every((token) => token !== '' && !/[\s*>]/.test(token) && !token.includes('\u0000'));
}

/** A small deterministic generator (xorshift), so a failure can be replayed. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const ODD_LEVELS = [
  '',
  'a',
  'b',
  '.',
  '*',
  '>',
  'a.b',
  ' ',
  'x y',
  '\t',
  '%',
  '%2E',
  '$aws',
  '$',
  'é',
  '😀',
  'a*b',
  '>>',
  '_',
];

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)] as T;
}

function generatedTopic(next: () => number): string {
  const depth = 1 + Math.floor(next() * 4);
  return Array.from({ length: depth }, () => pick(next, ODD_LEVELS)).join('/');
}

/** A filter derived from `topic` (so that it often matches it) or a random one. */
function generatedFilter(next: () => number, topic: string): string {
  const levels = (next() < 0.7 ? topic : generatedTopic(next)).split('/');
  const out: string[] = [];
  for (let i = 0; i < levels.length; i++) {
    const roll = next();
    if (roll < 0.15) {
      out.push('#');
      return out.join('/');
    }
    out.push(roll < 0.4 ? '+' : (levels[i] as string));
  }
  if (next() < 0.2) out.push('#');
  return out.join('/');
}

describe('MQTT topics and filters as NATS subjects', () => {
  test('every level becomes one valid token that decodes back to it', () => {
    for (const level of ODD_LEVELS) {
      const token = encodeToken(level);
      assert.ok(validSubject(token), `token of ${JSON.stringify(level)}: ${token}`);
      assert.equal(decodeToken(token), level);
    }
  });

  test('distinct levels get distinct tokens', () => {
    const tokens = new Set(ODD_LEVELS.map(encodeToken));
    assert.equal(tokens.size, ODD_LEVELS.length);
  });

  test('tokens no level encodes to are refused', () => {
    for (const token of ['', '%2e', '%2', '%ZZ', 'a.b', 'a b', '*', '>', '%41', '%FF']) {
      assert.equal(decodeToken(token), undefined, token);
    }
  });

  test('a topic comes back from its subject, namespace included', () => {
    for (const topic of ['a', 'a/b', '/a', 'a/', 'a//b', '$aws/things/t/shadow/update', 'x.y/*/>', 'sp ace/é']) {
      const subject = topicSubject(PREFIX, NS, topic);
      assert.ok(validSubject(subject), subject);
      assert.deepEqual(topicOfSubject(PREFIX, subject), { namespace: NS, topic });
    }
    assert.equal(topicOfSubject(PREFIX, `${PREFIX}.admit`), undefined);
    assert.equal(topicOfSubject(PREFIX, 'fleetca.other.msg.ns.a'), undefined);
    assert.equal(topicOfSubject(PREFIX, `${PREFIX}.msg.ns`), undefined);
  });

  test('wildcards: + is *, a last # is > and its parent level', () => {
    const base = `${PREFIX}.msg.${encodeToken(NS)}`;
    assert.deepEqual(filterSubjects(PREFIX, NS, '#'), [`${base}.>`]);
    assert.deepEqual(filterSubjects(PREFIX, NS, 'a/#'), [`${base}.a`, `${base}.a.>`]);
    assert.deepEqual(filterSubjects(PREFIX, NS, '+/b'), [`${base}.*.b`]);
    assert.deepEqual(filterSubjects(PREFIX, NS, 'a//b'), [`${base}.a.%.b`]);
    assert.ok(subjectMatches(`${base}.a`, topicSubject(PREFIX, NS, 'a')));
  });

  test('the subjects of another namespace never match', () => {
    for (const filter of ['#', '+', 'a/#', '+/+']) {
      for (const subject of filterSubjects(PREFIX, NS, filter)) {
        assert.ok(!subjectMatches(subject, topicSubject(PREFIX, '444455556666/us-east-1', 'a')));
        assert.ok(!subjectMatches(subject, topicSubject(clusterPrefix('other'), NS, 'a')));
      }
    }
  });

  test('generated topics and filters: whenever MQTT matches, a subscribed subject matches too', () => {
    const next = random(20261207);
    let matched = 0;
    for (let i = 0; i < 20_000; i++) {
      const topic = generatedTopic(next);
      const filter = generatedFilter(next, topic);
      const subject = topicSubject(PREFIX, NS, topic);
      assert.ok(validSubject(subject), subject);
      const subjects = filterSubjects(PREFIX, NS, filter);
      for (const pattern of subjects) {
        assert.ok(
          pattern.split('.').every((token) => token !== '' && !/\s/.test(token)),
          `pattern ${pattern}`,
        );
      }
      if (!filterMatches(filter, topic)) continue;
      matched++;
      assert.ok(
        subjects.some((pattern) => subjectMatches(pattern, subject)),
        `filter ${JSON.stringify(filter)} matches topic ${JSON.stringify(topic)}, its subjects ${subjects} miss ${subject}`,
      );
    }
    assert.ok(matched > 5_000, `only ${matched} matching pairs were generated`);
  });

  test('subjectMatches follows NATS', () => {
    assert.ok(subjectMatches('a.*', 'a.b'));
    assert.ok(!subjectMatches('a.*', 'a'));
    assert.ok(!subjectMatches('a.*', 'a.b.c'));
    assert.ok(subjectMatches('a.>', 'a.b.c'));
    assert.ok(!subjectMatches('a.>', 'a'));
    assert.ok(subjectMatches('a.b', 'a.b'));
    assert.ok(!subjectMatches('a.b', 'a.c'));
  });
});
