import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EVENT_TYPES } from '../../src/domain/events/event-configurations.js';
import type { Registry } from '../../src/registry/registry.js';
import type { RegistryChange } from '../../src/registry/registry-changes.js';
import { eventually } from '../helpers/eventually.js';
import { OTHER_ACCOUNT, OTHER_REGION, SCOPE } from './certificate-fixtures.js';

/** What an engine hands the suite for one test: registries on the same fresh data, each watching changes. */
export interface EventStoreFixture {
  open(): Promise<Registry>;
  /** Whether a device event reaches the other registries on the data (PostgreSQL) or this one only (SQLite). */
  readonly eventsReachEveryProcess: boolean;
  cleanup(): Promise<void>;
}

function heard(registry: Registry): RegistryChange[] {
  const changes: RegistryChange[] = [];
  registry.changes.subscribe((change) => changes.push(change));
  return changes;
}

/** The behaviour every EventStore must show. */
export function eventStoreConformance(name: string, fixture: () => Promise<EventStoreFixture>): void {
  const withFixture = (fn: (f: EventStoreFixture) => Promise<void>) => async () => {
    const f = await fixture();
    try {
      await fn(f);
    } finally {
      await f.cleanup();
    }
  };

  describe(`${name}: event store`, () => {
    test(
      'a scope that never wrote settings: every type off, no dates',
      withFixture(async (f) => {
        const record = await (await f.open()).events.describeConfigurations(SCOPE);
        assert.deepEqual(Object.keys(record.enabled), [...EVENT_TYPES]);
        assert.ok(Object.values(record.enabled).every((on) => on === false));
        assert.equal(record.creationDate, undefined);
        assert.equal(record.lastModifiedDate, undefined);
      }),
    );

    test(
      'updates keep the types not named, date the first and last writes, and stay in their scope',
      withFixture(async (f) => {
        const { events } = await f.open();
        await events.updateConfigurations(SCOPE, { THING: true, CA_CERTIFICATE: true }, 1_000);
        await events.updateConfigurations(SCOPE, { CA_CERTIFICATE: false, POLICY: true }, 2_000);
        const record = await events.describeConfigurations(SCOPE);
        assert.equal(record.enabled.THING, true);
        assert.equal(record.enabled.CA_CERTIFICATE, false);
        assert.equal(record.enabled.POLICY, true);
        assert.equal(record.enabled.JOB, false);
        assert.equal(record.creationDate, 1_000);
        assert.equal(record.lastModifiedDate, 2_000);
        for (const other of [OTHER_ACCOUNT, OTHER_REGION]) {
          assert.equal((await events.describeConfigurations(other)).enabled.THING, false);
        }
        // Another connection reads what was committed.
        assert.equal((await (await f.open()).events.describeConfigurations(SCOPE)).enabled.POLICY, true);
      }),
    );

    test(
      'an update is announced to the registry that made it',
      withFixture(async (f) => {
        const registry = await f.open();
        const changes = heard(registry);
        await registry.events.updateConfigurations(SCOPE, { THING: true }, 1_000);
        await eventually('the event-configurations change', () => changes.length > 0);
        assert.deepEqual(changes, [{ kind: 'event-configurations', ...SCOPE }]);
      }),
    );

    test(
      'a device event is heard once by the registry that announced it, and by the others where they hear it',
      withFixture(async (f) => {
        const here = await f.open();
        const there = await f.open();
        const heardHere = heard(here);
        const heardThere = heard(there);
        const event = {
          kind: 'device-event' as const,
          ...SCOPE,
          topic: '$aws/events/presence/connected/c',
          payload: '{}',
        };
        await here.events.announce(event);
        const marker = { ...event, topic: 'marker' };
        await there.events.announce(marker);
        await eventually('the marker', () => heardThere.some((change) => change.kind === 'device-event'));
        if (f.eventsReachEveryProcess) {
          await eventually('both on both', () => heardHere.length >= 2 && heardThere.length >= 2);
          assert.deepEqual(heardHere, [event, marker]);
          assert.deepEqual(heardThere, [event, marker]);
        } else {
          assert.deepEqual(heardHere, [event]);
          assert.deepEqual(heardThere, [marker]);
        }
      }),
    );
  });
}
