import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import type { Endpoint } from '../remote/endpoint.js';
import { type TransportFailure, transportFailure } from '../remote/remote-errors.js';
import type { TlsSettings } from '../remote/remote-settings.js';
import type { HttpResponse } from './http-response.js';
import { CaBundleError, type InsecureRequestWarnings, loadCaBundle, sslErrorText } from './http-tls.js';

/** One HTTP exchange to send, headers in wire order and casing. */
export interface OutgoingRequest {
  readonly endpoint: Endpoint;
  readonly method: string;
  /** Encoded path plus `?query`. */
  readonly target: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | undefined;
  /** The full URL, for error messages. */
  readonly url: string;
}

/** How to connect and how long to wait. */
export interface SendOptions {
  /** Undefined = no timeout. Covers the TCP connect and, for https, the TLS handshake. */
  readonly connectTimeoutMs: number | undefined;
  /** Undefined = no timeout. The longest silence while waiting for and reading the response. */
  readonly readTimeoutMs: number | undefined;
  readonly tls: TlsSettings;
  readonly cwd: string;
  readonly warnings: InsecureRequestWarnings;
}

// Errors that end an established connection (urllib3's ProtocolError → ConnectionClosedError).
const CLOSED_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/**
 * Sends one request with node:http/https on a fresh connection and collects the response.
 * Every failure becomes the TransportFailure botocore would raise: no connection →
 * EndpointConnectionError, timeouts → Connect/ReadTimeoutError, TLS → SSLError (a bad CA bundle
 * is reported once the TCP connection stands, as urllib3 loads it then), a connection dropped
 * mid-exchange → ConnectionClosedError, an unknown scheme → HTTPClientError.
 */
export function sendRequest(outgoing: OutgoingRequest, options: SendOptions): Promise<HttpResponse> {
  const { endpoint, url } = outgoing;
  const scheme = endpoint.parts.scheme;
  if (scheme !== 'http' && scheme !== 'https') {
    return Promise.reject(transportFailure('client', url, `Not supported URL scheme ${scheme}`));
  }
  const secure = scheme === 'https';
  let ca: Buffer | undefined;
  let bundleError: CaBundleError | undefined;
  if (secure && options.tls.verify && options.tls.caBundle !== undefined) {
    try {
      ca = loadCaBundle(options.tls.caBundle, options.cwd);
    } catch (error) {
      if (!(error instanceof CaBundleError)) throw error;
      bundleError = error;
    }
  }

  return new Promise((resolve, reject) => {
    let settled = false;
    let tcpConnected = false;
    let ready = false;
    let connectTimer: NodeJS.Timeout | undefined;
    const fail = (failure: TransportFailure) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      req.destroy();
      reject(failure);
    };
    const succeed = (response: HttpResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      resolve(response);
    };
    const onReady = (socket: Socket) => {
      ready = true;
      clearTimeout(connectTimer);
      if (options.readTimeoutMs !== undefined) {
        socket.setTimeout(options.readTimeoutMs, () => fail(transportFailure('read-timeout', url)));
      }
    };

    const requestOptions = {
      host: endpoint.hostname,
      port: endpoint.port ?? (secure ? 443 : 80),
      method: outgoing.method,
      path: outgoing.target,
      headers: { ...outgoing.headers },
      agent: false as const,
    };
    const req = secure
      ? httpsRequest({ ...requestOptions, rejectUnauthorized: options.tls.verify, ca })
      : httpRequest(requestOptions);

    req.on('socket', (socket: Socket) => {
      if (options.connectTimeoutMs !== undefined) {
        connectTimer = setTimeout(() => fail(transportFailure('connect-timeout', url)), options.connectTimeoutMs);
      }
      socket.once('connect', () => {
        tcpConnected = true;
        if (bundleError) fail(transportFailure('ssl', url, bundleError.message));
        else if (!secure) onReady(socket);
      });
      if (secure) {
        socket.once('secureConnect', () => {
          if (!options.tls.verify) options.warnings.warn(endpoint.hostname);
          onReady(socket);
        });
      }
    });

    req.on('error', (error: NodeJS.ErrnoException) => {
      const ssl = sslErrorText(error, endpoint.hostname);
      if (ssl !== undefined) fail(transportFailure('ssl', url, ssl));
      else if (ready || (tcpConnected && CLOSED_CODES.has(error.code ?? ''))) fail(transportFailure('closed', url));
      else if (tcpConnected) fail(transportFailure('client', url, error.message));
      else fail(transportFailure('connect', url));
    });

    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        succeed({ status: res.statusCode ?? 0, headers: flatHeaders(res), body: Buffer.concat(chunks) }),
      );
      res.on('error', () => fail(transportFailure('closed', url)));
      res.on('close', () => {
        if (!res.complete) fail(transportFailure('closed', url));
      });
    });

    req.end(outgoing.body);
  });
}

function flatHeaders(res: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}
