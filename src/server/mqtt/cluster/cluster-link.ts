import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '../../logging/logger.js';
import type { NatsConnectOptions } from './nats-connect-options.js';

/** What metrics and health read of the link to NATS. */
export interface ClusterStats {
  readonly connected: boolean;
  /** Messages handed to NATS for other replicas, and routed here from them. */
  readonly sent: number;
  readonly received: number;
  /** Messages not handed to NATS: never reached since the start, or away longer than the reconnect buffer lasts. */
  readonly unsent: number;
  readonly reconnects: number;
  /** Why the link is down, while it is. */
  readonly problem?: string;
}

/** Payload bytes handed to the NATS client while it is disconnected (it buffers them), before messages are dropped. */
const RECONNECT_BUFFER_BYTES = 8 * 1024 * 1024;

/** How long one attempt to reach NATS may take, and the pause before the next. */
const CONNECT_TIMEOUT_MS = 5_000;
const RETRY_MS = 1_000;

/**
 * The replica's one connection to NATS, kept forever: reached in the background (serve does not wait for it),
 * reconnected by the client after any loss (it buffers what is published meanwhile and resubscribes). `onConnected`
 * runs at the first connection and after every reconnection. One warning when it is lost, one note when it is back.
 */
export class ClusterLink {
  connection: NatsConnection | undefined;
  readonly counts = { sent: 0, received: 0, unsent: 0, reconnects: 0 };
  #connected = false;
  /** Bytes handed to the client since the connection was lost. */
  #bufferedWhileAway = 0;
  #problem: string | undefined = 'not connected yet';
  #closed = false;
  #retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: NatsConnectOptions,
    private readonly name: string,
    private readonly logger: Logger,
    private readonly onConnected: (connection: NatsConnection) => void,
  ) {}

  get connected(): boolean {
    return this.#connected;
  }

  /**
   * Whether a message of `bytes` may be handed to the client now: always while connected; while reconnecting, until
   * the buffer is full (a long outage under load must not grow memory without bound).
   */
  mayPublish(bytes: number): boolean {
    if (!this.connection) return false;
    if (this.#connected) return true;
    if (this.#bufferedWhileAway + bytes > RECONNECT_BUFFER_BYTES) return false;
    this.#bufferedWhileAway += bytes;
    return true;
  }

  stats(): ClusterStats {
    return { connected: this.#connected, ...this.counts, ...(this.#problem ? { problem: this.#problem } : {}) };
  }

  /** Connects in the background, retrying until it succeeds or the link is closed. */
  start(): void {
    void this.#attempt();
  }

  /**
   * One connection attempt (bounded by its timeout), then another after a pause if it failed: the client's own
   * first-connect retrying cannot be stopped, and would keep a stopping `fleetca serve` alive. Each new reason is
   * logged once.
   */
  async #attempt(): Promise<void> {
    if (this.#closed) return;
    let connection: NatsConnection;
    try {
      connection = await connect({
        ...this.options,
        servers: [...this.options.servers],
        name: `fleetca ${this.name}`,
        // What this replica publishes never comes back to it.
        noEcho: true,
        timeout: CONNECT_TIMEOUT_MS,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 500,
        reconnectJitter: 250,
        pingInterval: 10_000,
        maxPingOut: 2,
      });
    } catch (err) {
      if (this.#closed) return;
      const problem = (err as Error).message;
      if (problem !== this.#problem) {
        this.logger.warn(
          { servers: this.options.servers.map(hostOf), cluster: this.name, err: problem },
          'cluster: NATS unreachable; devices are served, routing to other replicas waits; retrying',
        );
      }
      this.#problem = problem;
      this.#retryTimer = setTimeout(() => void this.#attempt(), RETRY_MS);
      return;
    }
    this.#opened(connection);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    const connection = this.connection;
    this.connection = undefined;
    if (connection) await connection.drain().catch(() => connection.close());
  }

  #opened(connection: NatsConnection): void {
    if (this.#closed) {
      void connection.close();
      return;
    }
    this.connection = connection;
    this.#up(connection);
    void this.#watch(connection);
  }

  async #watch(connection: NatsConnection): Promise<void> {
    for await (const status of connection.status()) {
      if (status.type === 'disconnect' && this.#connected) {
        this.#connected = false;
        this.#problem = `lost the connection to ${status.server}`;
        this.logger.warn(
          { server: status.server, cluster: this.name },
          'cluster: NATS connection lost; devices are served, routing to other replicas resumes when it is back',
        );
      } else if (status.type === 'reconnect') {
        this.counts.reconnects++;
        this.#up(connection);
      }
    }
  }

  #up(connection: NatsConnection): void {
    this.#connected = true;
    this.#bufferedWhileAway = 0;
    this.#problem = undefined;
    this.logger.info({ server: connection.getServer(), cluster: this.name }, 'cluster: connected to NATS');
    try {
      this.onConnected(connection);
    } catch (err) {
      this.logger.error({ err, cluster: this.name }, 'cluster: re-establishing after a connection failed');
    }
  }
}

/** A server's host and port only: its URL may carry credentials. */
function hostOf(server: string): string {
  try {
    return new URL(server).host;
  } catch {
    return '?';
  }
}
