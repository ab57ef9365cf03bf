import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EVENT_TYPES } from '../../../src/domain/events/event-configurations.js';
import { DescribeEventConfigurations, UpdateEventConfigurations } from '../../../src/model/events.js';
import { OTHER_ACCOUNT, openTestService, type TestService } from '../operation-context.js';

describe('UpdateEventConfigurations / DescribeEventConfigurations', () => {
  let service: TestService;
  before(async () => {
    service = await openTestService();
  });
  after(() => service.close());

  const describeAll = () => service.call(DescribeEventConfigurations, {});

  test('before any update: every event type of the enum, disabled, and no dates', async () => {
    const described = await describeAll();
    assert.deepEqual(Object.keys(described), ['eventConfigurations']);
    assert.deepEqual(
      described.eventConfigurations,
      Object.fromEntries(EVENT_TYPES.map((type) => [type, { Enabled: false }])),
    );
  });

  test('an update sets the types named and leaves the others; dates appear', async () => {
    const before = Date.now();
    assert.deepEqual(
      await service.call(UpdateEventConfigurations, {
        eventConfigurations: { THING: { Enabled: true }, CA_CERTIFICATE: { Enabled: true } },
      }),
      {},
    );
    await service.call(UpdateEventConfigurations, { eventConfigurations: { CA_CERTIFICATE: { Enabled: false } } });
    const described = await describeAll();
    const configurations = described.eventConfigurations as Record<string, { Enabled: boolean }>;
    assert.deepEqual(configurations.THING, { Enabled: true });
    assert.deepEqual(configurations.CA_CERTIFICATE, { Enabled: false });
    assert.deepEqual(configurations.JOB, { Enabled: false });
    assert.ok(Number(described.creationDate) >= before);
    assert.ok(Number(described.lastModifiedDate) >= Number(described.creationDate));
    const other = await service.call(DescribeEventConfigurations, {}, OTHER_ACCOUNT);
    assert.deepEqual((other.eventConfigurations as Record<string, unknown>).THING, { Enabled: false });
  });

  test('a configuration without Enabled turns its type off; an empty update changes nothing', async () => {
    await service.call(UpdateEventConfigurations, { eventConfigurations: { POLICY: { Enabled: true } } });
    await service.call(UpdateEventConfigurations, { eventConfigurations: { POLICY: {} } });
    await service.call(UpdateEventConfigurations, {});
    const configurations = (await describeAll()).eventConfigurations as Record<string, { Enabled: boolean }>;
    assert.deepEqual(configurations.POLICY, { Enabled: false });
    assert.deepEqual(configurations.THING, { Enabled: true });
  });

  test('an event type outside the enum: InvalidRequestException, the map shown as AWS shows it, nothing written', async () => {
    const failure = await service.failure(UpdateEventConfigurations, {
      eventConfigurations: { THINGS: { Enabled: true }, THING: { Enabled: false } },
    });
    assert.equal(failure.code, 'InvalidRequestException');
    assert.equal(
      failure.message,
      "1 validation error detected: Value '{THINGS={Enabled: true}, THING={Enabled: false}}' at 'eventConfigurations' " +
        `failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy enum value set: [${EVENT_TYPES.join(', ')}]]`,
    );
    const configurations = (await describeAll()).eventConfigurations as Record<string, { Enabled: boolean }>;
    assert.deepEqual(configurations.THING, { Enabled: true });
  });

  test('Enabled must be a boolean', async () => {
    const failure = await service.failure(UpdateEventConfigurations, {
      eventConfigurations: { THING: { Enabled: 'yes' } },
    });
    assert.equal(failure.code, 'InvalidRequestException');
  });
});
