import { isUtf8 } from 'node:buffer';
import { generate } from 'mqtt-packet';
import { FFFD_PREFIX } from './fuzz-cases.js';
import { type DeviceTls, PacketType, packetType, RawTlsConnection } from './raw-tls-connection.js';
import { bodyOffset } from './wire.js';

const REPLACEMENT_CHARACTER = Buffer.from('\uFFFD');
const SENT_WITH_FFFD = Buffer.from(FFFD_PREFIX);

/**
 * A device subscribed to `#` (MQTT 3.1.1, QoS 0) for the whole run, reading each delivered topic from the raw bytes.
 * A topic is one the broker should never have routed when it is not valid UTF-8, holds U+0000, or holds U+FFFD
 * without the prefix of the topics the fuzzer sent it in: a broker that decodes bad bytes leniently re-encodes
 * them as U+FFFD when it delivers them.
 */
export class TopicWatcher {
  delivered = 0;
  /** Hex of the first invalid topics seen (a few, for the report). */
  readonly invalidTopics: string[] = [];
  invalidCount = 0;
  #ping: NodeJS.Timeout | undefined;

  private constructor(readonly connection: RawTlsConnection) {
    connection.onFrames = (frames) => {
      for (const frame of frames) if (packetType(frame) === PacketType.PUBLISH) this.#inspect(frame);
    };
  }

  static async start(tls: DeviceTls): Promise<TopicWatcher> {
    const connection = await RawTlsConnection.open(tls, 10_000);
    const watcher = new TopicWatcher(connection);
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
    const replaced =
      topic.includes(REPLACEMENT_CHARACTER) && !topic.subarray(0, SENT_WITH_FFFD.length).equals(SENT_WITH_FFFD);
    if (topic.length !== length || topic.includes(0) || !isUtf8(topic) || replaced) this.#invalid(topic);
  }

  #invalid(bytes: Buffer): void {
    this.invalidCount++;
    if (this.invalidTopics.length < 5) this.invalidTopics.push(bytes.subarray(0, 64).toString('hex'));
  }
}
