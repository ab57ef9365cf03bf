import type { IUnsubscribePacket } from 'mqtt-packet';
import type { Connection } from '../connection.js';
import { ReasonCode } from '../reason-codes.js';

/** UNSUBSCRIBE → UNSUBACK; MQTT 5 says per filter whether there was such a subscription (0x00 / 0x11). */
export function handleUnsubscribe(connection: Connection, packet: IUnsubscribePacket): void {
  const session = connection.session;
  if (!session || packet.messageId === undefined) return;
  const codes = packet.unsubscriptions.map((filter) =>
    connection.core.unsubscribe(session, filter) ? ReasonCode.Success : ReasonCode.NoSubscriptionExisted,
  );
  connection.send({ cmd: 'unsuback', messageId: packet.messageId, granted: codes });
}
