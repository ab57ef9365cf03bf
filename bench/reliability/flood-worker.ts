/**
 * One flooding child of the flood part (flood.ts): it opens idle connections and holds them, from a spread of
 * loopback source addresses, until told to release them. A child process because one process has only
 * `ulimit -n` descriptors (20,000 here), and the server under attack may be allowed as many.
 *
 * Kinds: `tcp` connects and sends nothing; `tls` completes a TLS handshake (with a client certificate when one is
 * given: at the device door that is a CONNECT-less device) and sends nothing more.
 *
 * Messages from the parent: {release: true} closes everything and exits. To the parent: a FloodCount every
 * 500 ms and once at the end.
 */

import { type Socket, connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

export interface FloodOrder {
  readonly kind: 'tcp' | 'tls';
  readonly port: number;
  readonly count: number;
  readonly localAddresses: readonly string[];
  /** Client certificate and key (PEM) for `tls`; none: the handshake carries no client certificate. */
  readonly cert?: string;
  readonly key?: string;
  /** Reopen a slot this long after the server closed it (a persistent attacker); never when absent. */
  readonly reopenAfterMs?: number;
  /** At most this many reopened connections a second (the attacker's connection rate after the first wave). */
  readonly reopenPerSecond?: number;
}

export interface FloodCount {
  /** Connections attempted so far, reopened ones included. */
  readonly attempted: number;
  /** Up now (TCP connected, or TLS handshake done). */
  readonly up: number;
  /** Connections the server closed (or refused) before we released them. */
  readonly closedByServer: number;
}

/** Connects in flight at once: well under the listen backlog, so the flood is not just a SYN queue overflow. */
const CONNECTING_AT_ONCE = 256;

function run(order: FloodOrder): void {
  const sockets = new Set<Socket>();
  let attempted = 0;
  let up = 0;
  let closedByServer = 0;
  let connecting = 0;
  let released = false;
  let next = 0;
  const waiting: number[] = Array.from({ length: order.count }, (_, slot) => slot);

  const open = (slot: number) => {
    connecting++;
    attempted++;
    const localAddress = order.localAddresses[slot % order.localAddresses.length];
    const tcp = tcpConnect({ host: '127.0.0.1', port: order.port, localAddress });
    const socket: Socket =
      order.kind === 'tls'
        ? tlsConnect({
            socket: tcp,
            rejectUnauthorized: false,
            servername: 'localhost',
            cert: order.cert,
            key: order.key,
          })
        : tcp;
    let isUp = false;
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      connecting--;
      pump();
    };
    sockets.add(socket);
    tcp.on('error', () => {});
    socket.on('error', () => {});
    socket.once(order.kind === 'tls' ? 'secureConnect' : 'connect', () => {
      isUp = true;
      up++;
      settle();
    });
    socket.once('close', () => {
      sockets.delete(socket);
      if (isUp) up--;
      settle();
      if (released) return;
      closedByServer++;
      if (order.reopenAfterMs !== undefined) {
        setTimeout(() => {
          waiting.push(slot);
          pump();
        }, order.reopenAfterMs);
      }
    });
  };

  // Reopens are paced by a token bucket refilled every 100 ms; the first wave (slots < count) is not.
  const perTick = (order.reopenPerSecond ?? Number.POSITIVE_INFINITY) / 10;
  let tokens = perTick;
  const pacer = setInterval(() => {
    tokens = Math.min(perTick, tokens + perTick);
    pump();
  }, 100);
  pacer.unref();
  let firstWave = order.count;
  const pump = () => {
    while (!released && connecting < CONNECTING_AT_ONCE && next < waiting.length) {
      if (firstWave > 0) firstWave--;
      else if (tokens >= 1) tokens--;
      else break;
      open(waiting[next++] as number);
    }
    if (next > 4096) {
      waiting.splice(0, next);
      next = 0;
    }
  };

  const report = () => process.send?.({ attempted, up, closedByServer } satisfies FloodCount);
  const timer = setInterval(report, 500);
  process.on('message', (message: { release?: boolean }) => {
    if (!message.release) return;
    released = true;
    clearInterval(timer);
    clearInterval(pacer);
    for (const socket of sockets) socket.destroy();
    report();
    process.disconnect?.();
  });
  pump();
}

const arg = process.argv[2];
if (arg !== undefined) run(JSON.parse(arg) as FloodOrder);
