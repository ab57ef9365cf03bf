/**
 * Publish → deliver latency, from the send time each payload carries to its arrival at a subscriber (one machine,
 * one clock). Two shapes:
 * - fan-in: every held device publishes in turn on `bench/in/<its client id>`, one subscriber of `bench/in/#`
 *   receives all; the rate is messages per second;
 * - fan-out: one device publishes on `bench/out`, every one of `subscribers` devices receives each message; the
 *   rate is deliveries per second (the publisher sends rate ÷ subscribers a second).
 * Publishing is open loop (on schedule whatever the answers), so a slow server shows as latency, not as a lower
 * rate. Deliveries still missing a few seconds after the last publish count as lost.
 */

import { processTreeCpuSeconds } from '../cpu.js';
import { type LatencySummary, summarizeLatencies } from '../stats.js';
import { type Door, type DoorName, sleep } from './door.js';
import type { LoadGenerator } from './load-generator.js';

export type Shape = 'fan-in' | 'fan-out';

export interface LatencyRun {
  readonly door: DoorName;
  readonly shape: Shape;
  readonly qos: 0 | 1;
  /** Deliveries per second asked for. */
  readonly rate: number;
  readonly publishers: number;
  readonly subscribers: number;
  readonly sent: number;
  readonly expected: number;
  readonly delivered: number;
  readonly latency: LatencySummary;
  /** How far the generator fell behind its schedule at worst. */
  readonly generatorLateMs: number;
  readonly serverCpuS: number;
  readonly generatorCpuS: number;
  readonly seconds: number;
}

export interface LatencyGroups {
  /** Publishers of fan-in (the held devices) and their count. */
  readonly fanInPublishers: { group: string; count: number };
  readonly fanInSubscriber: string;
  readonly fanOutPublisher: string;
  readonly fanOutSubscribers: { group: string; count: number };
}

const DRAIN_MS = 3_000;
const WARM_UP_MS = 2_000;
/** Longest wait for a backlog left by a run the server could not keep up with, before the next run starts. */
const BACKLOG_WAIT_MS = 60_000;

export async function measureLatency(
  generator: LoadGenerator,
  door: Door,
  groups: LatencyGroups,
  run: { shape: Shape; qos: 0 | 1; rate: number; seconds: number },
  log: (line: string) => void,
): Promise<LatencyRun> {
  const fanIn = run.shape === 'fan-in';
  const subscriberGroup = fanIn ? groups.fanInSubscriber : groups.fanOutSubscribers.group;
  const subscribers = fanIn ? 1 : groups.fanOutSubscribers.count;
  const publisherGroup = fanIn ? groups.fanInPublishers.group : groups.fanOutPublisher;
  const publishers = fanIn ? groups.fanInPublishers.count : 1;
  const topic = fanIn ? 'bench/in/{clientId}' : 'bench/out';
  const subscribed = await generator.subscribe(subscriberGroup, fanIn ? 'bench/in/#' : 'bench/out', run.qos);
  if (subscribed.failed > 0 || subscribed.ok !== subscribers) {
    throw new Error(`${door.name}: ${subscribed.ok} of ${subscribers} subscriptions granted (${subscribed.error})`);
  }
  await generator.collect(subscriberGroup);
  // Warmed first at the same rate, uncounted: the first second's one-off work (code not yet optimized, the servers'
  // caches of topics and subjects filling) is not the steady state this measures.
  await generator.publish(publisherGroup, topic, run.qos, run.rate / subscribers, WARM_UP_MS);
  await drainBacklog(generator, subscriberGroup);
  const serverBefore = processTreeCpuSeconds(door.pid);
  const generatorBefore = generator.cpuSeconds();
  const published = await generator.publish(publisherGroup, topic, run.qos, run.rate / subscribers, run.seconds * 1000);
  await sleep(DRAIN_MS);
  const received = await generator.collect(subscriberGroup);
  const measured: LatencyRun = {
    door: door.name,
    shape: run.shape,
    qos: run.qos,
    rate: run.rate,
    publishers,
    subscribers,
    sent: published.sent,
    expected: published.sent * subscribers,
    delivered: received.received,
    latency: summarizeLatencies(received.latenciesMs),
    generatorLateMs: published.lateMs,
    serverCpuS: processTreeCpuSeconds(door.pid) - serverBefore,
    generatorCpuS: generator.cpuSeconds() - generatorBefore,
    seconds: run.seconds,
  };
  const late = await drainBacklog(generator, subscriberGroup);
  log(
    `latency, ${door.name} ${run.shape} QoS ${run.qos} at ${run.rate}/s (${publishers} → ${subscribers}): ${measured.delivered} of ${measured.expected} delivered, p50 ${measured.latency.p50.toFixed(2)} ms, p99 ${measured.latency.p99.toFixed(2)} ms, max ${measured.latency.max.toFixed(1)} ms; server ${(measured.serverCpuS / (run.seconds + DRAIN_MS / 1000)).toFixed(2)} cores; generator behind by ≤ ${measured.generatorLateMs.toFixed(0)} ms${late > 0 ? `; ${late} more arrived after the window, not counted` : ''}`,
  );
  return measured;
}

/**
 * Waits until the subscribers stop receiving (a second without a delivery), so that what an overwhelmed server still
 * delivers after a run is never counted in the next one. Returns how many arrived meanwhile.
 */
async function drainBacklog(generator: LoadGenerator, group: string): Promise<number> {
  let late = 0;
  const giveUpAt = Date.now() + BACKLOG_WAIT_MS;
  while (Date.now() < giveUpAt) {
    await sleep(1_000);
    const { received } = await generator.collect(group);
    if (received === 0) break;
    late += received;
  }
  return late;
}
