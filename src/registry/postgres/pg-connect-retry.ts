import { setTimeout as sleep } from 'node:timers/promises';
import { StoreError } from '../store-error.js';

/** How long to keep trying to reach a server that is not there (yet). */
export interface ConnectRetryOptions {
  /** Epoch milliseconds after which no new attempt starts; absent means a single attempt. May be Infinity. */
  readonly deadline?: number;
  /** Hears each failed attempt (1-based) and the pause before the next. */
  readonly onRetry?: (error: StoreError, delayMs: number, attempt: number) => void;
}

/** First pause; each later one doubles, up to MAX_DELAY_MS. */
const FIRST_DELAY_MS = 100;
const MAX_DELAY_MS = 5000;
/** Pauses vary by ±20 %, so that replicas restarted together do not retry in lockstep. */
const JITTER = 0.2;

/**
 * Runs `attempt` until it succeeds. Only StoreError UNAVAILABLE (server unreachable, starting up, full)
 * is retried, with exponential back-off, while the deadline allows; anything else (wrong credentials, a
 * foreign schema) is final and thrown at once, as is the last failure once the deadline has passed.
 */
export async function retryWhileUnavailable<T>(
  attempt: () => Promise<T>,
  options: ConnectRetryOptions = {},
  random: () => number = Math.random,
): Promise<T> {
  let backoff = FIRST_DELAY_MS;
  for (let attempts = 1; ; attempts++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof StoreError && error.code === 'UNAVAILABLE') || options.deadline === undefined) throw error;
      const remaining = options.deadline - Date.now();
      if (!(remaining > 0)) throw error;
      const jittered = backoff * (1 - JITTER + 2 * JITTER * random());
      // Never sleep past the deadline: the last attempt starts at it.
      const delayMs = Math.max(0, Math.round(Math.min(jittered, remaining)));
      options.onRetry?.(error, delayMs, attempts);
      await sleep(delayMs);
      backoff = Math.min(backoff * 2, MAX_DELAY_MS);
    }
  }
}
