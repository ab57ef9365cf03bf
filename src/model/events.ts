/** Which events an account and region publishes (AWS IoT's event configurations). */

import { EVENT_TYPES } from '../domain/events/event-configurations.js';
import { date } from './common-shapes.js';
import { type MapShape, member, type RestOperationModel, structure } from './shapes.js';

const configuration = structure({
  Enabled: member({ type: 'boolean' }, 'True to enable the configuration.'),
});
const eventConfigurations: MapShape = {
  type: 'map',
  key: { type: 'string', enum: EVENT_TYPES },
  value: configuration,
};

export const DescribeEventConfigurations: RestOperationModel = {
  name: 'DescribeEventConfigurations',
  http: { method: 'GET', requestUri: '/event-configurations' },
  input: structure({}),
  output: structure({
    eventConfigurations: member(eventConfigurations, 'The event configurations.'),
    creationDate: member(date, 'The creation date of the event configuration.'),
    lastModifiedDate: member(date, 'The date the event configurations were last modified.'),
  }),
  errors: ['InternalFailureException', 'ThrottlingException'],
  documentation:
    'Describes event configurations: for each event type, whether AWS IoT publishes its events in this account ' +
    'and region (all are disabled until enabled).',
};

export const UpdateEventConfigurations: RestOperationModel = {
  name: 'UpdateEventConfigurations',
  http: { method: 'PATCH', requestUri: '/event-configurations' },
  input: structure({
    eventConfigurations: member(eventConfigurations, 'The new event configuration values.'),
  }),
  output: structure({}),
  errors: ['InvalidRequestException', 'InternalFailureException', 'ThrottlingException'],
  documentation:
    'Updates the event configurations. Event types not named keep their setting; fleetca publishes the THING ' +
    'registry events and, with CA_CERTIFICATE, the registered events of just-in-time registration.',
};
