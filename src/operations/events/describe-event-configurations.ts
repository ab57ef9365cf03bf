import { EVENT_TYPES } from '../../domain/events/event-configurations.js';
import { DescribeEventConfigurations } from '../../model/events.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';

export const describeEventConfigurations = defineOperation({
  model: DescribeEventConfigurations,
  run,
  cli: {
    examples: [
      {
        title: 'To show which event types are published',
        description: 'Every event type is listed with its Enabled switch; all are false until enabled.',
        command: 'fleetca iot describe-event-configurations',
      },
    ],
  },
});

/** Every event type of the enum, in its order, with the scope's switch. */
async function run(_input: Record<string, never>, ctx: OperationContext) {
  const record = await ctx.registry.events.describeConfigurations(ctx.scope);
  const eventConfigurations = Object.fromEntries(EVENT_TYPES.map((type) => [type, { Enabled: record.enabled[type] }]));
  return {
    eventConfigurations,
    ...(record.creationDate !== undefined && { creationDate: record.creationDate }),
    ...(record.lastModifiedDate !== undefined && { lastModifiedDate: record.lastModifiedDate }),
  };
}
