/**
 * The device load generator: several forked worker processes (load-worker.ts), each holding a share of the
 * connections, so that the generator is not the bottleneck of a 2-core machine's one server process. Shared by
 * `npm run bench:mqtt` and the device-door load test.
 */

import { type ChildProcess, fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CollectReply, ConnectReply, DeviceSlice, Endpoint, Envelope, Order, Reply } from './protocol.js';

const WORKER = join(dirname(fileURLToPath(import.meta.url)), 'load-worker.js');

/** Source addresses the connections are spread over (loopback: 127.0.0.2 … ), so no one address fills a guard. */
export function sourceAddresses(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `127.0.${Math.floor((i + 2) / 256)}.${(i + 2) % 256}`);
}

export interface ConnectOptions {
  readonly clientIdPrefix: string;
  /** Handshakes in flight at once, over all workers. */
  readonly concurrency: number;
  readonly keepAliveS?: number;
  readonly timeoutMs?: number;
  readonly sourceAddressCount?: number;
  /** Called once every worker has its TLS contexts ready, just before the timed part starts. */
  readonly beforeTimed?: () => void;
}

export interface ConnectSummary {
  readonly ok: number;
  readonly refused: number;
  readonly failed: number;
  readonly firstError?: string;
  /** From the first attempt to the last CONNACK over all workers. */
  readonly elapsedS: number;
  readonly latenciesMs: number[];
  readonly negotiated?: string;
}

export interface PublishSummary {
  readonly sent: number;
  readonly acked: number;
  readonly lateMs: number;
}

interface Waiter {
  readonly resolve: (reply: Envelope) => void;
  readonly reject: (err: Error) => void;
}

class Worker {
  readonly #child: ChildProcess;
  readonly #waiting: Waiter[] = [];
  cpuS = 0;

  constructor() {
    this.#child = fork(WORKER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.#child.on('message', (message: Envelope | { op: 'error'; message: string; cpuS: number }) => {
      this.cpuS = message.cpuS;
      const waiter = this.#waiting.shift();
      if (message.op === 'error') waiter?.reject(new Error(`load worker: ${message.message}`));
      else waiter?.resolve(message);
    });
    this.#child.on('exit', (code) => {
      for (const waiter of this.#waiting.splice(0)) waiter.reject(new Error(`load worker exited (${code})`));
    });
  }

  get pid(): number {
    return this.#child.pid as number;
  }

  /** Orders are carried out in turn, so replies come back in order. */
  send<R extends Reply>(order: Order): Promise<R & { cpuS: number }> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ resolve: (reply) => resolve(reply as unknown as R & { cpuS: number }), reject });
      this.#child.send(order);
    });
  }

  stop(): Promise<void> {
    if (this.#child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.#child.once('exit', () => resolve());
      this.#child.disconnect();
      setTimeout(() => this.#child.kill('SIGKILL'), 10_000).unref();
    });
  }
}

/** Splits `count` as evenly as possible into `parts`. */
export function shares(count: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(count / parts) + (i < count % parts ? 1 : 0));
}

export class LoadGenerator {
  readonly #workers: Worker[];

  private constructor(workers: Worker[]) {
    this.#workers = workers;
  }

  static start(workers: number): LoadGenerator {
    return new LoadGenerator(Array.from({ length: Math.max(1, workers) }, () => new Worker()));
  }

  get workerCount(): number {
    return this.#workers.length;
  }

  get pids(): number[] {
    return this.#workers.map((worker) => worker.pid);
  }

  /** The workers' CPU seconds as of their last replies. */
  cpuSeconds(): number {
    return this.#workers.reduce((total, worker) => total + worker.cpuS, 0);
  }

  /**
   * Connects `devices.count` devices of the fixture into `group`, the slice split between the workers (client
   * ids: prefix + fixture index), and waits for every CONNACK or failure.
   */
  async connect(group: string, endpoint: Endpoint, devices: DeviceSlice, options: ConnectOptions) {
    const counts = shares(devices.count, this.#workers.length);
    const lanes = shares(options.concurrency, this.#workers.length);
    const addresses = sourceAddresses(options.sourceAddressCount ?? 32);
    let from = devices.from;
    await Promise.all(
      this.#workers.map((worker, w) => {
        const slice = { file: devices.file, from, count: counts[w] as number };
        from += slice.count;
        return worker.send({
          op: 'prepare',
          group,
          endpoint,
          devices: slice,
          clientIdPrefix: options.clientIdPrefix,
          concurrency: Math.max(1, lanes[w] as number),
          // Each worker its own addresses, so the kernel never hands two workers the same source port.
          sourceAddresses: addresses.filter((_, i) => i % this.#workers.length === w),
          keepAliveS: options.keepAliveS ?? 1200,
          timeoutMs: options.timeoutMs ?? 60_000,
        });
      }),
    );
    options.beforeTimed?.();
    const replies = await this.#all<ConnectReply>({ op: 'connect', group });
    return summarizeConnects(replies.filter((reply) => reply.ok + reply.refused + reply.failed > 0));
  }

  async subscribe(group: string, filter: string, qos: 0 | 1): Promise<{ ok: number; failed: number; error?: string }> {
    const replies = await this.#all<Extract<Reply, { op: 'subscribe' }>>({ op: 'subscribe', group, filter, qos });
    return {
      ok: sum(replies.map((r) => r.ok)),
      failed: sum(replies.map((r) => r.failed)),
      error: replies.find((r) => r.firstError)?.firstError,
    };
  }

  /** Publishes `perSecond` stamped messages a second over the group's connections for `durationMs`. */
  async publish(group: string, topic: string, qos: 0 | 1, perSecond: number, durationMs: number) {
    const counts = await this.count(group, true);
    const total = sum(counts);
    const replies = await Promise.all(
      this.#workers.map((worker, w) =>
        worker.send<Extract<Reply, { op: 'publish' }>>({
          op: 'publish',
          group,
          topic,
          qos,
          perSecond: total > 0 ? (perSecond * (counts[w] as number)) / total : 0,
          durationMs,
        }),
      ),
    );
    return {
      sent: sum(replies.map((r) => r.sent)),
      acked: sum(replies.map((r) => r.acked)),
      lateMs: Math.max(0, ...replies.map((r) => r.lateMs)),
    } satisfies PublishSummary;
  }

  /** The deliveries each worker's subscribers saw since the last collect (or their subscribe). */
  async collect(group: string): Promise<{ received: number; latenciesMs: number[]; foreign: number }> {
    const replies = await this.#all<CollectReply>({ op: 'collect', group });
    return {
      received: sum(replies.map((r) => r.received)),
      latenciesMs: replies.flatMap((r) => r.latenciesMs),
      foreign: sum(replies.map((r) => r.foreign)),
    };
  }

  /** Open connections of the group, per worker (or their total). */
  async count(group: string, perWorker: true): Promise<number[]>;
  async count(group: string): Promise<number>;
  async count(group: string, perWorker = false): Promise<number | number[]> {
    const replies = await this.#all<Extract<Reply, { op: 'count' }>>({ op: 'count', group });
    const counts = replies.map((r) => r.open);
    return perWorker ? counts : sum(counts);
  }

  async close(group: string): Promise<number> {
    const replies = await this.#all<Extract<Reply, { op: 'close' }>>({ op: 'close', group });
    return sum(replies.map((r) => r.closed));
  }

  async stop(): Promise<void> {
    await Promise.all(this.#workers.map((worker) => worker.stop()));
  }

  #all<R extends Reply>(order: Order): Promise<(R & { cpuS: number })[]> {
    return Promise.all(this.#workers.map((worker) => worker.send<R>(order)));
  }
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function summarizeConnects(replies: readonly ConnectReply[]): ConnectSummary {
  const startedAt = Math.min(...replies.map((r) => r.startedAt));
  const endedAt = Math.max(...replies.map((r) => r.endedAt));
  return {
    ok: sum(replies.map((r) => r.ok)),
    refused: sum(replies.map((r) => r.refused)),
    failed: sum(replies.map((r) => r.failed)),
    firstError: replies.find((r) => r.firstError)?.firstError,
    elapsedS: replies.length > 0 ? Math.max(0, endedAt - startedAt) / 1000 : 0,
    latenciesMs: replies.flatMap((r) => [...r.latenciesMs]),
    negotiated: replies.find((r) => r.negotiated)?.negotiated,
  };
}
