import type { Registry } from 'prom-client';
import type { KeyPoolStats } from '../../ca/keygen/key-pool.js';
import type { KeyEngineStats } from '../../ca/keygen/worker-key-generator.js';
import { mirroredCounter, mirroredGauge } from './mirrored.js';

type KeygenStats = () => { readonly engine: KeyEngineStats; readonly pool?: KeyPoolStats };

/** The key generator's and the key pool's counters, read from them at each scrape. */
export function registerKeygenMetrics(registry: Registry, stats: KeygenStats, withPool: boolean): void {
  const engine = () => stats().engine;
  const gauge = (name: string, help: string, read: () => number) => mirroredGauge(registry, { name, help, read });
  const counter = (name: string, help: string, read: () => number) => mirroredCounter(registry, { name, help, read });
  mirroredGauge(registry, {
    name: 'fleetca_keygen_info',
    help: 'The RSA key generation engine in use.',
    labelNames: ['engine'],
    read: () => [[{ engine: engine().engine }, 1]],
  });
  gauge('fleetca_keygen_threads', 'Worker threads that generate keys.', () => engine().threads);
  gauge('fleetca_keygen_busy_threads', 'Worker threads generating a key right now.', () => engine().busyThreads);
  gauge('fleetca_keygen_queued', 'Requests waiting for a free key generation thread.', () => engine().queued);
  gauge(
    'fleetca_keygen_queue_limit',
    'Waiting requests beyond which requests are throttled.',
    () => engine().maxQueued,
  );
  mirroredCounter(registry, {
    name: 'fleetca_keygen_keys_generated_total',
    help: 'Key pairs generated, for a waiting request or ahead of demand for the pool.',
    labelNames: ['purpose'],
    read: () => [
      [{ purpose: 'request' }, engine().generated.request],
      [{ purpose: 'pool' }, engine().generated.background],
    ],
  });
  counter(
    'fleetca_keygen_generation_seconds_total',
    'Thread time spent generating key pairs.',
    () => engine().generationSeconds,
  );
  counter(
    'fleetca_keygen_throttled_total',
    'Requests refused with ThrottlingException: queue full.',
    () => engine().throttled,
  );
  counter('fleetca_keygen_failures_total', 'Key generations that failed.', () => engine().failures);
  if (!withPool) return;
  const pool = () => stats().pool ?? { ready: 0, capacity: 0, hits: 0, misses: 0, refillFailures: 0 };
  gauge('fleetca_keygen_pool_keys', 'Key pairs ready in the in-memory pool.', () => pool().ready);
  gauge('fleetca_keygen_pool_capacity', 'Key pairs the pool holds when full.', () => pool().capacity);
  counter('fleetca_keygen_pool_hits_total', 'Requests served a key from the pool.', () => pool().hits);
  counter('fleetca_keygen_pool_misses_total', 'Requests that found the pool empty.', () => pool().misses);
  counter(
    'fleetca_keygen_pool_refill_failures_total',
    'Failed background key generations.',
    () => pool().refillFailures,
  );
}
