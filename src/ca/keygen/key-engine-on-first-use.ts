import type { KeyPairGenerator } from '../key-generator.js';
import { keygenCapacity } from './keygen-capacity.js';
import type { KeyEngineStats, WorkerKeyPairGenerator, WorkerKeyPairGeneratorOptions } from './worker-key-generator.js';

/** A key generator with the worker engine's counters. */
export interface KeyEngine extends KeyPairGenerator {
  stats(): KeyEngineStats;
}

/**
 * The worker key generator, started on the first key asked of it: its code (and node:worker_threads) is imported
 * then. Most one-shot commands make no key, and on Node 20 start-up cost is per module loaded. Until then its
 * counters are those of an engine that has done nothing yet.
 */
export function keyEngineOnFirstUse(options: WorkerKeyPairGeneratorOptions = {}): KeyEngine {
  let engine: WorkerKeyPairGenerator | undefined;
  let closed = false;
  const started = async (): Promise<WorkerKeyPairGenerator> => {
    const { createWorkerKeyPairGenerator } = await import('./worker-key-generator.js');
    if (closed) throw new Error('key generator is closed');
    engine ??= createWorkerKeyPairGenerator(options);
    return engine;
  };
  return {
    generate: async () => (await started()).generate(),
    stats: () =>
      engine?.stats() ?? {
        ...keygenCapacity(options),
        busyThreads: 0,
        queued: 0,
        generated: { request: 0, background: 0 },
        generationSeconds: 0,
        throttled: 0,
        failures: 0,
      },
    close: async () => {
      closed = true;
      await engine?.close();
    },
  };
}
