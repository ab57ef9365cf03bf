import { isUtf8 } from 'node:buffer';
import { generate } from 'mqtt-packet';
import { type DeviceTls, PacketType, packetType, RawTlsConnection } from './raw-tls-connection.js';
import { bodyOffset } from './wire.js';

const REPLACEMENT_CHARACTER = Buffer.from('\uFFFD');

/**
 * What the fuzzer sent that holds U+FFFD (EF BF BD): a topic delivered with U+FFFD is genuine only if its bytes were
 * sent as they are. A broker that decodes bad bytes leniently delivers them re-encoded as U+FFFD, bytes nobody sent.
 */
export class SentReplacementCharacters {
  readonly #packets: Buffer[] = [];

  /** Called with every packet before it is written. */
  record(bytes: Buffer): void {
    if (bytes.includes(REPLACEMENT_CHARACTER)) this.#packets.push(bytes);
  }

  wasSent(topic: Buffer): boolean {
    return this.#packets.some((packet) => packet.includes(topic));
  }
}

/**
 * A device subscribed to `#` (MQTT 3.1.1, QoS 0) for the whole run, reading each delivered topic from the raw bytes.
 * A topic is one the broker should never have routed when it is not valid UTF-8, holds U+0000, or holds U+FFFD
 * in bytes that were never sent (see SentReplacementCharacters).
 */
export class TopicWatcher {
  delivered = 0;
  /** Hex of the first invalid topics seen (a few, for the report). */
  readonly invalidTopics: string[] = [];
  invalidCount = 0;
  #ping: NodeJS.Timeout | undefined;

  private constructor(
    readonly connection: RawTlsConnection,
    readonly sent: SentReplacementCharacters,
  ) {
    connection.onFrames = (frames) => {
      for (const frame of frames) if (packetType(frame) === PacketType.PUBLISH) this.#inspect(frame);
    };
  }

  static async start(tls: DeviceTls, sent: SentReplacementCharacters): Promise<TopicWatcher> {
    const connection = await RawTlsConnection.open(tls, 10_000);
    const watcher = new TopicWatcher(connection, sent);
    connection.write(
      generate({
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: 4,
        clientId: 'fuzz-watcher',
        clean: true,
        keepalive: 60,
      }),
    );
    if ((await connection.waitFor((f) => packetType(f) === PacketType.CONNACK, 10_000)) !== 'matched') {
      throw new Error('the # watcher was not admitted');
    }
    connection.write(generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: '#', qos: 0 }] }));
    if ((await connection.waitFor((f) => packetType(f) === PacketType.SUBACK, 10_000)) !== 'matched') {
      throw new Error('the # watcher got no SUBACK');
    }
    watcher.#ping = setInterval(() => connection.write(Buffer.from([0xc0, 0x00])), 20_000);
    return watcher;
  }

  get stillConnected(): boolean {
    return !this.connection.isClosed;
  }

  stop(): void {
    clearInterval(this.#ping);
    this.connection.destroy();
  }

  #inspect(frame: Buffer): void {
    this.delivered++;
    const start = bodyOffset(frame);
    if (start === undefined || frame.length < start + 2) {
      this.#invalid(frame);
      return;
    }
    const length = frame.readUInt16BE(start);
    const topic = frame.subarray(start + 2, start + 2 + length);
    const replaced = topic.includes(REPLACEMENT_CHARACTER) && !this.sent.wasSent(topic);
    if (topic.length !== length || topic.includes(0) || !isUtf8(topic) || replaced) this.#invalid(topic);
  }

  #invalid(bytes: Buffer): void {
    this.invalidCount++;
    if (this.invalidTopics.length < 5) this.invalidTopics.push(bytes.subarray(0, 64).toString('hex'));
  }
}
