/**
 * Closed-loop latency measurement: `concurrency` clients each send their next request as soon as the previous
 * one is answered. Responses are checked after the timing, so the checks do not compete with the server.
 */

import { machineBusyCpuSeconds, ownCpuSeconds, processTreeCpuSeconds } from '../cpu.js';
import type { Call } from '../iot-requests.js';
import type { Reply, SigV4Client } from '../sigv4-client.js';
import { type LatencySummary, summarizeLatencies } from '../stats.js';
import { loggedDurations, logOffset } from './server-log.js';

export interface Measurement {
  readonly label: string;
  readonly concurrency: number;
  readonly latency: LatencySummary;
  /** fleetca's own durationMs for the same requests (its request log). */
  readonly serverLatency?: LatencySummary;
  readonly elapsedS: number;
  readonly failed: number;
  /** The first few failures, for the report. */
  readonly problems: readonly string[];
  /** CPU seconds during the measurement: fleetca's process tree, the database server's, the machine, this client. */
  readonly serverCpuS: number;
  readonly storeCpuS: number;
  readonly machineCpuS: number;
  readonly clientCpuS: number;
}

/**
 * Whose CPU time is charged: fleetca serve's process tree, and the database processes that serve it (PostgreSQL:
 * its backends, CPU seconds by pid, read before and after; a backend opened meanwhile counts from zero).
 */
export interface CpuSources {
  readonly serverPid: number;
  /** fleetca serve's request log, and the operation whose durations to read from it. */
  readonly serverLog?: { readonly file: string; readonly operation: string };
  readonly storeCpu?: () => Promise<ReadonlyMap<number, number>>;
}

function cpuBetween(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number {
  let seconds = 0;
  for (const [pid, now] of after) seconds += now - (before.get(pid) ?? 0);
  return seconds;
}

export async function measure(
  label: string,
  client: SigV4Client,
  calls: readonly Call[],
  concurrency: number,
  cpu: CpuSources,
): Promise<Measurement> {
  const replies: Reply[] = new Array(calls.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < calls.length; i = next++) {
      replies[i] = await client.send((calls[i] as Call).request);
    }
  };
  const logStart = cpu.serverLog ? await logOffset(cpu.serverLog.file) : 0;
  const noStore = new Map<number, number>();
  const store0 = (await cpu.storeCpu?.()) ?? noStore;
  const server0 = processTreeCpuSeconds(cpu.serverPid);
  const machine0 = machineBusyCpuSeconds();
  const client0 = ownCpuSeconds();
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedS = (performance.now() - started) / 1000;
  const serverCpuS = processTreeCpuSeconds(cpu.serverPid) - server0;
  const machineCpuS = machineBusyCpuSeconds() - machine0;
  const clientCpuS = ownCpuSeconds() - client0;
  const storeCpuS = cpuBetween(store0, (await cpu.storeCpu?.()) ?? noStore);

  const logged = cpu.serverLog ? await loggedDurations(cpu.serverLog.file, logStart, cpu.serverLog.operation) : [];
  const problems: string[] = [];
  let failed = 0;
  calls.forEach((call, i) => {
    const problem = call.check(replies[i] as Reply);
    if (problem === undefined) return;
    failed++;
    if (problems.length < 3) problems.push(`${label}: ${problem}`);
  });
  return {
    label,
    concurrency,
    latency: summarizeLatencies(replies.map((reply) => reply.latencyMs)),
    ...(logged.length > 0 && { serverLatency: summarizeLatencies(logged) }),
    elapsedS,
    failed,
    problems,
    serverCpuS,
    storeCpuS,
    machineCpuS,
    clientCpuS,
  };
}
