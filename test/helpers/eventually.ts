import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * How long a test waits for something that must happen eventually. A guard against hanging on a loaded
 * machine, never a speed target: how fast things happen is measured in bench/, not asserted in tests.
 */
export const EVENTUALLY_MS = 20_000;

/**
 * Polls `check` until it holds; resolves to the milliseconds that took (for a diagnostic, not an assertion),
 * or fails naming `what` once `timeoutMs` has passed.
 */
export async function eventually(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = EVENTUALLY_MS,
): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    if (performance.now() - started > timeoutMs) assert.fail(`${what}: still not after ${timeoutMs / 1000} s`);
    await delay(10);
  }
}

/** `promise`'s outcome, or a failure naming `what` once `timeoutMs` has passed. */
export async function settled<T>(what: string, promise: Promise<T>, timeoutMs = EVENTUALLY_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still not after ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, guard]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs `attempt` until it stops throwing (its assertions hold) and resolves to its value; once `timeoutMs` has passed,
 * fails with the last assertion's message. For checks that run a program each time, hence the slower polling.
 */
export async function eventuallyPasses<T>(
  what: string,
  attempt: () => T | Promise<T>,
  timeoutMs = EVENTUALLY_MS,
): Promise<T> {
  const started = performance.now();
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (performance.now() - started > timeoutMs) {
        assert.fail(`${what}: still not after ${timeoutMs / 1000} s: ${(err as Error).message}`);
      }
    }
    await delay(100);
  }
}
