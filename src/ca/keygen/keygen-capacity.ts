import { availableParallelism } from 'node:os';
import { DEFAULT_KEYGEN_ENGINE, type KeygenEngine } from './engines.js';

/** Raised when more key generations are waiting than the queue allows: the caller should answer "Rate exceeded". */
export class KeyGenerationBusyError extends Error {
  override readonly name = 'KeyGenerationBusyError';
}

/** The engine, its worker threads and the requests that may wait for one, as configured or by default. */
export interface KeygenCapacity {
  readonly engine: KeygenEngine;
  readonly threads: number;
  readonly maxQueued: number;
}

/** One worker per core and 16 waiting requests per worker unless configured. */
export function keygenCapacity(options: {
  readonly engine?: KeygenEngine;
  readonly threads?: number;
  readonly maxQueued?: number;
}): KeygenCapacity {
  const threads = Math.max(1, options.threads ?? availableParallelism());
  return {
    engine: options.engine ?? DEFAULT_KEYGEN_ENGINE,
    threads,
    maxQueued: Math.max(0, options.maxQueued ?? threads * 16),
  };
}
