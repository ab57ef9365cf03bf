/**
 * The one HTTP client both servers are driven with: keep-alive node:http, each request signed with SigV4
 * (service iot, us-east-1) by smithy's SignatureV4, the signer the AWS SDKs use. Using the same client and
 * the same signed requests for fleetca and moto keeps the comparison about the servers.
 */

import { Agent, request } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../src/sigv4/node-sha256.js';

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface Reply {
  readonly status: number;
  readonly body: string;
  /** AWS error code from `x-amzn-ErrorType` (the part before any `:`), when the response carries one. */
  readonly errorType?: string;
  /** From the call to `send` (or the scheduled start given) to the last byte of the response. */
  readonly latencyMs: number;
}

export interface SignedRequest {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  /** JSON text; absent for requests without a body. */
  readonly body?: string;
  /** Leave unsigned (the health and metrics endpoints need no credentials). */
  readonly unsigned?: boolean;
}

export const REGION = 'us-east-1';
const IDLE_SOCKET_TIMEOUT_MS = 60_000;
export const SERVICE = 'iot';

export class SigV4Client {
  readonly #url: URL;
  readonly #host: string;
  readonly #agent: Agent;
  readonly #signer: SignatureV4;

  /** `maxSockets` bounds the connections; requests beyond it wait in the agent (their latency includes that). */
  constructor(baseUrl: string, credentials: Credentials, maxSockets = 256) {
    this.#url = new URL(baseUrl);
    this.#host = this.#url.host;
    this.#agent = new Agent({
      keepAlive: true,
      maxSockets,
      maxFreeSockets: maxSockets,
      scheduling: 'lifo',
      // Node honours a server's `Keep-Alive: timeout=N` hint (dropping idle sockets before the server does) only
      // when it is below the agent's own timeout; without one, idle sockets are kept until the server resets them.
      timeout: IDLE_SOCKET_TIMEOUT_MS,
    });
    this.#signer = new SignatureV4({
      credentials,
      region: REGION,
      service: SERVICE,
      sha256: NodeSha256,
      applyChecksum: false,
    });
  }

  /**
   * Signs and sends one request and reads the whole response. `startedAt` (performance.now() time) lets an
   * open-loop caller measure from when the request was due rather than when it got sent.
   */
  async send(req: SignedRequest, startedAt = performance.now()): Promise<Reply> {
    const query = req.query ?? {};
    const headers: Record<string, string> = { host: this.#host };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    // POSTs always say their length, so node does not fall back to chunked encoding for an empty body.
    if (req.method === 'POST' || req.body !== undefined) headers['content-length'] = String(byteLength(req.body));
    const signedHeaders = req.unsigned
      ? headers
      : (
          await this.#signer.sign({
            method: req.method,
            protocol: this.#url.protocol,
            hostname: this.#url.hostname,
            port: Number(this.#url.port),
            path: req.path,
            query: { ...query },
            headers,
            body: req.body ?? '',
          })
        ).headers;
    const search = new URLSearchParams(query).toString();
    const target = search === '' ? req.path : `${req.path}?${search}`;
    const reply = await this.#exchange(req.method, target, signedHeaders, req.body);
    return { ...reply, latencyMs: performance.now() - startedAt };
  }

  close(): void {
    this.#agent.destroy();
  }

  #exchange(
    method: string,
    target: string,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<Omit<Reply, 'latencyMs'>> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.#url.hostname,
          port: this.#url.port,
          method,
          path: target,
          headers,
          agent: this.#agent,
          setHost: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const errorType = res.headers['x-amzn-errortype'];
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              ...(typeof errorType === 'string' ? { errorType: errorType.split(':')[0] } : {}),
            });
          });
          res.on('error', reject);
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) => {
        // A kept-alive socket the server closed while it sat idle: the request never reached the server, so
        // it is sent again, as every keep-alive client does (node's docs too). The failed socket is gone; the
        // next may be stale as well, but only reused sockets are retried, so this ends at a fresh connection.
        if (req.reusedSocket && err.code === 'ECONNRESET') {
          this.#exchange(method, target, headers, body).then(resolve, reject);
        } else {
          reject(err);
        }
      });
      req.end(body);
    });
  }
}

function byteLength(body: string | undefined): number {
  return body === undefined ? 0 : Buffer.byteLength(body);
}
