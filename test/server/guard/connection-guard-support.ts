/**
 * Test support for the connection guard: idle clients that connect and do nothing more (raw TCP, or TLS up to
 * the end of the handshake), from a chosen loopback source address, each saying when the server closed it.
 */

import { type Socket, connect as tcpConnect } from 'node:net';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';

export interface IdleClient {
  readonly socket: Socket;
  /** Settles when the socket has closed (whoever closed it). */
  readonly closed: Promise<void>;
  isClosed(): boolean;
  /** Settles once TCP (or, with TLS, the handshake) is up. */
  readonly ready: Promise<void>;
}

export interface IdleOptions {
  /** Source address (127.0.0.x: Linux routes all of 127/8 to loopback). */
  readonly localAddress?: string;
  /** Complete a TLS handshake, then send nothing. */
  readonly tls?: { readonly cert?: string; readonly key?: string };
}

export function idleClient(port: number, options: IdleOptions = {}): IdleClient {
  let closedFlag = false;
  const tcp = tcpConnect({ host: '127.0.0.1', port, localAddress: options.localAddress });
  const socket: Socket = options.tls
    ? tlsConnect({
        socket: tcp,
        rejectUnauthorized: false,
        servername: 'localhost',
        cert: options.tls.cert,
        key: options.tls.key,
      })
    : tcp;
  tcp.on('error', () => {});
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      closedFlag = true;
      resolve();
    }),
  );
  const ready = new Promise<void>((resolve, reject) => {
    socket.once(options.tls ? 'secureConnect' : 'connect', () => resolve());
    socket.once('close', () => reject(new Error('closed before it was up')));
  });
  ready.catch(() => {});
  return { socket, closed, isClosed: () => closedFlag, ready };
}

/** A TLS socket's ALPN, for checks that the handshake really completed. */
export function alpnOf(socket: Socket): string | false | null {
  return (socket as TLSSocket).alpnProtocol ?? null;
}
