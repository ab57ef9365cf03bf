import type { KeyPoolStats } from '../ca/keygen/key-pool.js';
import type { KeyEngineStats } from '../ca/keygen/worker-key-generator.js';
import type { MetricFamily } from './http/prometheus-text.js';

/** The key generator's and the key pool's state as metric families. */
export function keygenMetricFamilies(stats: { engine: KeyEngineStats; pool?: KeyPoolStats }): MetricFamily[] {
  const { engine, pool } = stats;
  const gauge = (name: string, help: string, value: number): MetricFamily => ({
    name,
    help,
    type: 'gauge',
    samples: [{ value }],
  });
  const counter = (name: string, help: string, value: number): MetricFamily => ({
    name,
    help,
    type: 'counter',
    samples: [{ value }],
  });
  const families: MetricFamily[] = [
    {
      name: 'fleetca_keygen_info',
      help: 'The RSA key generation engine in use.',
      type: 'gauge',
      samples: [{ labels: { engine: engine.engine }, value: 1 }],
    },
    gauge('fleetca_keygen_threads', 'Worker threads that generate keys.', engine.threads),
    gauge('fleetca_keygen_busy_threads', 'Worker threads generating a key right now.', engine.busyThreads),
    gauge('fleetca_keygen_queued', 'Requests waiting for a free key generation thread.', engine.queued),
    gauge('fleetca_keygen_queue_limit', 'Waiting requests beyond which requests are throttled.', engine.maxQueued),
    {
      name: 'fleetca_keygen_keys_generated_total',
      help: 'Key pairs generated, for a waiting request or ahead of demand for the pool.',
      type: 'counter',
      samples: [
        { labels: { purpose: 'request' }, value: engine.generated.request },
        { labels: { purpose: 'pool' }, value: engine.generated.background },
      ],
    },
    counter(
      'fleetca_keygen_generation_seconds_total',
      'Thread time spent generating key pairs.',
      engine.generationSeconds,
    ),
    counter(
      'fleetca_keygen_throttled_total',
      'Requests refused with ThrottlingException: queue full.',
      engine.throttled,
    ),
    counter('fleetca_keygen_failures_total', 'Key generations that failed.', engine.failures),
  ];
  if (pool) {
    families.push(
      gauge('fleetca_keygen_pool_keys', 'Key pairs ready in the in-memory pool.', pool.ready),
      gauge('fleetca_keygen_pool_capacity', 'Key pairs the pool holds when full.', pool.capacity),
      counter('fleetca_keygen_pool_hits_total', 'Requests served a key from the pool.', pool.hits),
      counter('fleetca_keygen_pool_misses_total', 'Requests that found the pool empty.', pool.misses),
      counter('fleetca_keygen_pool_refill_failures_total', 'Failed background key generations.', pool.refillFailures),
    );
  }
  return families;
}
