import { createPrivateKey, createPublicKey } from 'node:crypto';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { GeneratedKeyPair, KeyPairGenerator } from '../key-generator.js';
import { CLOSE, type KeygenReply } from './keygen-worker.js';

/** Raised when more key generations are waiting than the queue allows: the caller should answer "Rate exceeded". */
export class KeyGenerationBusyError extends Error {
  override readonly name = 'KeyGenerationBusyError';
}

export interface WorkerKeyPairGeneratorOptions {
  /** Worker threads; default: one per core. */
  readonly threads?: number;
  /** Requests allowed to wait for a free worker before new ones are refused. */
  readonly maxQueued?: number;
}

interface Job {
  readonly id: number;
  readonly resolve: (keys: GeneratedKeyPair) => void;
  readonly reject: (err: Error) => void;
}

const WORKER_URL = new URL('./keygen-worker.js', import.meta.url);

/**
 * RSA-2048 key pairs from a pool of worker threads with a bounded queue. Workers start on first
 * use and do not keep the process alive, so a CLI run ends as soon as its work is done.
 */
export function createWorkerKeyPairGenerator(options: WorkerKeyPairGeneratorOptions = {}): KeyPairGenerator {
  const threads = Math.max(1, options.threads ?? availableParallelism());
  const maxQueued = Math.max(0, options.maxQueued ?? threads * 16);
  const idle: Worker[] = [];
  const busy = new Map<Worker, Job>();
  const queue: Job[] = [];
  let started = 0;
  let nextId = 1;
  let closed = false;

  const settle = (worker: Worker, reply: KeygenReply) => {
    const job = busy.get(worker);
    busy.delete(worker);
    if (job) {
      if (reply.error || !reply.privateKeyDer || !reply.publicKeyDer)
        job.reject(new Error(`key generation failed: ${reply.error}`));
      else job.resolve(importKeys(reply.privateKeyDer, reply.publicKeyDer));
    }
    release(worker);
  };

  const spawn = (): Worker => {
    const worker = new Worker(WORKER_URL);
    started++;
    worker.on('message', (reply: KeygenReply) => settle(worker, reply));
    // A crashed worker fails only its own job; a replacement starts when needed.
    worker.on('error', (err) => busy.get(worker)?.reject(err));
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

  const release = (worker: Worker) => {
    if (closed) return;
    idle.push(worker);
    dispatch();
  };

  const dispatch = () => {
    while (queue.length > 0 && !closed) {
      const worker = idle.pop() ?? (started < threads ? spawn() : undefined);
      if (!worker) return;
      const job = queue.shift() as Job;
      busy.set(worker, job);
      worker.ref();
      worker.postMessage(job.id);
    }
    for (const worker of idle) worker.unref();
  };

  return {
    generate: () =>
      new Promise<GeneratedKeyPair>((resolve, reject) => {
        if (closed) return reject(new Error('key generator is closed'));
        // The queue only ever holds jobs no worker can take yet.
        if (queue.length >= maxQueued) return reject(new KeyGenerationBusyError('Rate exceeded'));
        queue.push({ id: nextId++, resolve, reject });
        dispatch();
      }),
    close: async () => {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new Error('key generator is closed'));
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

function importKeys(privateKeyDer: ArrayBuffer, publicKeyDer: ArrayBuffer): GeneratedKeyPair {
  const privateBytes = Buffer.from(privateKeyDer);
  try {
    return {
      privateKey: createPrivateKey({ key: privateBytes, format: 'der', type: 'pkcs8' }),
      publicKey: createPublicKey({ key: Buffer.from(publicKeyDer), format: 'der', type: 'spki' }),
    };
  } finally {
    // The KeyObject holds its own copy; do not leave the DER lying in the heap.
    privateBytes.fill(0);
  }
}
