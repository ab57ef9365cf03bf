import type { ISubscribePacket, ISubscription } from 'mqtt-packet';
import type { Connection } from '../connection.js';
import type { ApplicationMessage } from '../message.js';
import { ReasonCode, SUBACK_FAILURE } from '../reason-codes.js';
import type { Subscription } from '../session.js';
import { isSharedSubscription, isValidTopicFilter } from '../topics.js';

/**
 * SUBSCRIBE, for each filter in order: shape, shared subscriptions (not offered), the authorization hook, then the
 * subscription is kept (replacing one with the same filter). SUBACK follows, then the retained messages the new
 * subscriptions match (MQTT 5 Retain Handling honoured).
 */
export function handleSubscribe(connection: Connection, packet: ISubscribePacket): void {
  const session = connection.session;
  if (!session || packet.messageId === undefined) return;
  // Subscription Identifiers Available is 0 (CONNACK).
  if (packet.properties?.subscriptionIdentifier !== undefined) {
    connection.fail(ReasonCode.SubscriptionIdentifiersNotSupported);
    return;
  }
  const codes: number[] = [];
  const retainedFor: Array<{ filter: string; qos: 0 | 1 }> = [];
  for (const request of packet.subscriptions) {
    const outcome = subscribeOne(connection, request);
    codes.push(outcome.code);
    if (outcome.sendRetained) retainedFor.push({ filter: request.topic, qos: outcome.code as 0 | 1 });
  }
  if (!connection.send({ cmd: 'suback', messageId: packet.messageId, granted: codes })) return;
  for (const { filter, qos } of retainedFor) {
    for (const message of connection.core.retainedMatching(filter, connection.namespace)) {
      const delivered: ApplicationMessage = { ...message, qos: Math.min(message.qos, qos) as 0 | 1, retain: true };
      session.deliver(delivered);
    }
  }
}

interface SubscribeOutcome {
  /** Granted QoS, or a failure code. */
  readonly code: number;
  readonly sendRetained: boolean;
}

function subscribeOne(connection: Connection, request: ISubscription): SubscribeOutcome {
  const v5 = connection.protocolVersion === 5;
  const failure = (reasonCode: number): SubscribeOutcome => ({
    code: v5 ? reasonCode : SUBACK_FAILURE,
    sendRetained: false,
  });
  const filter = request.topic;
  // 1. Shape, and no shared subscriptions.
  if (isSharedSubscription(filter)) return failure(ReasonCode.SharedSubscriptionsNotSupported);
  if (!isValidTopicFilter(filter)) return failure(ReasonCode.TopicFilterInvalid);
  // 2. The hook decides (a failing hook is a refusal).
  let verdict: number;
  try {
    verdict = connection.core.hooks.authorizeSubscribe(connection, filter, request.qos);
  } catch {
    verdict = ReasonCode.UnspecifiedError;
  }
  if (!Number.isInteger(verdict) || verdict < 0 || verdict > 0xff) verdict = ReasonCode.UnspecifiedError;
  if (verdict >= 0x80) return failure(verdict);
  // 3. Granted: at most what was asked, what the hook allows, and QoS 1.
  const qos = Math.min(verdict, request.qos, 1) as 0 | 1;
  const session = connection.session;
  if (!session) return failure(ReasonCode.UnspecifiedError);
  const existed = session.subscriptions.has(filter);
  const retainHandling = v5 ? ((request.rh ?? 0) as 0 | 1 | 2) : 0;
  const subscription: Subscription = {
    qos,
    noLocal: v5 && request.nl === true,
    retainAsPublished: v5 && request.rap === true,
    retainHandling,
  };
  connection.core.subscribe(session, filter, subscription);
  return { code: qos, sendRetained: retainHandling === 0 || (retainHandling === 1 && !existed) };
}
