import type { Scope } from '../scope.js';

/** The MQTT versions a device connection speaks, by their names (protocol levels 3, 4 and 5). */
export const MQTT_PROTOCOL_VERSIONS = ['3.1', '3.1.1', '5'] as const;
export type MqttProtocolVersion = (typeof MQTT_PROTOCOL_VERSIONS)[number];

/** The name of an MQTT protocol level, as CONNECT carries it. */
export function protocolVersionName(level: 3 | 4 | 5): MqttProtocolVersion {
  return level === 3 ? '3.1' : level === 4 ? '3.1.1' : '5';
}

/** One live, admitted device connection, as recorded when it was admitted. Dates are epoch milliseconds. */
export interface DeviceConnection {
  readonly clientId: string;
  readonly certificateId: string;
  readonly connectedAt: number;
  /** Absent when the socket no longer knew its peer at admission. */
  readonly remoteAddress?: string;
  readonly protocolVersion: MqttProtocolVersion;
  readonly cleanSession: boolean;
  /** Seconds. */
  readonly keepAlive: number;
}

/** A page of a scope's live connections, in the order they were admitted. */
export interface DeviceConnectionQuery {
  /** Only the connections of this certificate. */
  readonly certificateId?: string;
  /** Only the connections admitted after the one with this position (a previous page's `next`). */
  readonly after?: number;
  readonly limit: number;
}

export interface DeviceConnectionPage {
  readonly connections: readonly DeviceConnection[];
  /** The scope's live connections, whatever the filter. */
  readonly total: number;
  /** The position to continue after; absent when this page reached the end. */
  readonly next?: number;
}

/** The live connections of a device door, each in the account and region it was admitted into. */
export interface DeviceConnections {
  list(scope: Scope, query: DeviceConnectionQuery): DeviceConnectionPage;
}
