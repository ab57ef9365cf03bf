import type { EventType } from '../../domain/events/event-configurations.js';
import { UpdateEventConfigurations } from '../../model/events.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';

interface UpdateEventConfigurationsInput {
  /** Keys already checked against the EventType enum by the model. */
  readonly eventConfigurations?: Readonly<Record<string, { readonly Enabled?: boolean }>>;
}

export const updateEventConfigurations = defineOperation({
  model: UpdateEventConfigurations,
  run,
  cli: {
    examples: [
      {
        title: 'To publish thing registry events',
        description:
          'Things created, updated or deleted are then published on $aws/events/thing/<thingName>/created|updated|deleted.',
        command: `fleetca iot update-event-configurations --event-configurations '{"THING":{"Enabled":true}}'`,
      },
    ],
  },
});

/** The named switches are written; a configuration without Enabled turns its type off, as a false would. */
async function run(input: UpdateEventConfigurationsInput, ctx: OperationContext) {
  const enabled: Partial<Record<EventType, boolean>> = {};
  for (const [type, configuration] of Object.entries(input.eventConfigurations ?? {})) {
    enabled[type as EventType] = configuration.Enabled === true;
  }
  if (Object.keys(enabled).length > 0) {
    await ctx.registry.events.updateConfigurations(ctx.scope, enabled, ctx.now().getTime());
  }
  return {};
}
