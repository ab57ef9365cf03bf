import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { filterSubjects, topicSubject } from '../../../../src/server/mqtt/cluster/subjects.js';
import { filterMatches } from '../../../../src/server/mqtt/topic-filter.js';
import { eventually } from '../../../helpers/eventually.js';
import { type PrivateNats, privateNats } from '../../../helpers/nats-server.js';

const PREFIX = 'fleetca.unit';
const LEVELS = ['', 'a', '.', '*', '>', 'a.b', ' ', 'x y', '%', '$aws', 'é'];

/** Every topic of up to three of LEVELS, and filters from them with `+` and `#`. */
function pairs(): Array<{ topic: string; filter: string }> {
  const topics: string[] = [];
  for (const x of LEVELS) {
    topics.push(x);
    for (const y of LEVELS) topics.push(`${x}/${y}`, `a/${x}/${y}`);
  }
  const found: Array<{ topic: string; filter: string }> = [];
  topics.forEach((topic, i) => {
    const levels = topic.split('/');
    const filters = [
      topic,
      '#',
      `${levels[0]}/#`,
      levels.map(() => '+').join('/'),
      `${levels.slice(0, -1).join('/')}/+`,
    ];
    for (const filter of filters) {
      if (i % 3 === 0 || filter === topic) found.push({ topic, filter });
    }
  });
  return found.filter(({ topic, filter }) => filterMatches(filter, topic));
}

let nats: PrivateNats;
let connection: NatsConnection;

before(async () => {
  nats = await privateNats();
  await nats.start();
  connection = await connect({ servers: nats.url });
});

after(async () => {
  await connection?.close();
  await nats?.stop();
});

test('a real NATS delivers every topic to the subjects of every filter MQTT matches it with', async () => {
  const cases = pairs();
  assert.ok(cases.length > 200, `${cases.length} cases`);
  const received = new Set<number>();
  cases.forEach(({ filter }, i) => {
    // One namespace per case: cases never see each other's messages.
    for (const subject of filterSubjects(PREFIX, `case-${i}`, filter)) {
      connection.subscribe(subject, {
        callback: () => {
          received.add(i);
        },
      });
    }
  });
  await connection.flush();
  for (const [i, { topic }] of cases.entries()) connection.publish(topicSubject(PREFIX, `case-${i}`, topic), topic);
  await connection.flush();
  await eventually('every case delivered', () => received.size === cases.length, 5_000).catch(() => {
    const missed = cases.filter((_, i) => !received.has(i));
    assert.fail(`not delivered: ${JSON.stringify(missed.slice(0, 10))}`);
  });
});
