import type { IPublishPacket } from 'mqtt-packet';
import type { PublishDecision, PublishRequest } from '../broker.js';
import type { Connection } from '../connection.js';
import { type ApplicationMessage, forwardedProperties } from '../message.js';
import { ReasonCode } from '../reason-codes.js';
import { isValidTopicName } from '../topics.js';

/**
 * An inbound PUBLISH, in order: QoS (0 and 1 only), topic alias (none accepted), topic name, the authorization hook;
 * then routed (and retained), consumed, or denied; PUBACK for QoS 1 after routing. A refusal is MQTT 5 PUBACK with
 * its reason code (QoS 1) or nothing (QoS 0); MQTT 3 cannot say why, so its connection is closed (as AWS IoT does).
 */
export function handlePublish(connection: Connection, packet: IPublishPacket): void {
  connection.core.traffic.received++;
  // 1–3. The packet itself.
  const violation = violationOf(packet);
  if (violation !== undefined) {
    connection.fail(violation);
    return;
  }
  // 4. The hook decides.
  const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
  const request: PublishRequest = {
    topic: packet.topic,
    payload,
    qos: packet.qos,
    retain: packet.retain,
    ...(packet.properties ? { properties: packet.properties } : {}),
  };
  let decision: PublishDecision | 'failed';
  try {
    decision = connection.core.hooks.authorizePublish(connection, request);
  } catch {
    decision = 'failed';
  }
  // 5. Its outcome, then the answer.
  const reasonCode = carryOut(connection, packet, payload, decision);
  if (reasonCode >= 0x80 && connection.protocolVersion !== 5) {
    connection.fail(reasonCode);
    return;
  }
  if (packet.qos === 1 && packet.messageId !== undefined) {
    connection.send({ cmd: 'puback', messageId: packet.messageId, reasonCode });
  }
}

/**
 * QoS 2 is not supported (AWS IoT Core): 0x9B. The broker's Topic Alias Maximum is 0, so any alias is invalid:
 * 0x94. Clients never send subscription identifiers, nor an empty topic without an alias: 0x82. Wildcards: 0x90.
 */
function violationOf(packet: IPublishPacket): number | undefined {
  if (packet.qos === 2) return ReasonCode.QosNotSupported;
  if (packet.properties?.topicAlias !== undefined) return ReasonCode.TopicAliasInvalid;
  if (packet.properties?.subscriptionIdentifier !== undefined) return ReasonCode.ProtocolError;
  if (packet.topic === '') return ReasonCode.ProtocolError;
  if (!isValidTopicName(packet.topic)) return ReasonCode.TopicNameInvalid;
  return undefined;
}

/** Routes (and retains), or not, as decided; the reason code for PUBACK. */
function carryOut(
  connection: Connection,
  packet: IPublishPacket,
  payload: Buffer,
  decision: PublishDecision | 'failed',
): number {
  switch (decision) {
    case 'route': {
      const message: ApplicationMessage = {
        topic: packet.topic,
        payload,
        qos: packet.qos as 0 | 1,
        retain: packet.retain,
        properties: forwardedProperties(packet.properties),
        receivedAt: connection.core.now(),
      };
      // A full retained store refuses the message (MQTT 5 can say so); MQTT 3 cannot, so it is routed unretained.
      if (
        message.retain &&
        !connection.core.retain(message, connection.namespace) &&
        connection.protocolVersion === 5
      ) {
        return ReasonCode.QuotaExceeded;
      }
      connection.core.route(message, connection.session, connection.namespace);
      return ReasonCode.Success;
    }
    case 'consume':
      return ReasonCode.Success;
    case 'deny':
      return ReasonCode.NotAuthorized;
    default:
      return ReasonCode.UnspecifiedError;
  }
}
