import pg from 'pg';
import { type ChangeHub, decodeChange } from '../registry-changes.js';
import { CHANNEL_SQL } from './pg-notify.js';

export interface ChangeFeedOptions {
  /** Hears each lost connection and the delay before the next attempt (for the operator's log). */
  readonly onDisconnect?: (error: unknown, retryInMs: number) => void;
  /** First and largest pause between reconnection attempts. */
  readonly minDelayMs?: number;
  readonly maxDelayMs?: number;
}

/** The feed's own connection: LISTEN holds a session, so it cannot come from the pool. */
export interface ChangeFeed {
  /** Resolves once LISTEN is in place on a live connection. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Listens on the registry's NOTIFY channel (see pg-notify.ts) and publishes every change to `hub`. When the connection
 * is lost it reconnects with back-off, and publishes `resync` once listening again: changes committed
 * while it was away were not heard, so whatever subscribers cache must be dropped.
 */
export function startChangeFeed(config: pg.ClientConfig, hub: ChangeHub, options: ChangeFeedOptions = {}): ChangeFeed {
  const minDelay = options.minDelayMs ?? 100;
  const maxDelay = options.maxDelayMs ?? 5000;
  let client: pg.Client | undefined;
  let closed = false;
  let everListened = false;
  let delay = minDelay;
  let timer: NodeJS.Timeout | undefined;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });

  const scheduleReconnect = (error: unknown) => {
    if (closed || timer !== undefined) return;
    // Changes may be lost from the moment the connection is: tell subscribers at once, not only on return.
    if (everListened) hub.publish({ kind: 'resync' });
    const wait = delay;
    delay = Math.min(delay * 2, maxDelay);
    options.onDisconnect?.(error, wait);
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, wait);
    timer.unref();
  };

  const connect = async () => {
    const attempt = new pg.Client(config);
    client = attempt;
    let channel: string | undefined;
    attempt.on('notification', (message) => {
      if (message.channel !== channel || message.payload === undefined) return;
      const change = decodeChange(message.payload);
      if (change !== undefined) hub.publish(change);
    });
    // Only the current connection may trigger a reconnect; a late event from an old one is ignored.
    attempt.on('error', (error) => {
      void attempt.end().catch(() => {});
      if (client === attempt) scheduleReconnect(error);
    });
    attempt.on('end', () => {
      if (client === attempt) scheduleReconnect(new Error('the change feed connection ended'));
    });
    try {
      await attempt.connect();
      const named = await attempt.query<{ channel: string }>(`SELECT ${CHANNEL_SQL} AS channel`);
      channel = named.rows[0]?.channel;
      await attempt.query(`LISTEN "${channel}"`);
    } catch (error) {
      void attempt.end().catch(() => {});
      if (client === attempt) scheduleReconnect(error);
      return;
    }
    if (closed) {
      await attempt.end().catch(() => {});
      return;
    }
    if (everListened) hub.publish({ kind: 'resync' });
    everListened = true;
    delay = minDelay;
    markReady();
  };

  void connect();
  return {
    ready,
    close: async () => {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      await client?.end().catch(() => {});
    },
  };
}
