import type { IConnackPacket } from 'mqtt-packet';
import type { Connection } from '../connection.js';
import { ReasonCode, ReturnCode } from '../reason-codes.js';

/** QoS 1 PUBLISH packets a client may have unacknowledged towards the broker (advertised to MQTT 5 clients). */
export const RECEIVE_MAXIMUM = 100;

/** What CONNECT negotiated, as CONNACK reports it. */
export interface Negotiated {
  readonly keepAlive: number;
  readonly requestedKeepAlive: number;
  readonly requestedSessionExpiry: number;
  /** The client identifier the broker assigned, if the client sent none. */
  readonly assignedClientId?: string;
}

/**
 * The accepting CONNACK. MQTT 5 is told the broker's limits: QoS 1 at most, retained messages and wildcards
 * available, no subscription identifiers, shared subscriptions or topic aliases, the packet size and receive
 * maximum; and whatever differs from its request (keep alive, session expiry, client identifier).
 */
export function acceptance(connection: Connection, sessionPresent: boolean, negotiated: Negotiated): IConnackPacket {
  if (connection.protocolVersion !== 5) return { cmd: 'connack', sessionPresent, returnCode: ReturnCode.Accepted };
  const expiry = connection.sessionExpirySeconds;
  return {
    cmd: 'connack',
    sessionPresent,
    reasonCode: ReasonCode.Success,
    properties: {
      maximumQoS: 1,
      retainAvailable: true,
      wildcardSubscriptionAvailable: true,
      subscriptionIdentifiersAvailable: false,
      sharedSubscriptionAvailable: false,
      topicAliasMaximum: 0,
      maximumPacketSize: connection.core.options.maxPacketBytes,
      receiveMaximum: RECEIVE_MAXIMUM,
      ...(negotiated.keepAlive !== negotiated.requestedKeepAlive ? { serverKeepAlive: negotiated.keepAlive } : {}),
      ...(expiry !== negotiated.requestedSessionExpiry ? { sessionExpiryInterval: expiry } : {}),
      ...(negotiated.assignedClientId !== undefined ? { assignedClientIdentifier: negotiated.assignedClientId } : {}),
    },
  };
}

/**
 * Refuses the connection: CONNACK with MQTT 5's `reasonCode` or MQTT 3's `returnCode` (undefined: MQTT 3 has
 * none for this case, the connection is closed without CONNACK), then close.
 */
export function refuse(connection: Connection, returnCode: number | undefined, reasonCode: number): void {
  const farewell: IConnackPacket | undefined =
    connection.protocolVersion === 5
      ? { cmd: 'connack', sessionPresent: false, reasonCode }
      : returnCode !== undefined
        ? { cmd: 'connack', sessionPresent: false, returnCode }
        : undefined;
  connection.terminate({ will: false, farewell, reason: 'refused' });
}
