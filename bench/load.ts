/**
 * Load generators: closed loop (N clients, each sending its next request when the last one is answered), open
 * loop (arrivals on a fixed schedule, whether or not the server keeps up), bursts, and a side prober. They only
 * collect what came back; checking happens afterwards in `tally`, outside the timed part.
 */

import type { Call, CallSource } from './iot-requests.js';
import type { Reply, SigV4Client } from './sigv4-client.js';
import { isThrottled } from './validate.js';

/** One request sent: its reply (or why there was none) and the check still to run on it. */
export interface Exchange {
  readonly reply?: Reply;
  readonly error?: string;
  readonly check: Call['check'];
}

export interface RoundSamples {
  /** From the first request sent to the last reply received. */
  readonly elapsedMs: number;
  readonly exchanges: readonly Exchange[];
}

/** Called after every reply, for the progress display. */
export type ReplyListener = (exchange: Exchange) => void;

const THROTTLE_BACKOFF_MS = 5;

async function exchangeOnce(client: SigV4Client, call: Call, scheduledAt?: number): Promise<Exchange> {
  try {
    return { reply: await client.send(call.request, scheduledAt), check: call.check };
  } catch (err) {
    return { error: `transport: ${(err as Error).message}`, check: call.check };
  }
}

/** `concurrency` clients send back to back until `durationMs` has passed; requests in flight then finish. */
export async function runClosedLoop(
  client: SigV4Client,
  next: CallSource,
  options: { concurrency: number; durationMs: number; onReply?: ReplyListener },
): Promise<RoundSamples> {
  const exchanges: Exchange[] = [];
  const started = performance.now();
  const stopAt = started + options.durationMs;
  const worker = async () => {
    while (performance.now() < stopAt) {
      const exchange = await exchangeOnce(client, next());
      exchanges.push(exchange);
      options.onReply?.(exchange);
      // A throttled client waits a moment rather than spinning on the refusal.
      if (exchange.reply && isThrottled(exchange.reply)) await sleep(THROTTLE_BACKOFF_MS);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return { elapsedMs: performance.now() - started, exchanges };
}

/**
 * Requests due every 1/rate seconds for `durationMs`, each sent when due even if earlier ones are unanswered.
 * Latency counts from when a request was due, so a server that falls behind shows it (no coordinated omission).
 * Replies still missing `drainTimeoutMs` after the last arrival are recorded as failures.
 */
export async function runOpenLoop(
  client: SigV4Client,
  next: CallSource,
  options: { ratePerSecond: number; durationMs: number; drainTimeoutMs: number; onReply?: ReplyListener },
): Promise<RoundSamples> {
  const exchanges: Exchange[] = [];
  const pending: Promise<void>[] = [];
  const intervalMs = 1000 / options.ratePerSecond;
  const started = performance.now();
  const total = Math.max(1, Math.round((options.durationMs / 1000) * options.ratePerSecond));
  for (let sent = 0; sent < total; ) {
    const now = performance.now();
    // Everything due by now goes out (timers are coarse; falling behind by a tick must not lower the rate).
    while (sent < total && started + sent * intervalMs <= now) {
      const call = next();
      const dueAt = started + sent * intervalMs;
      pending.push(
        exchangeOnce(client, call, dueAt).then((exchange) => {
          exchanges.push(exchange);
          options.onReply?.(exchange);
        }),
      );
      sent++;
    }
    if (sent < total) await sleep(Math.max(0, started + sent * intervalMs - performance.now()));
  }
  const drained = await Promise.race([
    Promise.all(pending).then(() => true),
    sleep(options.drainTimeoutMs).then(() => false),
  ]);
  const elapsedMs = performance.now() - started;
  const result = [...exchanges];
  if (!drained) {
    const missing = total - result.length;
    for (let i = 0; i < missing; i++) {
      result.push({
        error: `no reply within ${options.drainTimeoutMs} ms of the last arrival`,
        check: () => undefined,
      });
    }
  }
  return { elapsedMs, exchanges: result };
}

/** `count` requests from one client, each sent as soon as the previous one is answered. */
export async function runBackToBack(client: SigV4Client, next: CallSource, count: number): Promise<RoundSamples> {
  const exchanges: Exchange[] = [];
  const started = performance.now();
  for (let i = 0; i < count; i++) exchanges.push(await exchangeOnce(client, next()));
  return { elapsedMs: performance.now() - started, exchanges };
}

/** `count` requests sent at the same moment (each on its own connection, up to the client's socket limit). */
export async function runAllAtOnce(client: SigV4Client, next: CallSource, count: number): Promise<RoundSamples> {
  const started = performance.now();
  const calls = Array.from({ length: count }, () => next());
  const exchanges = await Promise.all(calls.map((call) => exchangeOnce(client, call, started)));
  return { elapsedMs: performance.now() - started, exchanges };
}

export interface Prober {
  /** Stops probing and returns each probe's exchanges once the last ones are answered. */
  stop(): Promise<Map<string, Exchange[]>>;
}

/**
 * Sends each named call every `intervalMs` on a fixed schedule (not waiting for earlier answers), on its own
 * client so that probes never queue behind the load's connections.
 */
export function startProber(client: SigV4Client, probes: ReadonlyMap<string, Call>, intervalMs: number): Prober {
  const results = new Map<string, Exchange[]>([...probes.keys()].map((name) => [name, []]));
  const pending = new Set<Promise<void>>();
  const fire = () => {
    for (const [name, call] of probes) {
      const done = exchangeOnce(client, call).then((exchange) => {
        results.get(name)?.push(exchange);
        pending.delete(done);
      });
      pending.add(done);
    }
  };
  const timer = setInterval(fire, intervalMs);
  fire();
  return {
    stop: async () => {
      clearInterval(timer);
      await Promise.all(pending);
      return results;
    },
  };
}

export interface Tally {
  /** Answered 200 and passed their check. */
  readonly ok: number;
  readonly throttled: number;
  /** Wrong status, failed check, or no answer. */
  readonly failed: number;
  /** Latencies of the ok ones. */
  readonly latenciesMs: number[];
  /** What went wrong, for the first few failures. */
  readonly failures: string[];
}

const KEPT_FAILURE_MESSAGES = 20;

/** Runs every exchange's check and counts: ok, throttled (not certificates, not failures), failed. */
export function tally(exchanges: readonly Exchange[]): Tally {
  let ok = 0;
  let throttled = 0;
  let failed = 0;
  const latenciesMs: number[] = [];
  const failures: string[] = [];
  for (const exchange of exchanges) {
    const { reply } = exchange;
    let problem: string | undefined;
    if (!reply) {
      problem = exchange.error ?? 'no reply';
    } else if (isThrottled(reply)) {
      throttled++;
      continue;
    } else {
      problem = exchange.check(reply);
    }
    if (problem === undefined && reply) {
      ok++;
      latenciesMs.push(reply.latencyMs);
    } else {
      failed++;
      if (failures.length < KEPT_FAILURE_MESSAGES) failures.push(problem ?? 'unknown');
    }
  }
  return { ok, throttled, failed, latenciesMs, failures };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
