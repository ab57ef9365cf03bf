import { randomUUID } from 'node:crypto';
import type { IConnectPacket } from 'mqtt-packet';
import type { Admission, ConnectInfo } from '../broker.js';
import type { Connection } from '../connection.js';
import { ReasonCode, ReturnCode } from '../reason-codes.js';
import { isValidTopicName } from '../topics.js';
import { acceptance, type Negotiated, refuse } from './connack.js';

/**
 * The longest keep alive (seconds), as on AWS IoT Core. A client asking for more, or for none (0), gets this one:
 * MQTT 5 is told so (Server Keep Alive); MQTT 3 cannot be told, and is held to it all the same. Shorter values are
 * kept as asked (AWS raises values under 30 s to 30 s; the broker does not: that only delays detecting a dead
 * client, and short keep alives stay testable).
 */
export const KEEP_ALIVE_MAX_SECONDS = 1200;

/** The keep alive (seconds) a client asking for `requested` is held to (see KEEP_ALIVE_MAX_SECONDS). */
export function heldKeepAlive(requested: number): number {
  return requested === 0 || requested > KEEP_ALIVE_MAX_SECONDS ? KEEP_ALIVE_MAX_SECONDS : requested;
}

/**
 * CONNECT, in order: protocol name and level, authentication method, client identifier, will, negotiated values,
 * then the admission hook (later packets wait). Once admitted: takeover of a live connection with the same client
 * id, the session (resumed or new), CONNACK.
 */
export function handleConnect(connection: Connection, packet: IConnectPacket): void {
  const version = packet.protocolVersion ?? 4;
  connection.protocolVersion = version;
  connection.state = 'admitting';
  const cleanStart = packet.clean ?? true;

  // 1. The protocol name goes with the level: MQIsdp with 3 (MQTT 3.1), MQTT with 4 and 5.
  if (packet.protocolId !== (version === 3 ? 'MQIsdp' : 'MQTT')) {
    refuse(connection, ReturnCode.UnacceptableProtocolVersion, ReasonCode.UnsupportedProtocolVersion);
    return;
  }
  // 2. No enhanced authentication (MQTT 5 AUTH): clients are known by their TLS certificate.
  if (version === 5 && packet.properties?.authenticationMethod !== undefined) {
    refuse(connection, undefined, ReasonCode.BadAuthenticationMethod);
    return;
  }
  // 3. An empty client identifier is given one, for a clean start only (MQTT 3.1 requires one).
  let assignedClientId: string | undefined;
  if (packet.clientId === '') {
    if (version === 3 || !cleanStart) {
      refuse(connection, ReturnCode.IdentifierRejected, ReasonCode.ClientIdentifierNotValid);
      return;
    }
    assignedClientId = `fleetca-${randomUUID()}`;
  }
  connection.clientId = assignedClientId ?? packet.clientId;
  // 4. The will: a valid topic name, QoS 0 or 1 (MQTT 3 has no return code for either: closed without CONNACK).
  const will = packet.will;
  if (will) {
    if (!isValidTopicName(will.topic)) {
      refuse(connection, undefined, ReasonCode.TopicNameInvalid);
      return;
    }
    if ((will.qos ?? 0) > 1) {
      refuse(connection, undefined, ReasonCode.QosNotSupported);
      return;
    }
    connection.will = {
      topic: will.topic,
      payload: Buffer.isBuffer(will.payload) ? will.payload : Buffer.from(will.payload),
      qos: (will.qos ?? 0) as 0 | 1,
      retain: will.retain ?? false,
      properties: will.properties,
    };
  }
  // 5. Negotiated values.
  const negotiated = negotiate(connection, packet);
  if (!negotiated) {
    refuse(connection, undefined, ReasonCode.ProtocolError);
    return;
  }
  // 6. Admission.
  const info: ConnectInfo = {
    clientId: connection.clientId,
    protocolVersion: version,
    cleanStart,
    keepAlive: negotiated.requestedKeepAlive,
    hasWill: connection.will !== undefined,
    persistentSession: negotiated.requestedSessionExpiry > 0,
    ...(packet.username !== undefined ? { username: packet.username } : {}),
  };
  admit(connection, info, negotiated);
}

/**
 * Keep alive (see KEEP_ALIVE_MAX_SECONDS); session expiry (MQTT 3: a persistent session lasts the longest expiry,
 * a clean one ends with the connection; MQTT 5: as asked, capped); the MQTT 5 client's own receive maximum and
 * packet size. Undefined when the client's values are a protocol error (0 for either).
 */
function negotiate(connection: Connection, packet: IConnectPacket): Negotiated | undefined {
  const requestedKeepAlive = packet.keepalive ?? 0;
  const keepAlive = heldKeepAlive(requestedKeepAlive);
  const v5 = connection.protocolVersion === 5;
  const cleanStart = packet.clean ?? true;
  const requestedSessionExpiry = v5 ? (packet.properties?.sessionExpiryInterval ?? 0) : cleanStart ? 0 : Infinity;
  connection.requestedSessionExpirySeconds = requestedSessionExpiry;
  connection.sessionExpirySeconds = Math.min(requestedSessionExpiry, connection.core.options.sessionExpiryMaxSeconds);
  if (v5) {
    const { receiveMaximum, maximumPacketSize } = packet.properties ?? {};
    if (receiveMaximum === 0 || maximumPacketSize === 0) return undefined;
    if (receiveMaximum !== undefined) connection.receiveMaximum = receiveMaximum;
    if (maximumPacketSize !== undefined) connection.maximumPacketSize = maximumPacketSize;
  }
  const assignedClientId = connection.clientId !== packet.clientId ? connection.clientId : undefined;
  return { keepAlive, requestedKeepAlive, requestedSessionExpiry, ...(assignedClientId ? { assignedClientId } : {}) };
}

/**
 * The admission hook decides while the connection stops reading. Admitted: a live connection with the same client
 * id is taken over, the session opened (a clean start discards a stored one), CONNACK sent. A rejected promise is
 * "server unavailable". The connection may have ended meanwhile (connect timeout, client gone, broker closing):
 * then the verdict is ignored.
 */
function admit(connection: Connection, info: ConnectInfo, negotiated: Negotiated): void {
  connection.pauseReading();
  let admission: Promise<Admission>;
  try {
    admission = Promise.resolve(connection.core.hooks.admit(connection, info));
  } catch (err) {
    admission = Promise.reject(err);
  }
  admission
    .then(
      (verdict) => {
        if (connection.state !== 'admitting') return;
        if (!verdict.admitted) {
          if (verdict.answer === 'connack') refuse(connection, ReturnCode.NotAuthorized, ReasonCode.NotAuthorized);
          else connection.terminate({ will: false, reason: 'refused' });
          return;
        }
        connection.namespace = verdict.namespace;
        connection.owner = verdict.owner;
        connection.core.takeOver(connection);
        const { session, present } = connection.core.openSession(connection, info.cleanStart);
        connection.open(session, acceptance(connection, present, negotiated), negotiated.keepAlive);
      },
      () => {
        if (connection.state === 'admitting') {
          refuse(connection, ReturnCode.ServerUnavailable, ReasonCode.ServerUnavailable);
        }
      },
    )
    .catch(() => connection.fail(ReasonCode.ImplementationSpecificError));
}
