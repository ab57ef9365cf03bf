/**
 * One device's MQTT 3.1.1 connection over mTLS, written with mqtt-packet on a raw tls.connect: the load
 * generator's unit. No MQTT client library, so that holding thousands costs the generator little and every
 * packet is what the benchmark says it is.
 */

import { connect as netConnect } from 'node:net';
import { connect, type SecureContext, type TLSSocket } from 'node:tls';
import mqttPacket, { type Packet } from 'mqtt-packet';
import { epochMs } from './protocol.js';

export interface LinkTarget {
  readonly port: number;
  readonly servername: string;
  readonly context: SecureContext;
  readonly localAddress: string;
}

/** A benchmark payload: the send time (epoch ms, float64) then a sequence number. */
export function stampedPayload(sequence: number): Buffer {
  const payload = Buffer.alloc(16);
  payload.writeDoubleBE(epochMs(), 0);
  payload.writeDoubleBE(sequence, 8);
  return payload;
}

export class DeviceLink {
  readonly #socket: TLSSocket;
  readonly #parser = mqttPacket.parser({ protocolVersion: 4 });
  #nextMessageId = 1;
  #corked = false;
  #pendingAcks = new Map<number, () => void>();
  #onConnack: ((code: number) => void) | undefined;
  #onSuback: ((granted: number[]) => void) | undefined;
  isClosed = false;
  /** Called with each delivery's publish → arrival latency (ms); NaN for a payload that is not a benchmark's. */
  onDelivery: ((latencyMs: number) => void) | undefined;
  /** When set, every delivery goes here instead (request/answer clients such as fleet provisioning). */
  onMessage: ((topic: string, payload: Buffer) => void) | undefined;

  private constructor(
    socket: TLSSocket,
    readonly clientId: string,
  ) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => this.#parser.parse(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      this.isClosed = true;
      this.#onConnack?.(-1);
    });
    this.#parser.on('packet', (packet: Packet) => this.#receive(packet));
    this.#parser.on('error', () => socket.destroy());
  }

  /**
   * TLS handshake, CONNECT (clean session, MQTT 3.1.1), CONNACK. Resolves with the link and the CONNACK's return
   * code; rejects on a handshake error, a close without CONNACK, or the timeout.
   */
  static open(
    target: LinkTarget,
    clientId: string,
    keepAliveS: number,
    timeoutMs: number,
  ): Promise<{ link: DeviceLink; returnCode: number }> {
    return new Promise((resolve, reject) => {
      // TCP first, from the chosen source address (tls.connect has no localAddress of its own).
      const tcp = netConnect({ host: '127.0.0.1', port: target.port, localAddress: target.localAddress });
      const socket = connect({
        socket: tcp,
        servername: target.servername,
        secureContext: target.context,
        ALPNProtocols: ['mqtt'],
      });
      tcp.once('error', (err) => socket.destroy(err));
      const link = new DeviceLink(socket, clientId);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`no CONNACK within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      socket.once('secureConnect', () => {
        socket.write(
          mqttPacket.generate({ cmd: 'connect', protocolVersion: 4, clientId, clean: true, keepalive: keepAliveS }),
        );
      });
      link.#onConnack = (code) => {
        clearTimeout(timer);
        link.#onConnack = undefined;
        if (code < 0) reject(new Error('closed without CONNACK'));
        else resolve({ link, returnCode: code });
      };
    });
  }

  /** What the handshake negotiated, for the report (the server certificate's key decides the handshake's cost). */
  negotiated(): string {
    const peer = this.#socket.getPeerCertificate();
    const key = peer.asn1Curve ? `EC ${peer.asn1Curve}` : peer.bits ? `RSA-${peer.bits}` : 'unknown key';
    return `${this.#socket.getProtocol()} ${this.#socket.getCipher().name}, server certificate ${key}`;
  }

  /** One SUBSCRIBE for all the filters; resolves with what SUBACK granted each, or [] if the link closes first. */
  subscribe(filters: string | readonly string[], qos: 0 | 1): Promise<number[]> {
    const subscriptions = (typeof filters === 'string' ? [filters] : filters).map((topic) => ({ topic, qos }));
    return new Promise((resolve) => {
      if (this.isClosed) return resolve([]);
      this.#onSuback = resolve;
      this.#socket.once('close', () => resolve([]));
      this.#send({ cmd: 'subscribe', messageId: this.#messageId(), subscriptions });
    });
  }

  /** Publishes any payload (no timestamp). */
  publishRaw(topic: string, payload: Buffer, qos: 0 | 1): void {
    const messageId = qos === 1 ? this.#messageId() : undefined;
    this.#send({ cmd: 'publish', topic, qos, dup: false, retain: false, messageId, payload });
  }

  /** Publishes a stamped payload; for QoS 1, `acked` runs at its PUBACK. */
  publish(topic: string, qos: 0 | 1, sequence: number, acked?: () => void): void {
    const messageId = qos === 1 ? this.#messageId() : undefined;
    if (messageId !== undefined && acked) this.#pendingAcks.set(messageId, acked);
    this.#send({ cmd: 'publish', topic, qos, dup: false, retain: false, messageId, payload: stampedPayload(sequence) });
  }

  /** DISCONNECT, then the end of the stream; resolves once the socket is closed. */
  close(): Promise<void> {
    if (this.isClosed) return Promise.resolve();
    return new Promise((resolve) => {
      this.#socket.once('close', () => resolve());
      this.#send({ cmd: 'disconnect' });
      this.#socket.end();
      setTimeout(() => this.#socket.destroy(), 5_000).unref();
    });
  }

  #messageId(): number {
    const id = this.#nextMessageId;
    this.#nextMessageId = id >= 65535 ? 1 : id + 1;
    return id;
  }

  #send(packet: Packet): void {
    const socket = this.#socket;
    if (this.isClosed || !socket.writable) return;
    // Packets of one tick leave in one TLS record: a subscriber acknowledging 10,000 messages a second one record
    // (and one syscall) each made the generator the bottleneck it must never be.
    if (!this.#corked) {
      this.#corked = true;
      socket.cork();
      process.nextTick(() => {
        this.#corked = false;
        socket.uncork();
      });
    }
    socket.write(mqttPacket.generate(packet));
  }

  #receive(packet: Packet): void {
    switch (packet.cmd) {
      case 'connack':
        this.#onConnack?.(packet.returnCode ?? packet.reasonCode ?? 0);
        return;
      case 'suback':
        this.#onSuback?.(packet.granted as number[]);
        this.#onSuback = undefined;
        return;
      case 'puback': {
        const acked = this.#pendingAcks.get(packet.messageId as number);
        this.#pendingAcks.delete(packet.messageId as number);
        acked?.();
        return;
      }
      case 'publish': {
        const arrived = epochMs();
        if (packet.qos === 1) this.#send({ cmd: 'puback', messageId: packet.messageId as number });
        const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
        if (this.onMessage) {
          this.onMessage(packet.topic, payload);
          return;
        }
        this.onDelivery?.(payload.length === 16 ? arrived - payload.readDoubleBE(0) : Number.NaN);
        return;
      }
      default:
        return;
    }
  }
}
