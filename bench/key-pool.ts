/**
 * fleetca's key pool as seen from outside, through `GET /_fleetca/metrics` (unauthenticated, Prometheus text):
 * how many keys are ready and how many it holds at most. Builds without the endpoint answer 404.
 */

import { keysAndCertificateCalls, METRICS_PATH } from './iot-requests.js';
import { sleep, tally } from './load.js';
import { parsePrometheusText, sampleValue } from './prometheus.js';
import type { BenchServer } from './servers.js';
import type { SigV4Client } from './sigv4-client.js';

export const POOL_KEYS_METRIC = 'fleetca_keygen_pool_keys';
export const POOL_CAPACITY_METRIC = 'fleetca_keygen_pool_capacity';

export interface PoolState {
  readonly keys: number;
  readonly capacity: number;
}

/** The pool's state; 'no-metrics' when the endpoint is absent (404) or does not report the pool. */
export async function readPoolState(server: BenchServer): Promise<PoolState | 'no-metrics'> {
  const res = await fetch(`${server.url}${METRICS_PATH}`, { signal: AbortSignal.timeout(5_000) });
  const text = await res.text();
  if (res.status === 404) return 'no-metrics';
  if (!res.ok) throw new Error(`GET ${METRICS_PATH}: HTTP ${res.status}`);
  const samples = parsePrometheusText(text);
  const keys = sampleValue(samples, POOL_KEYS_METRIC);
  const capacity = sampleValue(samples, POOL_CAPACITY_METRIC);
  return keys === undefined || capacity === undefined ? 'no-metrics' : { keys, capacity };
}

/**
 * Takes keys out of the pool with CreateKeysAndCertificate until it reports none ready, so the round that
 * follows measures the sustained rate rather than the pool. Returns how many requests that took.
 */
export async function drainPool(server: BenchServer, client: SigV4Client, timeoutMs = 120_000): Promise<number> {
  const next = keysAndCertificateCalls(server.rules);
  const deadline = performance.now() + timeoutMs;
  let drained = 0;
  for (;;) {
    const state = await readPoolState(server);
    if (state === 'no-metrics' || state.keys <= 0) return drained;
    if (performance.now() > deadline)
      throw new Error(`the key pool still had ${state.keys} keys after ${timeoutMs} ms`);
    const batch = Math.min(16, Math.max(1, state.keys));
    const exchanges = await Promise.all(
      Array.from({ length: batch }, async () => {
        const call = next();
        return { reply: await client.send(call.request), check: call.check };
      }),
    );
    const counted = tally(exchanges);
    if (counted.failed > 0) throw new Error(`draining the key pool failed: ${counted.failures[0]}`);
    drained += batch;
  }
}

export interface PoolWait {
  readonly state: PoolState | 'no-metrics';
  readonly full: boolean;
  readonly waitedMs: number;
}

/** Waits until the pool reports itself full (keys ≥ capacity), or the timeout passes; `onPoll` sees each reading. */
export async function waitForFullPool(
  server: BenchServer,
  timeoutMs: number,
  onPoll?: (state: PoolState) => void,
): Promise<PoolWait> {
  const started = performance.now();
  for (;;) {
    const state = await readPoolState(server);
    const waitedMs = performance.now() - started;
    if (state !== 'no-metrics') onPoll?.(state);
    if (state === 'no-metrics') return { state, full: false, waitedMs };
    if (state.keys >= state.capacity) return { state, full: true, waitedMs };
    if (waitedMs > timeoutMs) return { state, full: false, waitedMs };
    await sleep(200);
  }
}
