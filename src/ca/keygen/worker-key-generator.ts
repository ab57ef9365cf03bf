import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { GeneratedKeyPair, KeyPairGenerator } from '../key-generator.js';
import type { KeygenEngine } from './engines.js';
import { KeyGenerationBusyError, keygenCapacity } from './keygen-capacity.js';
import { CLOSE, type KeygenReply, type KeygenWorkerData } from './keygen-protocol.js';

export { KeyGenerationBusyError } from './keygen-capacity.js';

export interface WorkerKeyPairGeneratorOptions {
  readonly engine?: KeygenEngine;
  /** Worker threads; default: one per core. */
  readonly threads?: number;
  /** Requests allowed to wait for a free worker before new ones are refused. */
  readonly maxQueued?: number;
  /** Nice value added to the worker threads (Linux); default 10, so the main thread always runs first. */
  readonly niceness?: number;
}

/** Counters and gauges of the engine, for metrics. */
export interface KeyEngineStats {
  readonly engine: KeygenEngine;
  readonly threads: number;
  readonly busyThreads: number;
  readonly queued: number;
  readonly maxQueued: number;
  readonly generated: { readonly request: number; readonly background: number };
  readonly generationSeconds: number;
  readonly throttled: number;
  readonly failures: number;
}

/** A key generator that can also use spare workers for work nobody is waiting for (filling a pool). */
export interface WorkerKeyPairGenerator extends KeyPairGenerator {
  /** Starts a key on an idle worker if no request is waiting; undefined when there is none to spare. */
  generateWhenIdle(): Promise<GeneratedKeyPair> | undefined;
  /** Called whenever a worker becomes free with no request waiting. */
  onIdle(listener: () => void): void;
  stats(): KeyEngineStats;
}

interface Job {
  readonly id: number;
  readonly background: boolean;
  readonly resolve: (keys: GeneratedKeyPair) => void;
  readonly reject: (err: Error) => void;
}

const WORKER_URL = new URL('./keygen-worker.js', import.meta.url);

/**
 * RSA-2048 key pairs from a pool of worker threads with a bounded queue. Workers start on first use
 * and do not keep the process alive, so a CLI run ends as soon as its work is done.
 */
export function createWorkerKeyPairGenerator(options: WorkerKeyPairGeneratorOptions = {}): WorkerKeyPairGenerator {
  const { engine, threads, maxQueued } = keygenCapacity(options);
  const workerData: KeygenWorkerData = { engine, niceness: options.niceness ?? 10 };
  const idle: Worker[] = [];
  const busy = new Map<Worker, Job>();
  const queue: Job[] = [];
  const idleListeners: Array<() => void> = [];
  const generated = { request: 0, background: 0 };
  let generationSeconds = 0;
  let throttled = 0;
  let failures = 0;
  let started = 0;
  let nextId = 1;
  let closed = false;

  const settle = (worker: Worker, reply: KeygenReply) => {
    const job = busy.get(worker);
    busy.delete(worker);
    if (job) {
      if (reply.error || !reply.privateKey || !reply.publicKey) {
        failures++;
        job.reject(new Error(`key generation failed: ${reply.error}`));
      } else {
        generated[job.background ? 'background' : 'request']++;
        generationSeconds += (reply.elapsedMs ?? 0) / 1000;
        job.resolve({ privateKey: reply.privateKey, publicKey: reply.publicKey });
      }
    }
    release(worker);
  };

  const spawn = (): Worker => {
    const worker = new Worker(WORKER_URL, { workerData });
    started++;
    worker.on('message', (reply: KeygenReply) => settle(worker, reply));
    // A crashed worker fails only its own job; a replacement starts when needed.
    worker.on('error', (err) => {
      failures++;
      busy.get(worker)?.reject(err);
    });
    worker.on('exit', () => {
      started--;
      busy.get(worker)?.reject(new Error('key generation worker exited'));
      busy.delete(worker);
      const at = idle.indexOf(worker);
      if (at >= 0) idle.splice(at, 1);
      dispatch();
    });
    return worker;
  };

  const freeWorker = (): Worker | undefined => idle.pop() ?? (started < threads ? spawn() : undefined);

  const run = (worker: Worker, job: Job) => {
    busy.set(worker, job);
    worker.ref();
    worker.postMessage(job.id);
  };

  const release = (worker: Worker) => {
    if (closed) return;
    idle.push(worker);
    dispatch();
    if (queue.length === 0 && idle.length > 0) for (const listener of idleListeners) listener();
  };

  const dispatch = () => {
    while (queue.length > 0 && !closed) {
      const worker = freeWorker();
      if (!worker) return;
      run(worker, queue.shift() as Job);
    }
    for (const worker of idle) worker.unref();
  };

  const closedError = () => new Error('key generator is closed');

  return {
    generate: () =>
      new Promise<GeneratedKeyPair>((resolve, reject) => {
        if (closed) return reject(closedError());
        // The queue only ever holds jobs no worker can take yet.
        if (queue.length >= maxQueued && idle.length === 0 && started >= threads) {
          throttled++;
          return reject(new KeyGenerationBusyError('Rate exceeded'));
        }
        queue.push({ id: nextId++, background: false, resolve, reject });
        dispatch();
      }),
    generateWhenIdle: () => {
      if (closed || queue.length > 0) return undefined;
      const worker = freeWorker();
      if (!worker) return undefined;
      return new Promise<GeneratedKeyPair>((resolve, reject) => {
        run(worker, { id: nextId++, background: true, resolve, reject });
      });
    },
    onIdle: (listener) => {
      idleListeners.push(listener);
    },
    stats: () => ({
      engine,
      threads,
      busyThreads: busy.size,
      queued: queue.length,
      maxQueued,
      generated: { ...generated },
      generationSeconds,
      throttled,
      failures,
    }),
    close: async () => {
      closed = true;
      for (const job of queue.splice(0)) job.reject(closedError());
      // Each worker finishes the key it is making, then leaves on its own. Worker exit events do not
      // reliably hold the event loop open (seen under load), so a timer does while we wait.
      const keepAlive = setInterval(() => {}, 1000);
      try {
        await Promise.all(
          [...idle, ...busy.keys()].map((worker) => {
            const gone = once(worker, 'exit');
            worker.postMessage(CLOSE);
            return gone;
          }),
        );
      } finally {
        clearInterval(keepAlive);
      }
    },
  };
}
