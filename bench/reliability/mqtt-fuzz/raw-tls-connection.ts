import { once } from 'node:events';
import { connect, type TLSSocket } from 'node:tls';
import { splitFrames } from './wire.js';

/** What a device needs to reach the device endpoint over mTLS. */
export interface DeviceTls {
  readonly port: number;
  /** The CA chain that verifies the endpoint (`fleetca ca export`). */
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

export type WaitOutcome = 'matched' | 'closed' | 'timeout';

/**
 * An mTLS connection to the device endpoint that writes any bytes and collects what the server sends, split into
 * MQTT packets without decoding them (a topic's bytes stay as they were sent).
 */
export class RawTlsConnection {
  readonly frames: Buffer[] = [];
  isClosed = false;
  #pending = Buffer.alloc(0);
  #wake: (() => void) | undefined;

  private constructor(readonly socket: TLSSocket) {
    socket.on('data', (chunk: Buffer) => {
      const { frames, rest } = splitFrames(Buffer.concat([this.#pending, chunk]));
      this.#pending = Buffer.from(rest);
      this.frames.push(...frames);
      this.onFrames?.(frames);
      this.#wake?.();
    });
    // Writes after the server closed fail with EPIPE/ECONNRESET: the close is what is observed.
    socket.on('error', () => {});
    socket.on('close', () => {
      this.isClosed = true;
      this.#wake?.();
    });
  }

  /** Called with each batch of whole packets as it arrives. */
  onFrames: ((frames: readonly Buffer[]) => void) | undefined;

  static async open(tls: DeviceTls, timeoutMs: number): Promise<RawTlsConnection> {
    const socket = connect({
      host: '127.0.0.1',
      port: tls.port,
      servername: 'localhost',
      ca: tls.ca,
      cert: tls.cert,
      key: tls.key,
      ALPNProtocols: ['mqtt'],
    });
    const timer = setTimeout(() => socket.destroy(new Error(`no TLS handshake within ${timeoutMs} ms`)), timeoutMs);
    try {
      await once(socket, 'secureConnect');
    } finally {
      clearTimeout(timer);
    }
    return new RawTlsConnection(socket);
  }

  write(bytes: Buffer): void {
    if (!this.socket.destroyed && this.socket.writable) this.socket.write(bytes);
  }

  /** Until a received packet satisfies `match`, the server closes, or `timeoutMs` passes. */
  async waitFor(match: (frame: Buffer) => boolean, timeoutMs: number): Promise<WaitOutcome> {
    const deadline = performance.now() + timeoutMs;
    let checked = 0;
    for (;;) {
      for (; checked < this.frames.length; checked++) {
        if (match(this.frames[checked] as Buffer)) return 'matched';
      }
      if (this.isClosed) return 'closed';
      const left = deadline - performance.now();
      if (left <= 0) return 'timeout';
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** The MQTT packet type of a received packet (upper four bits of its first byte). */
export function packetType(frame: Buffer): number {
  return (frame[0] as number) >> 4;
}

export const PacketType = { CONNACK: 2, PUBLISH: 3, SUBACK: 9, PINGRESP: 13, DISCONNECT: 14 } as const;
