import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer of the stub: what AWS IoT would send back. */
export interface StubResponse {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as is (a string) or JSON-encoded compactly (anything else). */
  readonly body?: unknown;
}

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/**
 * A loopback HTTP endpoint that answers every request with the same scripted response and records
 * what it received, so the real aws CLI and fleetca can be run side by side against identical bytes.
 */
export class StubEndpoint {
  readonly requests: RecordedRequest[] = [];
  #server: Server | undefined;
  #response: StubResponse = { body: {} };
  /** Answers still to give before falling back to #response (respondSequence). */
  #queue: StubResponse[] = [];

  get url(): string {
    const address = this.#server?.address() as AddressInfo | null;
    if (!address) throw new Error('stub endpoint not started');
    return `http://127.0.0.1:${address.port}`;
  }

  respond(response: StubResponse): this {
    this.#response = response;
    this.#queue = [];
    return this;
  }

  /** Answers the next requests with these responses in order, then keeps repeating the last one. */
  respondSequence(responses: readonly StubResponse[]): this {
    this.#queue = responses.slice(0, -1);
    this.#response = responses[responses.length - 1] ?? { body: {} };
    return this;
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => this.#answer(req, res));
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #answer(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      this.requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const { status = 200, headers = {}, body } = this.#queue.shift() ?? this.#response;
      const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, {
        'Content-Type': 'application/json',
        'x-amzn-RequestId': '00000000-0000-4000-8000-000000000000',
        ...headers,
      });
      res.end(text);
    });
  }
}
