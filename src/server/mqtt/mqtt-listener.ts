import { constants } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createServer, type TLSSocket } from 'node:tls';
import type { ConnectionGuard } from '../guard/connection-guard.js';
import { LISTEN_BACKLOG } from '../guard/guard-settings.js';
import type { Logger } from '../logging/logger.js';
import { attachStapling, type TlsIdentity } from '../tls-identity.js';
import type { DeviceEndpoint } from './device-endpoint.js';

/** ALPN names accepted: AWS IoT's for MQTT on 443 (reference §4.5), and the registered one for MQTT. */
export const MQTT_ALPN_PROTOCOLS = ['x-amzn-mqtt-ca', 'mqtt'];

export interface MqttListenerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly tls: TlsIdentity;
  readonly endpoint: DeviceEndpoint;
  readonly logger: Logger;
  /** Deadlines and limits for connections not yet admitted (shared with the REST door). */
  readonly guard?: ConnectionGuard;
}

export interface RunningMqttListener {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * MQTT over TLS with a client certificate required. The handshake accepts any certificate (as AWS IoT does);
 * whether it is admitted is the registry's decision, taken when CONNECT arrives (device-endpoint.ts).
 */
export async function listenForDevices(options: MqttListenerOptions): Promise<RunningMqttListener> {
  const server = createServer({
    key: options.tls.key,
    cert: options.tls.cert,
    requestCert: true,
    rejectUnauthorized: false,
    minVersion: 'TLSv1.2',
    ALPNProtocols: MQTT_ALPN_PROTOCOLS,
    // Packets of one tick are already written together (connection.ts): Nagle would only hold back the next tick's.
    noDelay: true,
    // No stateless session tickets: sealing the session (its peer certificate included) into two tickets per
    // handshake cost every connection ~14 KB held for its life and ~0.2 ms of CPU (measured, 4,000 mTLS connections).
    // OpenSSL then sends stateful tickets, which only a server session cache could honour, and Node keeps none: no
    // session is resumed, every connection makes a full handshake and presents its certificate anew.
    secureOptions: constants.SSL_OP_NO_TICKET,
    // Node's own handshake timeout stays as a backstop behind the guard's (which counts and logs).
    handshakeTimeout: (options.guard?.settings.handshakeTimeoutMs ?? 10_000) + 1_000,
  });
  attachStapling(server, options.tls);
  const guarded = options.guard?.watch(server, 'mqtt', true);
  const sockets = new Set<TLSSocket>();
  server.on('secureConnection', (socket: TLSSocket) => {
    guarded?.handshakeDone(socket);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // The DER alone: getPeerCertificate builds a large object (every field decoded) only to be dropped.
    const der = socket.getPeerX509Certificate()?.raw;
    if (!der || der.length === 0) {
      options.logger.info({ remote: socket.remoteAddress }, 'device connection without a client certificate closed');
      socket.destroy();
      return;
    }
    options.endpoint.handle(socket, der, () => guarded?.established(socket));
  });
  server.on('tlsClientError', (err, socket) => {
    options.logger.debug({ err: err.message, remote: socket.remoteAddress }, 'device TLS handshake failed');
    // With a listener here Node leaves the socket open: a failed handshake would hold its descriptor forever.
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port, host: options.host, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    port,
    url: `mqtts://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        guarded?.closePending();
        for (const socket of sockets) socket.destroy();
      }),
  };
}
