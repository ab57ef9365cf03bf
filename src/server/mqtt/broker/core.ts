import type { Duplex } from 'node:stream';
import type { BrokerHooks, BrokerOptions, PublishDecision } from './broker.js';
import { Connection, type WillMessage } from './connection.js';
import { type ApplicationMessage, forwardedProperties } from './message.js';
import { ReasonCode } from './reason-codes.js';
import type { BrokerRelay } from './relay.js';
import { RetainedStore } from './retained-store.js';
import { Session, type Subscription } from './session.js';
import { SubscriptionIndex } from './subscription-index.js';

/** setTimeout's longest delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The broker's state: connections, sessions by namespace and client id, the subscription index and retained messages; routing.
 * Connections and the packet handlers call into it; nothing here touches a socket.
 */
export class BrokerCore {
  /** Connections not yet terminated. */
  readonly connections = new Set<Connection>();
  /** Connections whose stream has not closed yet (a terminated one may linger while its last bytes leave). */
  readonly #streams = new Set<Connection>();
  /** The admitted connection of each client id. */
  readonly #live = new Map<string, Connection>();
  readonly #sessions = new Map<string, Session>();
  readonly #index = new SubscriptionIndex<Session, Subscription>();
  readonly #retained: RetainedStore;
  /** Local sessions subscribed to each filter of each namespace (what the relay hears of). */
  readonly #interest = new Map<string, number>();
  /** Told of clients' doings for other replicas (cluster/); none on a single node. */
  relay: BrokerRelay | undefined;
  #nextConnectionId = 0;
  /** PUBLISH packets received from clients and sent to them, for metrics. */
  readonly traffic = { received: 0, sent: 0 };
  #closing: Promise<void> | undefined;
  readonly now: () => number = Date.now;

  constructor(
    readonly hooks: BrokerHooks,
    readonly options: BrokerOptions,
  ) {
    this.#retained = new RetainedStore(options.retainedMax);
  }

  get closing(): boolean {
    return this.#closing !== undefined;
  }

  handle(stream: Duplex): Connection {
    const connection = new Connection(this, ++this.#nextConnectionId, stream);
    this.connections.add(connection);
    this.#streams.add(connection);
    void connection.closed.then(() => this.#streams.delete(connection));
    connection.start();
    // A connection arriving while the broker closes is closed (its 'close' event ends it, asynchronously).
    if (this.closing) stream.destroy();
    return connection;
  }

  /** `connection` is admitted: it becomes its client id's live connection, and any previous one is taken over. */
  takeOver(connection: Connection): void {
    const key = clientKey(connection.namespace, connection.clientId);
    const previous = this.#live.get(key);
    if (previous && previous !== connection) previous.drop(ReasonCode.SessionTakenOver);
    this.#live.set(key, connection);
    this.relay?.admitted(connection.namespace, connection.clientId, connection.id);
  }

  /** Another replica admitted `clientId` after `connectionId` here: that connection, if still live, is taken over. */
  takenOverElsewhere(namespace: string, clientId: string, connectionId: number): void {
    const live = this.#live.get(clientKey(namespace, clientId));
    if (live?.id === connectionId) live.drop(ReasonCode.SessionTakenOver);
  }

  /**
   * The connection's session: the stored one of its client id unless `cleanStart` or it was made by another owner
   * (a persistent session, with its queued messages, only ever goes back to whoever made it), else a new one.
   */
  openSession(connection: Connection, cleanStart: boolean): { readonly session: Session; readonly present: boolean } {
    const key = clientKey(connection.namespace, connection.clientId);
    let session = this.#sessions.get(key);
    if (session && (cleanStart || session.owner !== connection.owner)) {
      this.#discard(session);
      session = undefined;
    }
    if (session) {
      clearTimeout(session.expiryTimer);
      session.expiryTimer = undefined;
      return { session, present: true };
    }
    session = new Session(connection.clientId, this.now, connection.namespace, connection.owner);
    this.#sessions.set(key, session);
    return { session, present: false };
  }

  /**
   * An admitted connection ended: its session is kept for its expiry interval (or discarded at once), then its will
   * is published if `publishWill`.
   */
  release(connection: Connection, publishWill: boolean): void {
    const key = clientKey(connection.namespace, connection.clientId);
    if (this.#live.get(key) === connection) {
      this.#live.delete(key);
      this.relay?.released(connection.namespace, connection.clientId, connection.id);
    }
    const session = connection.session;
    if (session) {
      session.detach();
      const expiryMs = connection.sessionExpirySeconds * 1000;
      if (expiryMs === 0 || this.closing) this.#discard(session);
      else session.expiryTimer = setTimeout(() => this.#discard(session), Math.min(expiryMs, MAX_TIMER_MS)).unref();
    }
    const will = connection.will;
    connection.will = undefined;
    if (publishWill && will && !this.closing) this.#publishWill(connection, will, session);
  }

  /** A connection ended (admitted or not). */
  forget(connection: Connection): void {
    this.connections.delete(connection);
  }

  /** Keeps (or clears) a retained message of `namespace`; false when the store is full. */
  retain(message: ApplicationMessage, namespace: string): boolean {
    if (!this.#retained.set(message, namespace)) return false;
    this.relay?.retained(namespace, message);
    return true;
  }

  /** Keeps (or clears) a retained message another replica set; false when the store is full. */
  retainLocally(message: ApplicationMessage, namespace: string): boolean {
    return this.#retained.set(message, namespace);
  }

  retainedMatching(filter: string, namespace: string): ApplicationMessage[] {
    return this.#retained.matching(filter, namespace, this.now());
  }

  /** Routes a client's message (or will) locally, and tells the relay. */
  route(message: ApplicationMessage, from: Session | undefined, namespace: string): number {
    const sessions = this.routeLocally(message, from, namespace);
    this.relay?.routed(namespace, message);
    return sessions;
  }

  /**
   * Delivers `message` to every session with a matching subscription, once per session at the highest QoS of its
   * matching subscriptions (capped by the message's). `from`: the publisher's session, for No Local.
   * Returns the number of sessions it went to.
   */
  routeLocally(message: ApplicationMessage, from: Session | undefined, namespace: string): number {
    const targets = new Map<Session, { qos: 0 | 1; retain: boolean }>();
    this.#index.match(message.topic, (session, subscription) => {
      if (session.namespace !== namespace) return;
      if (subscription.noLocal && session === from) return;
      const qos = Math.min(message.qos, subscription.qos) as 0 | 1;
      const retain = subscription.retainAsPublished && message.retain;
      const previous = targets.get(session);
      targets.set(
        session,
        previous ? { qos: Math.max(previous.qos, qos) as 0 | 1, retain: previous.retain || retain } : { qos, retain },
      );
    });
    for (const [session, { qos, retain }] of targets) {
      session.deliver(qos === message.qos && retain === message.retain ? message : { ...message, qos, retain });
    }
    return targets.size;
  }

  subscribe(session: Session, filter: string, subscription: Subscription): void {
    const replacing = session.subscriptions.has(filter);
    session.subscriptions.set(filter, subscription);
    this.#index.add(filter, session, subscription);
    if (!replacing) this.#countInterest(session.namespace, filter, +1);
  }

  /** False when the session had no such subscription. */
  unsubscribe(session: Session, filter: string): boolean {
    if (!session.subscriptions.delete(filter)) return false;
    this.#index.remove(filter, session);
    this.#countInterest(session.namespace, filter, -1);
    return true;
  }

  /** The filters local sessions subscribe to, per namespace (for a relay that starts late). */
  interests(): Array<{ readonly namespace: string; readonly filter: string }> {
    return [...this.#interest.keys()].map((key) => {
      const [namespace, filter] = key.split('\u0000') as [string, string];
      return { namespace, filter };
    });
  }

  #countInterest(namespace: string, filter: string, change: 1 | -1): void {
    const key = clientKey(namespace, filter);
    const count = (this.#interest.get(key) ?? 0) + change;
    if (count > 0) this.#interest.set(key, count);
    else this.#interest.delete(key);
    if (change > 0 && count === 1) this.relay?.interestAdded(namespace, filter);
    if (change < 0 && count === 0) this.relay?.interestRemoved(namespace, filter);
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    for (const connection of [...this.connections]) connection.drop(ReasonCode.ServerShuttingDown);
    await Promise.all([...this.#streams].map((connection) => connection.closed));
    for (const session of [...this.#sessions.values()]) this.#discard(session);
    this.#retained.clear();
  }

  #publishWill(connection: Connection, will: WillMessage, session: Session | undefined): void {
    let decision: PublishDecision;
    try {
      decision = this.hooks.authorizePublish(connection, will);
    } catch {
      return;
    }
    if (decision !== 'route') return;
    const message: ApplicationMessage = {
      topic: will.topic,
      payload: will.payload,
      qos: will.qos,
      retain: will.retain,
      properties: forwardedProperties(will.properties),
      receivedAt: this.now(),
    };
    if (message.retain) this.retain(message, connection.namespace);
    this.route(message, session, connection.namespace);
  }

  #discard(session: Session): void {
    clearTimeout(session.expiryTimer);
    session.expiryTimer = undefined;
    for (const filter of session.subscriptions.keys()) {
      this.#index.remove(filter, session);
      this.#countInterest(session.namespace, filter, -1);
    }
    session.subscriptions.clear();
    const key = clientKey(session.namespace, session.clientId);
    if (this.#sessions.get(key) === session) this.#sessions.delete(key);
  }
}

/** Client ids (and filters) are unique within a namespace only; neither contains U+0000. */
function clientKey(namespace: string, clientId: string): string {
  return `${namespace}\u0000${clientId}`;
}
