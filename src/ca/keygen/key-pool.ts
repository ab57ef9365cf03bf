import type { GeneratedKeyPair, KeyPairGenerator } from '../key-generator.js';
import type { WorkerKeyPairGenerator } from './worker-key-generator.js';

export interface KeyPoolStats {
  readonly ready: number;
  readonly capacity: number;
  readonly hits: number;
  readonly misses: number;
  readonly refillFailures: number;
}

export interface KeyPool extends KeyPairGenerator {
  stats(): KeyPoolStats;
}

/**
 * Hears the pool's episodes, not its keys: it starts filling, it is full, it ran dry. Between "full" and
 * "drained" keys come and go silently, so a busy server says something only when the pool's state changes.
 */
export interface KeyPoolObserver {
  filling(capacity: number): void;
  /** `seconds`: since it started filling, or since it last ran dry. */
  full(keys: number, seconds: number): void;
  /** A request found no key ready: `waiting` requests (this one included) wait for new keys. */
  drained(waiting: number): void;
}

/** Keys `fleetca serve` keeps ready unless configured otherwise: a burst of a few hundred devices, ~1 MB. */
export const DEFAULT_KEY_POOL_SIZE = 256;

/** After a failed background key, wait this long before trying again rather than spinning. */
const RETRY_AFTER_FAILURE_MS = 1000;

/**
 * Key pairs made ahead of demand, so a request can take a finished key instead of waiting ~50 ms for a
 * new one. The pool lives in this process's memory only — never on disk — and is bounded. It refills
 * only through workers that would otherwise be idle: requests always go first. Each pooled key is
 * handed out once and forgotten by the pool.
 *
 * A request that finds the pool empty queues a key of its own; whichever key is ready first — its own
 * or one finishing in the background — serves the oldest waiting request, and a key nobody is waiting
 * for goes into the pool, so no generated key is wasted.
 */
export function createKeyPool(engine: WorkerKeyPairGenerator, capacity: number, observer?: KeyPoolObserver): KeyPool {
  const ready: GeneratedKeyPair[] = [];
  const waiting: Array<{ resolve: (keys: GeneratedKeyPair) => void; reject: (err: Error) => void }> = [];
  let inFlight = 0;
  let hits = 0;
  let misses = 0;
  let refillFailures = 0;
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let state: 'filling' | 'full' | 'drained' = 'filling';
  let stateSince = performance.now();

  const deliver = (keys: GeneratedKeyPair) => {
    const waiter = waiting.shift();
    if (waiter) waiter.resolve(keys);
    else if (!closed && ready.length < capacity) {
      ready.push(keys);
      if (ready.length === capacity && state !== 'full') {
        observer?.full(capacity, (performance.now() - stateSince) / 1000);
        state = 'full';
      }
    }
  };

  const refill = () => {
    while (!closed && retryTimer === undefined && ready.length + inFlight < capacity) {
      const next = engine.generateWhenIdle();
      if (!next) return;
      inFlight++;
      next.then(
        (keys) => {
          inFlight--;
          deliver(keys);
          refill();
        },
        () => {
          inFlight--;
          refillFailures++;
          retryTimer = setTimeout(() => {
            retryTimer = undefined;
            refill();
          }, RETRY_AFTER_FAILURE_MS);
          retryTimer.unref();
        },
      );
    }
  };

  engine.onIdle(refill);
  observer?.filling(capacity);
  refill();

  return {
    generate: () => {
      const pooled = ready.shift();
      if (pooled) {
        hits++;
        queueMicrotask(refill);
        return Promise.resolve(pooled);
      }
      misses++;
      return new Promise<GeneratedKeyPair>((resolve, reject) => {
        const waiter = { resolve, reject };
        waiting.push(waiter);
        if (state !== 'drained') {
          observer?.drained(waiting.length);
          state = 'drained';
          stateSince = performance.now();
        }
        engine.generate().then(deliver, (err: Error) => {
          // This request's own key failed: fail it if it is still waiting, otherwise the newest waiter
          // (the one with no key of its own coming any more).
          const at = waiting.indexOf(waiter);
          const failed = at >= 0 ? waiting.splice(at, 1)[0] : waiting.pop();
          failed?.reject(err);
        });
      });
    },
    stats: () => ({ ready: ready.length, capacity, hits, misses, refillFailures }),
    close: async () => {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      ready.length = 0;
      await engine.close();
    },
  };
}
