import type { IPublishPacket, MqttClient } from 'mqtt';
import { settled } from './eventually.js';

/**
 * The messages `client` receives until one on `marker` (a topic it subscribed to; the marker is not included).
 *
 * How a test proves that something did NOT arrive without waiting a while: the broker routes each PUBLISH, and
 * sends a new subscription's retained messages right after its SUBACK, before it reads the connection's next
 * packet, and one connection's messages reach a subscriber in order. So a marker published after the messages
 * under test — from the same connection, or once their PUBACKs came back — arrives after anything they delivered.
 */
export function receivedUntil(client: MqttClient, marker: string): Promise<IPublishPacket[]> {
  const seen: IPublishPacket[] = [];
  let onMessage: ((topic: string, payload: Buffer, packet: IPublishPacket) => void) | undefined;
  const markerArrived = new Promise<IPublishPacket[]>((resolve) => {
    onMessage = (topic, _payload, packet) => {
      if (topic !== marker) seen.push(packet);
      else resolve(seen);
    };
    client.on('message', onMessage);
  });
  return settled(`the marker on ${marker}`, markerArrived).finally(() => {
    if (onMessage) client.off('message', onMessage);
  });
}

/** The topics of `receivedUntil`. */
export async function topicsUntil(client: MqttClient, marker: string): Promise<string[]> {
  return (await receivedUntil(client, marker)).map((packet) => packet.topic);
}
