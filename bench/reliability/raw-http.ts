/**
 * HTTP/1.1 over a raw socket (plain or TLS): the fuzzer writes bytes no HTTP client would send and reads back
 * whatever the server answers, framing responses itself (status line, headers, Content-Length or chunked body,
 * 1xx skipped). A connection is kept for the next request unless the request or the answer ends it.
 */

import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

export interface RawTarget {
  readonly host: string;
  readonly port: number;
  /** Trust anchors of a TLS server (fleetca's CA chain); absent: plain TCP. */
  readonly tlsCa?: string;
}

export interface RawResponse {
  readonly status: number;
  /** Lower-case names; a repeated header keeps its last value. */
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Buffer;
}

export interface RawOutcome {
  /** The first final (non-1xx) response, if one came. */
  readonly response?: RawResponse;
  /** The server closed (or reset) the connection before answering. */
  readonly closedUnanswered: boolean;
  /** Neither an answer nor a close within the deadline. */
  readonly hung: boolean;
  /** Milliseconds from the write to the answer, the close or the deadline. */
  readonly ms: number;
}

export interface RawSendOptions {
  /** Whether a HEAD was sent: its answer has headers only. */
  readonly head: boolean;
  /** Half-close after writing, so a server waiting for more bytes (a Content-Length lie) sees the end. */
  readonly halfClose: boolean;
  readonly deadlineMs: number;
}

type Parsed = { kind: 'incomplete' } | { kind: 'response'; response: RawResponse; rest: Buffer };

const HEADER_END = Buffer.from('\r\n\r\n');

/** Frames one response at the start of `data`; `closed` lets a body without length end at the close. */
export function parseResponse(data: Buffer, head: boolean, closed: boolean): Parsed {
  const end = data.indexOf(HEADER_END);
  if (end < 0) return { kind: 'incomplete' };
  const lines = data.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/\d\.\d (\d{3})/.exec(lines[0] ?? '')?.[1] ?? Number.NaN);
  if (!Number.isInteger(status)) throw new Error(`not an HTTP response: ${JSON.stringify(lines[0])}`);
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const bodyStart = end + HEADER_END.length;
  if (head || (status >= 100 && status < 200) || status === 204 || status === 304) {
    return { kind: 'response', response: { status, headers, body: Buffer.alloc(0) }, rest: data.subarray(bodyStart) };
  }
  const length = headers.get('content-length');
  if (length !== undefined) {
    const bodyEnd = bodyStart + Number(length);
    if (data.length < bodyEnd) return { kind: 'incomplete' };
    return {
      kind: 'response',
      response: { status, headers, body: data.subarray(bodyStart, bodyEnd) },
      rest: data.subarray(bodyEnd),
    };
  }
  if (/chunked/i.test(headers.get('transfer-encoding') ?? '')) return parseChunked(data, bodyStart, status, headers);
  if (!closed) return { kind: 'incomplete' };
  return { kind: 'response', response: { status, headers, body: data.subarray(bodyStart) }, rest: Buffer.alloc(0) };
}

function parseChunked(data: Buffer, start: number, status: number, headers: Map<string, string>): Parsed {
  const chunks: Buffer[] = [];
  let at = start;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd < 0) return { kind: 'incomplete' };
    const size = Number.parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isInteger(size)) throw new Error('bad chunk size in a response');
    at = lineEnd + 2;
    if (size === 0) {
      const trailerEnd = data.indexOf('\r\n', at);
      if (trailerEnd < 0) return { kind: 'incomplete' };
      return {
        kind: 'response',
        response: { status, headers, body: Buffer.concat(chunks) },
        rest: data.subarray(trailerEnd + 2),
      };
    }
    if (data.length < at + size + 2) return { kind: 'incomplete' };
    chunks.push(data.subarray(at, at + size));
    at += size + 2;
  }
}

/** One connection the fuzzer sends requests on, one at a time. */
export class RawConnection {
  readonly #socket: Socket;
  readonly #tls: boolean;
  readonly #ready: Promise<void>;
  #buffer: Buffer = Buffer.alloc(0);
  #closed = false;
  #wake: (() => void) | undefined;

  constructor(target: RawTarget) {
    this.#tls = target.tlsCa !== undefined;
    this.#socket = target.tlsCa
      ? tlsConnect({ host: target.host, port: target.port, ca: target.tlsCa, servername: 'localhost' })
      : netConnect({ host: target.host, port: target.port });
    this.#ready = new Promise((resolve, reject) => {
      this.#socket.once(target.tlsCa ? 'secureConnect' : 'connect', () => resolve());
      this.#socket.once('error', reject);
    });
    // A refused connection rejects #ready; the rejection is read by send(), never left unhandled.
    this.#ready.catch(() => {});
    this.#socket.on('data', (chunk: Buffer) => {
      this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
      this.#wake?.();
    });
    const closed = () => {
      this.#closed = true;
      this.#wake?.();
    };
    this.#socket.on('error', closed);
    this.#socket.on('end', closed);
    this.#socket.on('close', closed);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Writes `bytes` and waits for the first final response, the connection's close, or the deadline. */
  async send(bytes: Buffer, options: RawSendOptions): Promise<RawOutcome> {
    const started = performance.now();
    await this.#ready;
    this.#buffer = Buffer.alloc(0);
    this.#socket.write(bytes);
    if (options.halfClose) this.#socket.end();
    const deadline = started + options.deadlineMs;
    for (;;) {
      const parsed = this.#nextFinal(options.head);
      if (parsed) return { response: parsed, closedUnanswered: false, hung: false, ms: performance.now() - started };
      if (this.#closed) return { closedUnanswered: true, hung: false, ms: performance.now() - started };
      const left = deadline - performance.now();
      if (left <= 0) return { closedUnanswered: false, hung: true, ms: performance.now() - started };
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

  /** Ends the connection at once (a reset: no TIME_WAIT left behind by 100,000 requests). */
  destroy(): void {
    this.#closed = true;
    if (this.#socket.destroyed) return;
    // A reset only on an established plain TCP socket: Node (20) was seen never to finish exiting (one core busy in
    // its handle cleanup) after resets of TLS sockets or sockets still connecting.
    if (!this.#tls && this.#socket.readyState === 'open') this.#socket.resetAndDestroy();
    else this.#socket.destroy();
  }

  #nextFinal(head: boolean): RawResponse | undefined {
    for (;;) {
      const parsed = parseResponse(this.#buffer, head, this.#closed);
      if (parsed.kind === 'incomplete') return undefined;
      this.#buffer = parsed.rest;
      if (parsed.response.status >= 200) return parsed.response;
    }
  }
}
