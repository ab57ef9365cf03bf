/**
 * Test support for the REST server: a server started in-process on port 0 over a fresh data directory
 * with one account and access key made through the registry, SigV4-signed requests sent with plain
 * node:http, raw socket exchanges for requests no HTTP client would send, and the server's log lines.
 */

import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect, type Socket } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';
import { openHome } from '../../../src/home/open-home.js';
import type { ServerTimeouts } from '../../../src/server/http/http-server.js';
import { createLogger } from '../../../src/server/logging/logger.js';
import { type FleetcaServer, type NodeRuntime, startServer } from '../../../src/server/serve.js';
import { NodeSha256 } from '../../../src/sigv4/node-sha256.js';
import { cliEnv, tempHome } from '../../helpers/run-cli.js';

export const ACCOUNT_ID = '111122223333';
export const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface TestServer {
  readonly url: string;
  readonly port: number;
  readonly home: string;
  readonly env: NodeJS.ProcessEnv;
  readonly credentials: Credentials;
  /** Every log line the server wrote so far. */
  readonly logs: string[];
  readonly server: FleetcaServer;
  close(graceMs?: number): Promise<void>;
}

export interface TestServerOptions {
  readonly tlsNames?: readonly string[];
  readonly regions?: readonly string[];
  readonly timeouts?: Partial<ServerTimeouts>;
  readonly maxBodyBytes?: number;
  readonly logLevel?: 'info' | 'debug' | 'trace';
  /** Default 2: the pool's path is taken without every test server filling 256 keys. */
  readonly keyPoolSize?: number;
  /** How stale the metrics' certificate counts may be; serve's default (a minute) when absent. */
  readonly certificateCountMaxAgeMs?: number;
  /** The runtime the server judges itself on; this process's when absent. */
  readonly runtime?: NodeRuntime;
  /** false: `--no-console`. */
  readonly console?: boolean;
  /** `--console-dir`: the built console served instead of dist/console. */
  readonly consoleDir?: string;
}

/** Starts `startServer` on 127.0.0.1:0 with the real SigV4 authenticator and an account made in the registry. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const home = await tempHome('fleetca-http-');
  const env = cliEnv(home);
  const opened = await openHome(env);
  let credentials: Credentials;
  try {
    await opened.registry.accounts.createAccount(ACCOUNT_ID);
    credentials = await opened.registry.accounts.createAccessKey(ACCOUNT_ID);
  } finally {
    await opened.close();
  }
  const logs: string[] = [];
  const logger = createLogger({
    level: options.logLevel ?? 'info',
    destination: { write: (line: string) => void logs.push(line) },
  });
  const server = await startServer({
    env,
    host: '127.0.0.1',
    port: 0,
    tlsNames: options.tlsNames,
    regions: options.regions ? new Set(options.regions) : undefined,
    devAcceptAnyCredentials: false,
    logger,
    timeouts: options.timeouts,
    maxBodyBytes: options.maxBodyBytes,
    keygen: { poolSize: options.keyPoolSize ?? 2 },
    certificateCountMaxAgeMs: options.certificateCountMaxAgeMs,
    runtime: options.runtime,
    console: options.console,
    consoleDir: options.consoleDir,
  });
  return {
    url: server.url,
    port: server.port,
    home,
    env,
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    logs,
    server,
    close: (graceMs = 2_000) => server.close(graceMs),
  };
}

export interface SendOptions {
  readonly method: string;
  /** Path exactly as sent (percent-encoded by the caller). */
  readonly path: string;
  /** Query parameters, encoded and signed; ignored when rawQuery is given. */
  readonly query?: Readonly<Record<string, string | readonly string[]>>;
  /** A query string sent verbatim (and not signed). */
  readonly rawQuery?: string;
  readonly body?: string | Buffer;
  /** Extra headers, signed with the rest. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Headers added after signing, as a raw list so names may repeat. */
  readonly unsignedHeaders?: readonly (readonly [string, string])[];
  /** Drop these (lower-case) headers after signing. */
  readonly dropHeaders?: readonly string[];
  /** Send this body instead of the signed one (tampering). */
  readonly sendBody?: string | Buffer;
  readonly credentials?: Credentials;
  readonly region?: string;
  readonly service?: string;
  readonly signingDate?: Date;
  /** false: no signature at all. */
  readonly sign?: boolean;
  /** For https servers: the trust store. */
  readonly ca?: string;
}

export interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The body parsed as JSON, undefined when empty or not JSON. */
  readonly json: unknown;
}

/** RFC 3986 encoding as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Signs a request the way the AWS SDKs do and sends it with node:http(s). */
export async function send(server: TestServer, options: SendOptions): Promise<Reply> {
  const url = new URL(server.url);
  const host = `${url.hostname}:${url.port}`;
  const body = options.body ?? '';
  const query = options.query ?? {};
  const rawQuery =
    options.rawQuery ??
    Object.entries(query)
      .flatMap(([name, value]) =>
        (Array.isArray(value) ? value : [value]).map((v) => `${uriEncode(name)}=${uriEncode(v)}`),
      )
      .join('&');
  let headers: Record<string, string> = { host, ...(options.headers ?? {}) };
  if (options.sign !== false) {
    const signer = new SignatureV4({
      credentials: options.credentials ?? server.credentials,
      region: options.region ?? 'us-east-1',
      service: options.service ?? 'iot',
      sha256: NodeSha256,
      applyChecksum: false,
    });
    const signed = await signer.sign(
      {
        method: options.method,
        protocol: url.protocol,
        hostname: url.hostname,
        port: Number(url.port),
        path: options.path,
        query: options.rawQuery === undefined ? (query as Record<string, string | string[]>) : decodedQuery(rawQuery),
        headers,
        body,
      },
      { signingDate: options.signingDate ?? new Date() },
    );
    headers = signed.headers;
  }
  for (const name of options.dropHeaders ?? []) delete headers[name];
  const sent = options.sendBody ?? body;
  const raw: string[] = Object.entries(headers).flat();
  if (Buffer.byteLength(sent) > 0 && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-length')) {
    raw.push('content-length', String(Buffer.byteLength(sent)));
  }
  for (const [name, value] of options.unsignedHeaders ?? []) raw.push(name, value);
  const target = rawQuery === '' ? options.path : `${options.path}?${rawQuery}`;
  return exchange(url, options.method, target, raw, sent, options.ca);
}

/** A raw query as the signer wants it (decoded, repeats kept); undecodable ones are signed as no query. */
function decodedQuery(rawQuery: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  try {
    for (const pair of rawQuery.split('&').filter((p) => p !== '')) {
      const eq = pair.indexOf('=');
      const name = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
      const value = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1));
      const prior = query[name];
      query[name] = prior === undefined ? value : [...(Array.isArray(prior) ? prior : [prior]), value];
    }
  } catch {
    return {};
  }
  return query;
}

function exchange(url: URL, method: string, path: string, headers: string[], body: string | Buffer, ca?: string) {
  return new Promise<Reply>((resolve, reject) => {
    const requester = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = requester(
      { host: url.hostname, port: url.port, method, path, headers, ca, agent: false, setHost: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text === '' ? undefined : JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** What came back on a raw socket: status, headers (lower-case names) and body, parsed loosely. */
export interface RawReply {
  readonly text: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The server closed the connection. */
  readonly closed: boolean;
}

/**
 * Writes bytes on a fresh TCP connection (in parts, with pauses, when given several) and collects whatever
 * comes back until the server closes the connection or `waitMs` passes.
 */
export function rawExchange(port: number, parts: readonly (string | Buffer)[], waitMs = 3_000, pauseMs = 0) {
  return new Promise<RawReply>((resolve, reject) => {
    const socket: Socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let closed = false;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(parseRaw(Buffer.concat(chunks).toString('utf8'), closed));
    };
    const timer = setTimeout(finish, waitMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // A reset after the answer still leaves the answer to inspect.
      if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') reject(err);
    });
    socket.on('connect', async () => {
      for (const [index, part] of parts.entries()) {
        if (index > 0 && pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
        if (socket.destroyed) return;
        socket.write(part);
      }
    });
  });
}

/** An HTTP/1.1 answer as read off the wire. */
export function parseRaw(text: string, closed: boolean): RawReply {
  const split = text.indexOf('\r\n\r\n');
  const head = split < 0 ? text : text.slice(0, split);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return {
    text,
    status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0),
    headers,
    body: split < 0 ? '' : text.slice(split + 4),
    closed,
  };
}

/** The log lines as objects. */
export function logRecords(server: TestServer): Record<string, unknown>[] {
  return server.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** A syntactically valid certificate id that no certificate has. */
export const UNKNOWN_ID = 'ab'.repeat(32);
