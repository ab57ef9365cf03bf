import { spawn } from 'node:child_process';
import { EVENTUALLY_MS, settled } from './eventually.js';

export interface MosquittoSubRun {
  /** Resolves once the broker acknowledged the subscription (SUBACK): publishing from now on reaches it. */
  readonly subscribed: Promise<void>;
  /** Its exit code, its output without its debug lines (the messages, as it prints them), and stderr. */
  readonly done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** mosquitto_sub's debug lines (`-d`), on stdout among the messages. */
const DEBUG_LINE = /^(Client \S+ (sending|received) [A-Z]+\b.*|Subscribed \(mid: \d+\).*)$/;

/**
 * Runs mosquitto_sub with `-d`, so that a test knows when its subscription is in place instead of guessing with a
 * sleep. `args` should bound its run (`-C count`, or `-W seconds` as a guard); it is killed after EVENTUALLY_MS.
 */
export function mosquittoSub(args: readonly string[]): MosquittoSubRun {
  // Line-buffered: its debug lines are not flushed otherwise until it exits.
  const child = spawn('stdbuf', ['-oL', 'mosquitto_sub', '-d', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let acknowledged = false;
  let onSuback: () => void = () => {};
  const subscribed = new Promise<void>((resolve) => {
    onSuback = resolve;
  });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (!acknowledged && /^Client \S+ received SUBACK$/m.test(stdout)) {
      acknowledged = true;
      onSuback();
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), EVENTUALLY_MS);
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      const messages = stdout.split('\n').filter((line) => !DEBUG_LINE.test(line));
      resolve({ code, stdout: messages.join('\n'), stderr });
    });
  });
  const exitedFirst = done.then(({ code, stderr: err }) => {
    if (!acknowledged) throw new Error(`mosquitto_sub ended (${code}) before its SUBACK: ${err}`);
  });
  return { subscribed: settled('mosquitto_sub subscribed', Promise.race([subscribed, exitedFirst])), done };
}
