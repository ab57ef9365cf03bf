import type { DeviceConnections } from '../../domain/devices/device-connection.js';
import { serviceErrors } from '../../errors.js';
import { ListDeviceConnections } from '../../model/fleet-devices.js';
import { EXAMPLE_CERTIFICATE_ID } from '../cli-example-values.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';

export interface ListDeviceConnectionsInput {
  readonly certificateId?: string;
  readonly pageSize?: number;
  readonly marker?: string;
}

const DEFAULT_PAGE_SIZE = 50;
/** A marker is the admission position of a page's last connection, opaque to the client (the model's base64). */
const MARKER = /^d1:(\d{1,15})$/;

export const listDeviceConnections = defineOperation({
  model: ListDeviceConnections,
  run,
  cli: {
    examples: [
      {
        title: 'To list the devices connected to a server',
        description:
          'Asks a running fleetca serve (its REST URL) for the devices connected to its device endpoint in your ' +
          'account and region, oldest connection first.',
        command: 'fleetca fleet list-device-connections --endpoint-url http://127.0.0.1:8080',
      },
      {
        title: 'To see whether one device is connected',
        description: 'Lists only the connections made with one certificate, as client id and address.',
        command:
          `fleetca fleet list-device-connections --endpoint-url http://127.0.0.1:8080 --certificate-id ${EXAMPLE_CERTIFICATE_ID} ` +
          "--query 'connections[].[clientId,remoteAddress]' --output text",
      },
    ],
  },
});

async function run(input: ListDeviceConnectionsInput, ctx: OperationContext) {
  const page = deviceConnectionsOf(ctx).list(ctx.scope, {
    certificateId: input.certificateId,
    after: input.marker === undefined ? undefined : positionOf(input.marker),
    limit: input.pageSize ?? DEFAULT_PAGE_SIZE,
  });
  return {
    connections: page.connections,
    total: page.total,
    ...(page.next !== undefined && { nextMarker: Buffer.from(`d1:${page.next}`, 'utf8').toString('base64') }),
  };
}

/** The serving process's live connections; a process without a device door has none to list, and says why. */
function deviceConnectionsOf(ctx: OperationContext): DeviceConnections {
  if (ctx.deviceConnections === undefined) {
    throw serviceErrors.invalidRequest(
      'Device connections are known only to a running fleetca serve with its device endpoint: ' +
        'ask it with --endpoint-url and its REST URL.',
    );
  }
  if (ctx.deviceConnections === null) {
    throw serviceErrors.invalidRequest(
      'The device endpoint is not enabled on this server (fleetca serve --no-mqtt): no devices connect to it.',
    );
  }
  return ctx.deviceConnections;
}

function positionOf(marker: string): number {
  const match = MARKER.exec(Buffer.from(marker, 'base64').toString('utf8'));
  if (!match?.[1]) throw serviceErrors.invalidRequest(`The marker is not valid: ${marker}`);
  return Number(match[1]);
}
