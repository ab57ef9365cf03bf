import { type ApplicationMessage, isExpired } from './message.js';

/** A granted subscription. */
export interface Subscription {
  readonly qos: 0 | 1;
  /** MQTT 5 No Local: not sent the client's own messages. */
  readonly noLocal: boolean;
  /** MQTT 5 Retain As Published: the retain flag of routed messages is kept. */
  readonly retainAsPublished: boolean;
  /** MQTT 5 Retain Handling: 0 send retained on subscribe, 1 only if new, 2 never. */
  readonly retainHandling: 0 | 1 | 2;
}

/** What became of a PUBLISH handed to the connection. */
export type SendOutcome = 'sent' | 'skipped' | 'closed';

/** The connection a session is attached to, as the session sends through it. */
export interface SessionLink {
  /** QoS 1 messages that may await PUBACK at once. */
  readonly inflightLimit: number;
  /** The connection's outgoing buffer is full: QoS 0 messages are dropped rather than buffered. */
  readonly congested: boolean;
  /** `skipped`: the message cannot be sent on this connection (expired, too large for the client): it is dropped. */
  sendPublish(message: ApplicationMessage, packetId: number | undefined, dup: boolean): SendOutcome;
}

/** Most QoS 1 messages a session queues (beyond the inflight window, or while disconnected). */
export const SESSION_QUEUE_LIMIT = 1000;

/**
 * A client's session (MQTT 3.1.1 §4.1): its subscriptions and its outgoing QoS 1 messages, those sent and not yet
 * acknowledged (resent with DUP on resumption) and those queued. QoS 0 messages are never stored.
 */
export class Session {
  readonly subscriptions = new Map<string, Subscription>();
  readonly #inflight = new Map<number, ApplicationMessage>();
  readonly #queue: ApplicationMessage[] = [];
  #nextPacketId = 1;
  #link: SessionLink | undefined;
  expiryTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly clientId: string,
    private readonly now: () => number,
    /** The namespace and owner of the connection that made it (see Admission). */
    readonly namespace = '',
    readonly owner = '',
  ) {}

  get attached(): boolean {
    return this.#link !== undefined;
  }

  /** Sends (or queues) one message for this session; false when it was dropped. */
  deliver(message: ApplicationMessage): boolean {
    const link = this.#link;
    if (message.qos === 0) {
      if (!link || link.congested) return false;
      return link.sendPublish(message, undefined, false) === 'sent';
    }
    if (link && this.#queue.length === 0 && this.#inflight.size < link.inflightLimit) {
      return this.#send(link, message) !== 'closed';
    }
    if (this.#queue.length >= SESSION_QUEUE_LIMIT) return false;
    this.#queue.push(message);
    return true;
  }

  /** A PUBACK arrived. */
  acknowledge(packetId: number): void {
    if (this.#inflight.delete(packetId)) this.#flush();
  }

  /** The session continues on `link`: unacknowledged messages are sent again (DUP), then the queue. */
  attach(link: SessionLink): void {
    this.#link = link;
    for (const [packetId, message] of this.#inflight) {
      if (link.sendPublish(message, packetId, true) === 'skipped') this.#inflight.delete(packetId);
    }
    this.#flush();
  }

  detach(): void {
    this.#link = undefined;
  }

  get queuedCount(): number {
    return this.#queue.length + this.#inflight.size;
  }

  #flush(): void {
    const link = this.#link;
    if (!link) return;
    while (this.#queue.length > 0 && this.#inflight.size < link.inflightLimit) {
      const message = this.#queue.shift() as ApplicationMessage;
      if (isExpired(message, this.now())) continue;
      if (this.#send(link, message) === 'closed') return;
    }
  }

  #send(link: SessionLink, message: ApplicationMessage): SendOutcome {
    const packetId = this.#allocatePacketId();
    this.#inflight.set(packetId, message);
    const outcome = link.sendPublish(message, packetId, false);
    // A message that cannot be sent to this client is dropped; one that met a closing connection stays for resending.
    if (outcome === 'skipped') this.#inflight.delete(packetId);
    return outcome;
  }

  #allocatePacketId(): number {
    // The inflight window is far below 65535, so a free identifier is always found.
    while (this.#inflight.has(this.#nextPacketId)) this.#nextPacketId = (this.#nextPacketId % 0xffff) + 1;
    const packetId = this.#nextPacketId;
    this.#nextPacketId = (this.#nextPacketId % 0xffff) + 1;
    return packetId;
  }
}
