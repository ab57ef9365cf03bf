import type { IPublishPacket } from 'mqtt-packet';

export type PublishProperties = NonNullable<IPublishPacket['properties']>;

/** The MQTT 5 properties a broker forwards with an application message (MQTT 5 §3.3.2.3). */
export type ForwardedProperties = Pick<
  PublishProperties,
  | 'payloadFormatIndicator'
  | 'messageExpiryInterval'
  | 'contentType'
  | 'responseTopic'
  | 'correlationData'
  | 'userProperties'
>;

/** An application message as the broker holds it: routed, queued for a session or retained. */
export interface ApplicationMessage {
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: 0 | 1;
  readonly retain: boolean;
  readonly properties?: ForwardedProperties;
  /** Epoch ms at which the broker received it (for the message expiry interval). */
  readonly receivedAt: number;
}

/**
 * The forwarded subset of a PUBLISH's (or a will's) properties; the topic alias, subscription identifiers and will
 * delay stay behind.
 */
export function forwardedProperties(properties: ForwardedProperties | undefined): ForwardedProperties | undefined {
  if (!properties) return undefined;
  const forwarded: ForwardedProperties = {};
  if (properties.payloadFormatIndicator !== undefined)
    forwarded.payloadFormatIndicator = properties.payloadFormatIndicator;
  if (properties.messageExpiryInterval !== undefined)
    forwarded.messageExpiryInterval = properties.messageExpiryInterval;
  if (properties.contentType !== undefined) forwarded.contentType = properties.contentType;
  if (properties.responseTopic !== undefined) forwarded.responseTopic = properties.responseTopic;
  if (properties.correlationData !== undefined) forwarded.correlationData = properties.correlationData;
  if (properties.userProperties !== undefined) forwarded.userProperties = properties.userProperties;
  return Object.keys(forwarded).length > 0 ? forwarded : undefined;
}

/**
 * The properties to send with `message` now: the message expiry interval counts down while the broker holds the
 * message (MQTT 5 §3.3.2.3.3). `expired` when it ran out: the message must no longer be delivered.
 */
export function outgoingProperties(
  message: ApplicationMessage,
  now: number,
): ForwardedProperties | undefined | 'expired' {
  const properties = message.properties;
  if (properties?.messageExpiryInterval === undefined) return properties;
  const remaining = properties.messageExpiryInterval - Math.floor((now - message.receivedAt) / 1000);
  if (remaining <= 0) return 'expired';
  return { ...properties, messageExpiryInterval: remaining };
}

export function isExpired(message: ApplicationMessage, now: number): boolean {
  return outgoingProperties(message, now) === 'expired';
}
