import type { KeyObject } from 'node:crypto';
import type { KeygenEngine } from './engines.js';

/** What the main thread and the key generation workers say to each other. */
export interface KeygenWorkerData {
  readonly engine: KeygenEngine;
  /** Added to this thread's nice value so request handling on the main thread always runs first. */
  readonly niceness: number;
}

export interface KeygenReply {
  readonly id: number;
  readonly privateKey?: KeyObject;
  readonly publicKey?: KeyObject;
  /** CPU-bound time spent on this key, in milliseconds. */
  readonly elapsedMs?: number;
  readonly error?: string;
}

/** Sent instead of a job id: finish and let the thread end. */
export const CLOSE = 'close';
