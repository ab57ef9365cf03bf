/** On a shared machine: wait (up to a limit) for the other work to pause before each measurement. */

import { setTimeout as delay } from 'node:timers/promises';
import { machineBusyCpuSeconds } from '../cpu.js';

const WINDOW_S = 5;
/** Below this many busy cores over the window the machine counts as quiet (its idle daemons included). */
const QUIET_CORES = 0.25;

export interface QuietWait {
  readonly quiet: boolean;
  readonly waitedS: number;
}

/** Waits for a window of WINDOW_S seconds with the machine (fleetca idle, this process waiting) quiet. */
export async function waitForQuiet(maxSeconds: number, log: (line: string) => void): Promise<QuietWait> {
  const started = Date.now();
  for (let said = false; ; said = true) {
    const before = machineBusyCpuSeconds();
    await delay(WINDOW_S * 1000);
    const busy = (machineBusyCpuSeconds() - before) / WINDOW_S;
    const waitedS = (Date.now() - started) / 1000;
    if (busy < QUIET_CORES) return { quiet: true, waitedS };
    if (waitedS >= maxSeconds) return { quiet: false, waitedS };
    if (!said) log(`    waiting for a quiet machine (${busy.toFixed(2)} cores busy), at most ${maxSeconds} s`);
  }
}

/** One line for the report about the waits before a store's measurements. */
export function describeWaits(waits: readonly QuietWait[], maxSeconds: number): string {
  const quiet = waits.filter((w) => w.quiet).length;
  const longest = Math.max(0, ...waits.map((w) => w.waitedS));
  return (
    `Before each measurement the run waited (at most ${maxSeconds} s) for ${WINDOW_S} s with under ${QUIET_CORES} ` +
    `cores busy: ${quiet} of ${waits.length} started on a quiet machine, longest wait ${Math.round(longest)} s. ` +
    'Other work may still have started during a measurement: see "other processes cores".'
  );
}
