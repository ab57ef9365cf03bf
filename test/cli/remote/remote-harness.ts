/**
 * Remote-mode test support: a stub HTTP(S) server that records every request exactly as it
 * arrived and answers from a script, and a runner for fleetca's main() whose transports are the
 * real HTTP transport (without backoff sleeps) — or, with no endpoint, a marker for local mode.
 */
import { execFileSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignatureV4 } from '@smithy/signature-v4';
import type { CliIO } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/main.js';
import type { RemoteSettings } from '../../../src/cli/remote/remote-settings.js';
import type { Transport, TransportOptions } from '../../../src/cli/transport.js';
import { type HttpTransportHooks, openHttpTransport } from '../../../src/cli/transports/http.js';

/** One request as the stub received it. */
export interface RecordedRequest {
  readonly method: string;
  /** The request target exactly as sent: encoded path and query. */
  readonly target: string;
  readonly path: string;
  /** The raw query string, '' when none. */
  readonly query: string;
  /** Header names lower-cased; repeated headers joined with ', '. */
  readonly headers: Readonly<Record<string, string>>;
  /** Header names in arrival order, as sent. */
  readonly headerNames: readonly string[];
  readonly body: string;
}

/** What the stub answers: a response, or a way of not answering. */
export type Scripted =
  | { readonly status?: number; readonly headers?: Record<string, string>; readonly body?: string | object }
  | { readonly hang: true }
  | { readonly reset: true };

export type Script = (request: RecordedRequest, index: number) => Scripted;

export interface Stub {
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** Replaces the answer script. */
  script(script: Script | Scripted[]): void;
  close(): Promise<void>;
}

/** A 200 with a compact JSON body, as AWS sends it. */
export function json(body: object, status = 200, headers: Record<string, string> = {}): Scripted {
  return { status, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** An IoT error response: x-amzn-ErrorType header and a `message` body. */
export function awsError(status: number, code: string, message: string): Scripted {
  return json({ message }, status, { 'x-amzn-ErrorType': `${code}:` });
}

/** Starts a stub on 127.0.0.1 (https when key/cert are given). Every request waits for its body. */
export async function startStub(tls?: { key: string; cert: string }): Promise<Stub> {
  const requests: RecordedRequest[] = [];
  let current: Script = () => json({});
  const hanging = new Set<ServerResponse>();
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const target = req.url ?? '';
      const question = target.indexOf('?');
      const headers: Record<string, string> = {};
      const headerNames: string[] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i] as string;
        headerNames.push(name);
        const key = name.toLowerCase();
        headers[key] =
          headers[key] === undefined ? (req.rawHeaders[i + 1] as string) : `${headers[key]}, ${req.rawHeaders[i + 1]}`;
      }
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        target,
        path: question < 0 ? target : target.slice(0, question),
        query: question < 0 ? '' : target.slice(question + 1),
        headers,
        headerNames,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      const answer = current(recorded, requests.length - 1);
      if ('hang' in answer) {
        hanging.add(res);
        return;
      }
      if ('reset' in answer) {
        req.socket.destroy();
        return;
      }
      const body = typeof answer.body === 'object' ? JSON.stringify(answer.body) : (answer.body ?? '');
      res.writeHead(answer.status ?? 200, { ...answer.headers, 'Content-Length': String(Buffer.byteLength(body)) });
      res.end(body);
    });
  };
  const server: Server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, handler) : createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    script(script) {
      current = Array.isArray(script) ? (_, index) => script[Math.min(index, script.length - 1)] as Scripted : script;
    },
    async close() {
      for (const res of hanging) res.socket?.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The result of one in-process fleetca run. */
export interface RemoteRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The remote settings of each transport opened; undefined entries are local-mode opens. */
  readonly opened: (RemoteSettings | undefined)[];
  /** Backoff pauses requested, in ms. */
  readonly sleeps: number[];
}

export interface RemoteRunOptions {
  /** The whole environment of the run (nothing leaks in from the machine). */
  readonly env?: Record<string, string | undefined>;
  readonly cwd?: string;
  readonly hooks?: HttpTransportHooks;
  /** Opens the transport of a local-mode run (default: one answering `{}`). */
  readonly local?: (options: TransportOptions) => Promise<Transport>;
}

/** Credentials and region for a signed remote call. */
export const AUTH_ENV = {
  AWS_ACCESS_KEY_ID: 'AKIDTEST',
  AWS_SECRET_ACCESS_KEY: 'test-secret',
  AWS_REGION: 'us-east-1',
} as const;

let sharedHome: string | undefined;
/** An empty HOME without ~/.aws, shared by runs that do not care about config files. */
function emptyHome(): string {
  if (sharedHome === undefined) {
    const home = mkdtempSync(join(tmpdir(), 'fleetca-remote-home-'));
    sharedHome = home;
    process.on('exit', () => rmSync(home, { recursive: true, force: true }));
  }
  return sharedHome;
}

/** Runs `fleetca <argv>` in-process with the real HTTP transport (backoff sleeps recorded, not slept). */
export async function runRemote(argv: readonly string[], options: RemoteRunOptions = {}): Promise<RemoteRun> {
  let stdout = '';
  let stderr = '';
  const opened: (RemoteSettings | undefined)[] = [];
  const sleeps: number[] = [];
  const env: Record<string, string | undefined> = { HOME: emptyHome(), TZ: 'UTC', ...options.env };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const io: CliIO = {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env,
    cwd: options.cwd ?? emptyHome(),
  };
  const local = options.local ?? (async () => ({ call: async () => ({}), close: async () => {} }));
  const code = await main(argv, io, {
    async openTransport(transportOptions) {
      opened.push(transportOptions.remote);
      if (!transportOptions.remote) return local(transportOptions);
      return openHttpTransport(transportOptions.remote, {
        sleep: async (ms) => {
          sleeps.push(ms);
        },
        ...options.hooks,
      });
    },
  });
  return { code, stdout, stderr, opened, sleeps };
}

/** stderr of an error in the AWS CLI v2.34 layout. */
export function cliError(message: string): string {
  return `\nfleetca: [ERROR]: ${message}\n`;
}

/** A private temporary directory; `remove()` deletes it. */
export function tempDir(prefix = 'fleetca-remote-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Writes `files` (relative path → content) under `dir`. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, content);
  }
}

/** A test CA and a server certificate for 127.0.0.1 / localhost, made with openssl. */
export interface TestPki {
  readonly caPem: string;
  readonly caFile: string;
  readonly key: string;
  readonly cert: string;
  /** A certificate for `localhost` only (no IP SAN), same key. */
  readonly localhostOnlyCert: string;
}

/** Makes a P-256 CA and server certificates in `dir` with the openssl command line. */
export function makeTestPki(dir: string): TestPki {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const curve = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...curve,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-subj',
    '/CN=fleetca test CA',
    '-days',
    '2',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  openssl('req', '-new', ...curve, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  writeFileSync(join(dir, 'dns.ext'), 'subjectAltName=DNS:localhost\n');
  const sign = (ext: string, out: string) =>
    openssl(
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      out,
      '-days',
      '2',
      '-extfile',
      ext,
    );
  sign('san.ext', 'server.pem');
  sign('dns.ext', 'localhost.pem');
  const read = (name: string) => execFileSync('cat', [name], { cwd: dir, encoding: 'utf8' });
  return {
    caPem: read('ca.pem'),
    caFile: join(dir, 'ca.pem'),
    key: read('server.key'),
    cert: read('server.pem'),
    localhostOnlyCert: read('localhost.pem'),
  };
}

/** The parts of an Authorization header. */
export interface Authorization {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/** Parses `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`. */
export function parseAuthorization(header: string | undefined): Authorization | undefined {
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      header ?? '',
    );
  if (!match) return undefined;
  return {
    accessKeyId: match[1] as string,
    date: match[2] as string,
    region: match[3] as string,
    service: match[4] as string,
    signedHeaders: (match[5] as string).split(';'),
    signature: match[6] as string,
  };
}

class TestSha256 {
  private hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {}
}

function toBytes(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/**
 * Re-signs a captured request with @smithy/signature-v4 and the known secret, the way a server
 * verifies SigV4 (only the SignedHeaders, applyChecksum off), and returns the expected header.
 */
export async function expectedAuthorization(request: RecordedRequest, secret: string, token?: string): Promise<string> {
  const auth = parseAuthorization(request.headers.authorization);
  if (!auth) throw new Error(`no SigV4 Authorization: ${request.headers.authorization}`);
  const amzDate = request.headers['x-amz-date'] as string;
  const signingDate = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const query: Record<string, string | string[]> = {};
  for (const pair of request.query.split('&').filter(Boolean)) {
    const eq = pair.indexOf('=');
    const key = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = decodeURIComponent(eq < 0 ? '' : pair.slice(eq + 1));
    const existing = query[key];
    query[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) headers[name] = request.headers[name] ?? '';
  const signer = new SignatureV4({
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey: secret, sessionToken: token },
    region: auth.region,
    service: auth.service,
    sha256: TestSha256,
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: request.headers.host ?? '',
      path: request.path,
      query,
      headers,
      body: request.body,
    },
    { signingDate, signableHeaders: new Set(auth.signedHeaders) },
  );
  return signed.headers.authorization as string;
}
