import type { Duplex } from 'node:stream';
import { BrokerCore } from './core.js';
import type { ApplicationMessage } from './message.js';
import type { BrokerRelay } from './relay.js';

/** A CONNECT as the admission hook sees it. */
export interface ConnectInfo {
  readonly clientId: string;
  readonly protocolVersion: 3 | 4 | 5;
  readonly cleanStart: boolean;
  /** The keep alive the client asked for (seconds); the broker may use another (see handlers/connect.ts). */
  readonly keepAlive: number;
  readonly username?: string;
  /** The CONNECT carried a will. */
  readonly hasWill: boolean;
  /** The session outlives the connection (MQTT 3 clean session 0, MQTT 5 a session expiry above 0). */
  readonly persistentSession: boolean;
}

/**
 * The admission hook's verdict. `connack`: a CONNACK refusal (MQTT 3 return code 5, MQTT 5 reason 0x87 not
 * authorized); `close`: the connection is closed without CONNACK.
 */
export type Admission =
  | {
      readonly admitted: true;
      /**
       * The topic space the connection lives in (fleetca: its account and region, as AWS IoT has one broker per
       * account and region): routing, retained messages, sessions and client ids never cross namespaces.
       */
      readonly namespace: string;
      /** Who may resume the client id's persistent session: a session made by another owner is discarded. */
      readonly owner: string;
    }
  | { readonly admitted: false; readonly answer: 'close' | 'connack' };

/** An inbound PUBLISH (or a will being published) as the authorization hook sees it. */
export interface PublishRequest {
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: 0 | 1 | 2;
  readonly retain: boolean;
  /** MQTT 5 properties, as received. */
  readonly properties?: object;
}

/**
 * `route`: deliver through the broker; `consume`: the hook handled it, acknowledge (PUBACK) but do not route or
 * retain; `deny`: MQTT 5 PUBACK 0x87 (QoS 1) or drop (QoS 0), MQTT 3 close the connection (AWS IoT behaviour).
 */
export type PublishDecision = 'route' | 'consume' | 'deny';

export interface BrokerHooks {
  /** A rejection of the promise means the server is unavailable (MQTT 3 return code 3, MQTT 5 0x88). */
  admit(connection: BrokerConnection, connect: ConnectInfo): Promise<Admission>;
  /** Called for every inbound PUBLISH, and for wills when they are published. */
  authorizePublish(connection: BrokerConnection, publish: PublishRequest): PublishDecision;
  /** The granted QoS (0/1) or a failure code (>= 0x80; MQTT 5 reason codes such as 0x87 become 0x80 for MQTT 3). */
  authorizeSubscribe(connection: BrokerConnection, filter: string, requestedQos: number): number;
  /**
   * Called before each PUBLISH is sent to the connection (routed, retained, queued or resent): false drops the message
   * for this connection only (AWS IoT's iot:Receive, checked per delivery). Absent: every delivery is allowed.
   */
  authorizeReceive?(connection: BrokerConnection, topic: string): boolean;
  /** After any close, admitted or not; once per connection, with why it ended. */
  closed(connection: BrokerConnection, reason: CloseReason): void;
  /**
   * The connection sent a malformed packet (invalid UTF-8 included) and is being closed: `reason` names the rule
   * broken, never the bytes. At most once per connection, before `closed`.
   */
  malformed?(connection: BrokerConnection, reason: string): void;
}

/**
 * Why a connection ended: `client-disconnect` it sent DISCONNECT; `connection-lost` its stream ended or failed first;
 * `keep-alive-timeout` nothing for 1.5 × its keep alive; `taken-over` another connection took its client id;
 * `not-authorized` a hook refused it (a drop with 0x87, a PUBLISH refused on MQTT 3); `dropped` another drop;
 * `client-error` a malformed packet or protocol violation; `server-error` the broker failed; `server-shutdown` the
 * broker is closing; `connect-timeout` no CONNECT (or admission) in time; `refused` its CONNECT was refused.
 */
export type CloseReason =
  | 'client-disconnect'
  | 'connection-lost'
  | 'keep-alive-timeout'
  | 'taken-over'
  | 'not-authorized'
  | 'dropped'
  | 'client-error'
  | 'server-error'
  | 'server-shutdown'
  | 'connect-timeout'
  | 'refused';

export interface BrokerConnection {
  /** Unique within the broker. */
  readonly id: number;
  /** Empty until CONNECT; the assigned identifier when the client sent none. */
  readonly clientId: string;
  readonly protocolVersion: 3 | 4 | 5;
  /** The namespace its admission gave it; empty before. */
  readonly namespace: string;
  /** Admitted and not closed: false for a will published as the connection ends. */
  readonly isOpen: boolean;
  /** Whether the connection was admitted (stays true after it closed). */
  readonly admitted: boolean;
  /**
   * Sends to this connection only, if it has a subscription matching `topic` (QoS = min(requested,
   * subscription's)); false if not delivered (no such subscription, not open, or QoS 0 on a congested socket).
   */
  deliver(topic: string, payload: Buffer, qos: 0 | 1): boolean;
  /**
   * Ends the connection: with a reason code, MQTT 5 first sends DISCONNECT with it (e.g. 0x87 not authorized, 0x8B
   * server shutting down, 0x8E session taken over); MQTT 3 (or no reason code) just closes. The will is published.
   */
  drop(reasonCode?: number): void;
}

export interface BrokerOptions {
  /** CONNECT must arrive, and admission complete, within this time. */
  readonly connectTimeoutMs: number;
  /** Largest packet accepted (advertised in MQTT 5 CONNACK); a larger one ends the connection. */
  readonly maxPacketBytes: number;
  /** QoS 1 messages sent to one connection and not yet acknowledged; more wait in the session's queue. */
  readonly maxInflight: number;
  /** Longest session expiry (AWS: 3600); MQTT 3 persistent sessions get exactly this. */
  readonly sessionExpiryMaxSeconds: number;
  /** Most retained messages (topics) kept. */
  readonly retainedMax: number;
}

/**
 * fleetca's MQTT broker (MQTT 3.1, 3.1.1 and 5) with AWS IoT Core's semantics: QoS 0 and 1, retained messages,
 * persistent sessions, wills, client-id takeover; every admission and authorization decision is the hooks'.
 * It serves any duplex stream (the device endpoint hands it TLS connections).
 */
export class Broker {
  readonly #core: BrokerCore;

  constructor(hooks: BrokerHooks, options: BrokerOptions) {
    this.#core = new BrokerCore(hooks, options);
  }

  handle(stream: Duplex): BrokerConnection {
    return this.#core.handle(stream);
  }

  /** Connections not yet closed, admitted or not. */
  get connectionCount(): number {
    return this.#core.connections.size;
  }

  /** PUBLISH packets received from clients and sent to them since the broker started. */
  get traffic(): { readonly received: number; readonly sent: number } {
    return { ...this.#core.traffic };
  }

  /**
   * Publishes a message of the server's own (an event) to the subscribers of `namespace`, as a client's PUBLISH would
   * be routed: each delivery passes `authorizeReceive`. Never retained. Returns the sessions it went to.
   */
  publish(namespace: string, topic: string, payload: Buffer, qos: 0 | 1): number {
    const message = { topic, payload, qos, retain: false, receivedAt: this.#core.now() };
    return this.#core.routeLocally(message, undefined, namespace);
  }

  // --- replicas (cluster/): the relay hears of clients' doings; what other replicas did comes back in here ---

  /** From now on `relay` is told of local clients' messages, subscriptions, retained messages and admissions. */
  relayThrough(relay: BrokerRelay): void {
    this.#core.relay = relay;
  }

  /** The filters local sessions subscribe to, per namespace. */
  interests(): Array<{ readonly namespace: string; readonly filter: string }> {
    return this.#core.interests();
  }

  /** A message a client published on another replica: routed here only (each delivery passes authorizeReceive). */
  routeFromReplica(namespace: string, message: ApplicationMessage): number {
    return this.#core.routeLocally(message, undefined, namespace);
  }

  /** A retained message set (or cleared) on another replica; false when the store is full. */
  retainFromReplica(namespace: string, message: ApplicationMessage): boolean {
    return this.#core.retainLocally(message, namespace);
  }

  /** Another replica admitted `clientId` later than connection `connectionId` here: it is taken over (0x8E). */
  takenOverElsewhere(namespace: string, clientId: string, connectionId: number): void {
    this.#core.takenOverElsewhere(namespace, clientId, connectionId);
  }

  /** Drops every connection (MQTT 5: DISCONNECT 0x8B), waits for their streams to close, forgets all sessions. */
  close(): Promise<void> {
    return this.#core.close();
  }
}
