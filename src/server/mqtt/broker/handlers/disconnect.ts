import type { IDisconnectPacket } from 'mqtt-packet';
import type { Connection } from '../connection.js';
import { ReasonCode } from '../reason-codes.js';

/**
 * DISCONNECT from the client: the connection closes without its will, unless an MQTT 5 reason code other than 0x00
 * says otherwise (0x04 "disconnect with will message", or an error: MQTT 5 §3.14.4). MQTT 5 may change the session
 * expiry here, but not from 0 to more (a protocol error).
 */
export function handleDisconnect(connection: Connection, packet: IDisconnectPacket): void {
  if (connection.protocolVersion === 5) {
    const expiry = packet.properties?.sessionExpiryInterval;
    if (expiry !== undefined) {
      if (connection.requestedSessionExpirySeconds === 0 && expiry > 0) {
        connection.fail(ReasonCode.ProtocolError);
        return;
      }
      connection.sessionExpirySeconds = Math.min(expiry, connection.core.options.sessionExpiryMaxSeconds);
    }
  }
  const withWill = connection.protocolVersion === 5 && (packet.reasonCode ?? ReasonCode.Success) !== ReasonCode.Success;
  connection.terminate({ will: withWill, reason: 'client-disconnect' });
}
