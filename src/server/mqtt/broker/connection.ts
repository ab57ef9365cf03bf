import type { Duplex } from 'node:stream';
import { generate, type IPublishPacket, type Packet } from 'mqtt-packet';
import { filterMatches } from '../topic-filter.js';
import type { BrokerConnection, CloseReason } from './broker.js';
import { dropReason, failureReason } from './close-reasons.js';
import type { BrokerCore } from './core.js';
import { handleConnect } from './handlers/connect.js';
import { handleDisconnect } from './handlers/disconnect.js';
import { handlePingreq } from './handlers/pingreq.js';
import { handlePuback } from './handlers/puback.js';
import { handlePublish } from './handlers/publish.js';
import { handleSubscribe } from './handlers/subscribe.js';
import { handleUnsubscribe } from './handlers/unsubscribe.js';
import { type ApplicationMessage, type ForwardedProperties, outgoingProperties } from './message.js';
import { PacketSizeScanner } from './packet-size-scanner.js';
import { malformedConnectAnswer } from './protocol-level.js';
import { ReasonCode } from './reason-codes.js';
import type { SendOutcome, Session, SessionLink } from './session.js';
import { strictPacketParser } from './strict-parser.js';

/**
 * `awaiting-connect` → `admitting` (CONNECT received, the admission hook deciding; later packets wait) → `open`
 * (admitted, CONNACK sent) → `closed`. A refusal or any failure goes straight to `closed`.
 */
export type ConnectionState = 'awaiting-connect' | 'admitting' | 'open' | 'closed';

/** The will of a connection, from its CONNECT. */
export interface WillMessage {
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: 0 | 1;
  readonly retain: boolean;
  readonly properties?: ForwardedProperties;
}

/** How long a closing connection may take to flush its last packet and see the peer close, before it is destroyed. */
const LINGER_MS = 1000;
/** Bytes waiting in the outgoing buffer above which QoS 0 messages are dropped. */
const CONGESTED_BYTES = 512 * 1024;
/** Packets a client may send after CONNECT while admission is pending (they are handled once admitted). */
const ADMISSION_BACKLOG_LIMIT = 100;
/** Bytes of an unparseable first packet kept to tell which protocol level it asked for. */
const HEAD_BYTES = 64;

/** How a connection ends: `farewell` is written first (CONNACK refusal, MQTT 5 DISCONNECT). */
export interface Ending {
  readonly will: boolean;
  readonly farewell?: Packet | Buffer;
  /** Destroy at once (the stream failed) instead of ending gracefully. */
  readonly destroy?: boolean;
  /** Why, for the closed hook; absent: the stream ended or failed (`connection-lost`). */
  readonly reason?: CloseReason;
}

/** One client connection: framing and parsing, the connection's state and timers, and what it sends. */
export class Connection implements BrokerConnection, SessionLink {
  clientId = '';
  /** Set at admission (see Admission). */
  namespace = '';
  owner = '';
  protocolVersion: 3 | 4 | 5 = 4;
  admitted = false;
  state: ConnectionState = 'awaiting-connect';

  get isOpen(): boolean {
    return this.state === 'open';
  }
  session: Session | undefined;
  will: WillMessage | undefined;
  /** Effective session expiry (seconds) applied when the connection ends; the client asked for `requested…`. */
  sessionExpirySeconds = 0;
  requestedSessionExpirySeconds = 0;
  /** The client's limits on what it is sent (MQTT 5 CONNECT properties). */
  receiveMaximum = 0xffff;
  maximumPacketSize = Number.POSITIVE_INFINITY;
  /** Settles when the stream has closed. */
  readonly closed: Promise<void>;
  readonly #stream: Duplex;
  readonly #parser = strictPacketParser();
  readonly #scanner: PacketSizeScanner;
  #head: Buffer | undefined = Buffer.alloc(0);
  #backlog: Packet[] = [];
  #connectTimer: NodeJS.Timeout | undefined;
  #keepAliveTimer: NodeJS.Timeout | undefined;
  #lingerTimer: NodeJS.Timeout | undefined;
  #streamClosed: () => void = () => {};
  #corked = false;

  constructor(
    readonly core: BrokerCore,
    readonly id: number,
    stream: Duplex,
  ) {
    this.#stream = stream;
    this.#scanner = new PacketSizeScanner(core.options.maxPacketBytes);
    this.closed = new Promise((resolve) => {
      this.#streamClosed = resolve;
    });
  }

  start(): void {
    const stream = this.#stream;
    this.#parser.on('packet', (packet) => this.#onPacket(packet));
    this.#parser.on('error', (err: Error) => this.#onMalformed(err));
    stream.on('data', (chunk: Buffer | string) => this.#onData(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
    stream.on('end', () => this.terminate({ will: true }));
    stream.on('error', () => this.terminate({ will: true, destroy: true }));
    stream.on('close', () => {
      this.terminate({ will: true, destroy: true });
      clearTimeout(this.#lingerTimer);
      this.#streamClosed();
    });
    this.#connectTimer = setTimeout(
      () => this.terminate({ will: false, reason: 'connect-timeout' }),
      this.core.options.connectTimeoutMs,
    ).unref();
  }

  // --- BrokerConnection ---

  deliver(topic: string, payload: Buffer, qos: 0 | 1): boolean {
    const session = this.session;
    if (this.state !== 'open' || !session) return false;
    let granted = -1;
    for (const [filter, subscription] of session.subscriptions) {
      if (subscription.qos > granted && filterMatches(filter, topic)) granted = subscription.qos;
    }
    if (granted < 0) return false;
    const effective = Math.min(qos, granted) as 0 | 1;
    return session.deliver({ topic, payload, qos: effective, retain: false, receivedAt: this.core.now() });
  }

  drop(reasonCode?: number): void {
    const farewell =
      reasonCode !== undefined && this.protocolVersion === 5 && this.state === 'open'
        ? disconnectPacket(reasonCode)
        : undefined;
    this.terminate({ will: !this.core.closing, farewell, reason: dropReason(reasonCode, this.core.closing) });
  }

  // --- SessionLink ---

  get inflightLimit(): number {
    return Math.max(1, Math.min(this.core.options.maxInflight, this.receiveMaximum, 0xffff));
  }

  get congested(): boolean {
    return this.#stream.writableLength > CONGESTED_BYTES;
  }

  sendPublish(message: ApplicationMessage, packetId: number | undefined, dup: boolean): SendOutcome {
    if (this.state !== 'open') return 'closed';
    if (!this.#mayReceive(message.topic)) return 'skipped';
    const properties = outgoingProperties(message, this.core.now());
    if (properties === 'expired') return 'skipped';
    const packet: IPublishPacket = {
      cmd: 'publish',
      topic: message.topic,
      payload: message.payload,
      qos: message.qos,
      retain: message.retain,
      dup,
    };
    if (packetId !== undefined) packet.messageId = packetId;
    if (properties && this.protocolVersion === 5) packet.properties = properties;
    const bytes = this.#encode(packet);
    // Never more than the client accepts (MQTT 5 Maximum Packet Size): such a message is dropped for this client.
    if (!bytes || bytes.length > this.maximumPacketSize) return 'skipped';
    if (!this.#write(bytes)) return 'closed';
    this.core.traffic.sent++;
    return 'sent';
  }

  // --- used by the handlers ---

  /** Sends a control packet; false when the connection can no longer send. */
  send(packet: Packet): boolean {
    const bytes = this.#encode(packet);
    return bytes !== undefined && this.#write(bytes);
  }

  /** Stops reading while admission is pending (packets already parsed wait in the backlog). */
  pauseReading(): void {
    this.#stream.pause();
  }

  /** Admission succeeded: CONNACK, keep alive, the session resumes, waiting packets are handled, reading resumes. */
  open(session: Session, connack: Packet, keepAliveSeconds: number): void {
    this.session = session;
    this.admitted = true;
    this.state = 'open';
    clearTimeout(this.#connectTimer);
    this.send(connack);
    if (keepAliveSeconds > 0) {
      // MQTT: no packet for one and a half times the keep alive means the client is gone.
      this.#keepAliveTimer = setTimeout(() => this.fail(ReasonCode.KeepAliveTimeout), keepAliveSeconds * 1500).unref();
    }
    session.attach(this);
    const backlog = this.#backlog;
    this.#backlog = [];
    for (const packet of backlog) {
      if (this.state !== 'open') return;
      this.#dispatch(packet);
    }
    this.#stream.resume();
  }

  /** A protocol violation (or failure) after admission: MQTT 5 DISCONNECT with `reasonCode`, MQTT 3 closes. */
  fail(reasonCode: number): void {
    const farewell = this.protocolVersion === 5 && this.state === 'open' ? disconnectPacket(reasonCode) : undefined;
    this.terminate({ will: true, farewell, reason: failureReason(reasonCode) });
  }

  /**
   * Ends the connection, once: timers stop, the session is released (the will published if `ending.will`), the
   * closed hook runs, then the stream ends (after `ending.farewell`) or is destroyed.
   */
  terminate(ending: Ending): void {
    if (this.state === 'closed') return;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    clearTimeout(this.#connectTimer);
    clearTimeout(this.#keepAliveTimer);
    this.#backlog = [];
    this.#head = undefined;
    // Called from socket callbacks and timers: nothing may escape, and the stream is closed whatever happens.
    try {
      if (wasOpen) this.core.release(this, ending.will);
    } catch {
      // The session and will are best effort once the connection is gone.
    }
    this.core.forget(this);
    try {
      this.core.hooks.closed(this, ending.reason ?? 'connection-lost');
    } catch {
      // A failing hook must not keep the stream open.
    }
    try {
      this.#closeStream(ending);
    } catch {
      this.#stream.destroy();
    }
  }

  // --- inbound ---

  #onData(chunk: Buffer): void {
    if (this.state === 'closed') return;
    if (!this.#scanner.accept(chunk)) {
      this.fail(ReasonCode.PacketTooLarge);
      return;
    }
    if (this.#head !== undefined && this.#head.length < HEAD_BYTES) {
      this.#head = Buffer.concat([this.#head, chunk]).subarray(0, HEAD_BYTES);
    }
    try {
      this.#parser.parse(chunk);
    } catch (err) {
      this.#onMalformed(err instanceof Error ? err : new Error('parser failure'));
    }
    // A client that sends without reading its answers is not read from until they have left (its keep alive
    // then runs out if it never reads); routed QoS 0 is dropped meanwhile, QoS 1 waits in the session.
    if (this.state === 'open' && this.congested) {
      const stream = this.#stream;
      stream.pause();
      stream.once('drain', () => {
        if (this.state === 'open') stream.resume();
      });
    }
  }

  #onPacket(packet: Packet): void {
    if (this.state === 'closed') return;
    this.#keepAliveTimer?.refresh();
    try {
      if (this.state === 'awaiting-connect') {
        this.#head = undefined;
        // Nothing but CONNECT comes first.
        if (packet.cmd === 'connect') handleConnect(this, packet);
        else this.terminate({ will: false, reason: 'client-error' });
      } else if (this.state === 'admitting') {
        if (this.#backlog.length < ADMISSION_BACKLOG_LIMIT) this.#backlog.push(packet);
        else this.terminate({ will: false, reason: 'client-error' });
      } else {
        this.#dispatch(packet);
      }
    } catch {
      this.fail(ReasonCode.ImplementationSpecificError);
    }
  }

  #dispatch(packet: Packet): void {
    switch (packet.cmd) {
      case 'publish':
        handlePublish(this, packet);
        break;
      case 'puback':
        handlePuback(this, packet);
        break;
      case 'subscribe':
        handleSubscribe(this, packet);
        break;
      case 'unsubscribe':
        handleUnsubscribe(this, packet);
        break;
      case 'pingreq':
        handlePingreq(this, packet);
        break;
      case 'disconnect':
        handleDisconnect(this, packet);
        break;
      default:
        // A second CONNECT, QoS 2 flow packets (never started by the broker), AUTH, or server-to-client packets.
        this.fail(ReasonCode.ProtocolError);
    }
  }

  /** The parser refused the bytes (only its first error counts: the connection is closed at once). */
  /** The receive hook's verdict; a throwing hook withholds the message (fail closed). */
  #mayReceive(topic: string): boolean {
    const hook = this.core.hooks.authorizeReceive;
    if (!hook) return true;
    try {
      return hook.call(this.core.hooks, this, topic) === true;
    } catch {
      return false;
    }
  }

  #onMalformed(err: Error): void {
    if (this.state === 'closed') return;
    try {
      // The parser's own texts (and InvalidStringError's) name the rule broken, never the bytes received.
      this.core.hooks.malformed?.(this, err.message.slice(0, 200));
    } catch {
      // Reporting must not keep a malformed connection open.
    }
    if (this.state === 'awaiting-connect') {
      // A malformed CONNECT: its CONNACK refusal where the protocol level has one (MQTT 5 0x81, an unknown level
      // "unacceptable protocol version"), else a close.
      const answer = this.#head ? malformedConnectAnswer(this.#head) : undefined;
      this.terminate({ will: false, farewell: answer, reason: 'client-error' });
      return;
    }
    this.fail(ReasonCode.MalformedPacket);
  }

  // --- outbound ---

  #encode(packet: Packet): Buffer | undefined {
    try {
      return generate(packet, { protocolVersion: this.protocolVersion });
    } catch {
      return undefined;
    }
  }

  #write(bytes: Buffer): boolean {
    const stream = this.#stream;
    if (stream.destroyed || stream.writableEnded) return false;
    // Packets written in one tick leave together: over TLS each write is a record and a syscall of its own, which
    // capped a busy subscriber at a few thousand messages a second.
    if (!this.#corked) {
      this.#corked = true;
      stream.cork();
      process.nextTick(() => {
        this.#corked = false;
        stream.uncork();
      });
    }
    stream.write(bytes);
    return true;
  }

  #closeStream(ending: Ending): void {
    const stream = this.#stream;
    if (stream.destroyed) return;
    if (ending.destroy) {
      stream.destroy();
      return;
    }
    if (ending.farewell) {
      if (Buffer.isBuffer(ending.farewell)) this.#write(ending.farewell);
      else this.send(ending.farewell);
    }
    // End gracefully so the last packet arrives; keep reading (and ignoring) until the peer closes, within a limit.
    stream.resume();
    if (!stream.writableEnded) stream.end();
    this.#lingerTimer = setTimeout(() => stream.destroy(), LINGER_MS).unref();
  }
}

function disconnectPacket(reasonCode: number): Packet {
  return { cmd: 'disconnect', reasonCode };
}
