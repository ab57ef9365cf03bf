import type { IPubackPacket } from 'mqtt-packet';
import type { Connection } from '../connection.js';

/** PUBACK: the QoS 1 message with this identifier is delivered; the next queued one may go. */
export function handlePuback(connection: Connection, packet: IPubackPacket): void {
  if (packet.messageId !== undefined) connection.session?.acknowledge(packet.messageId);
}
