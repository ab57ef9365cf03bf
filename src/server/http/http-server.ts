import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, isIPv6, type Socket } from 'node:net';
import type { Server as TlsServer } from 'node:tls';
import type { ServiceError } from '../../errors.js';
import type { ConnectionGuard } from '../guard/connection-guard.js';
import { LISTEN_BACKLOG } from '../guard/guard-settings.js';
import type { Logger } from '../logging/logger.js';
import { attachStapling, type TlsIdentity } from '../tls-identity.js';
import { encodeError, rawErrorResponse } from './error-encoder.js';
import { httpErrors } from './http-errors.js';

/** How long a client may take; slow or stalled clients are cut off, never waited for forever. */
export interface ServerTimeouts {
  /** From the first byte of a request to the end of its headers. */
  readonly headersMs: number;
  /** From the first byte of a request to the end of its body (not the time the operation takes). */
  readonly requestMs: number;
  /** An idle keep-alive connection is closed after this. */
  readonly keepAliveMs: number;
  /** A socket with no traffic at all in either direction is closed after this. */
  readonly idleSocketMs: number;
  /** How often Node checks the headers and request deadlines. */
  readonly checkIntervalMs: number;
}

export const DEFAULT_TIMEOUTS: ServerTimeouts = {
  headersMs: 10_000,
  requestMs: 30_000,
  keepAliveMs: 5_000,
  idleSocketMs: 120_000,
  checkIntervalMs: 1_000,
};

/** Headers larger than this are refused with 431 (Node's own default, stated here so it is a decision). */
export const MAX_HEADER_BYTES = 16 * 1024;

export interface HttpServerOptions {
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
  readonly logger: Logger;
  /** Serve HTTPS with this key and certificate chain (leaf first) instead of plain HTTP. */
  readonly tls?: TlsIdentity;
  readonly timeouts?: Partial<ServerTimeouts>;
  /** Deadlines and limits for connections that have not sent a request yet (shared with the device door). */
  readonly guard?: ConnectionGuard;
}

/** A listening server. */
export interface RunningHttpServer {
  /** `http(s)://host:port`, with the port actually bound. */
  readonly url: string;
  readonly address: AddressInfo;
  /**
   * Stops accepting connections, lets requests in flight finish (their connections close after the answer,
   * idle keep-alive connections at once) and, after `graceMs`, cuts whatever is still open.
   */
  close(graceMs: number): Promise<void>;
}

/** Creates the HTTP(S) server around a request handler and starts listening on `host:port` (0: any free port). */
export async function listen(options: HttpServerOptions, host: string, port: number): Promise<RunningHttpServer> {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  let closing = false;
  const unanswered = new Set<ServerResponse>();
  let guarded: ReturnType<ConnectionGuard['watch']> | undefined;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    guarded?.established(req.socket);
    // Node's own check would answer in plain text; this one answers in the AWS shape.
    if (req.httpVersion === '1.1' && req.headers.host === undefined) {
      answerEarly(res, httpErrors.missingHost());
      return;
    }
    // While shutting down, every answer is the last one on its connection.
    if (closing) res.setHeader('Connection', 'close');
    else {
      unanswered.add(res);
      res.once('close', () => unanswered.delete(res));
    }
    options.handler(req, res);
  };
  const serverOptions = {
    headersTimeout: timeouts.headersMs,
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    connectionsCheckingInterval: timeouts.checkIntervalMs,
    maxHeaderSize: MAX_HEADER_BYTES,
    requireHostHeader: false,
  };
  // Node's own handshake timeout stays as a backstop behind the guard's (which counts and logs).
  const handshakeTimeout = options.guard ? options.guard.settings.handshakeTimeoutMs + 1_000 : 120_000;
  const server: Server = options.tls
    ? createHttpsServer({ ...serverOptions, handshakeTimeout, key: options.tls.key, cert: options.tls.cert }, handler)
    : createHttpServer(serverOptions, handler);
  if (options.tls) attachStapling(server as unknown as TlsServer, options.tls);
  guarded = options.guard?.watch(server, 'rest', options.tls !== undefined);
  if (guarded && options.tls) {
    const door = guarded;
    server.on('secureConnection', (socket: Socket) => door.handshakeDone(socket));
  }
  server.timeout = timeouts.idleSocketMs;
  // Answer Expect: 100-continue only once the request handler has checked the declared body size.
  server.on('checkContinue', handler);
  // Any other expectation: 417 in the AWS shape, not Node's bare one.
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) =>
    answerEarly(res, httpErrors.expectationFailed(req.headers.expect ?? '')),
  );
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) =>
    answerClientError(err, socket, options.logger),
  );
  server.on('tlsClientError', (err: Error, socket: Socket) => {
    options.logger.debug({ err: err.message }, 'TLS handshake failed');
    // With a listener here Node leaves the socket open: a failed handshake would hold its descriptor forever.
    socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // After start, a server error (e.g. EMFILE on accept) is logged rather than thrown at nobody.
  server.on('error', (err) => options.logger.error({ err }, 'server error'));
  const address = server.address() as AddressInfo;
  const shownHost = isIPv6(host) ? `[${host}]` : host;
  return {
    url: `${options.tls ? 'https' : 'http'}://${shownHost}:${address.port}`,
    address,
    close: (graceMs) => {
      closing = true;
      // Requests already in flight finish, but their connections are not kept for another one.
      for (const res of unanswered) if (!res.headersSent) res.setHeader('Connection', 'close');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      guarded?.closePending();
      const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
      return closed.finally(() => clearTimeout(deadline));
    },
  };
}

/** Answers a request refused before the REST handler sees it, and closes its connection. */
function answerEarly(res: ServerResponse, error: ServiceError): void {
  const encoded = encodeError(error);
  res.writeHead(encoded.status, {
    ...encoded.headers,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(encoded.body),
    'x-amzn-RequestId': randomUUID(),
    Connection: 'close',
  });
  res.end(encoded.body);
}

/**
 * Node's parser rejected a request (malformed, headers too large, too slow) before a request object existed:
 * answer in the AWS error shape, as Node's own fallback would in plain text, unless an answer already started.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Socket, logger: Logger): void {
  const inFlight = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const requestId = randomUUID();
  const [error, reason] = clientErrorAnswer(err.code);
  logger.info({ reqId: requestId, status: error.status, errorCode: error.code, parserCode: err.code }, 'bad request');
  socket.write(rawErrorResponse(error, requestId, reason));
  socket.destroySoon();
}

function clientErrorAnswer(code: string | undefined): [ServiceError, string] {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return [httpErrors.headersTooLarge(), 'Request Header Fields Too Large'];
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [httpErrors.requestTimeout(), 'Request Timeout'];
    default:
      return [httpErrors.serialization(`The request is not valid HTTP/1.1 (${code ?? 'unknown'})`), 'Bad Request'];
  }
}
