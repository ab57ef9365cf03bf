/**
 * Server-side durations from fleetca's request log (one JSON line per request, `durationMs` from the handler's
 * start to the response handed to the socket): with the client's figures they split a latency into the server's
 * part and the rest (signing, HTTP parsing, the client, scheduling on a shared machine).
 */

import { open, stat } from 'node:fs/promises';

/** Where the log ends now: what a measurement adds comes after it. */
export async function logOffset(file: string): Promise<number> {
  return (await stat(file)).size;
}

/** `durationMs` of every request logged after `offset` for `operation`. */
export async function loggedDurations(file: string, offset: number, operation: string): Promise<number[]> {
  const handle = await open(file, 'r');
  let text: string;
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.alloc(Math.max(0, size - offset));
    await handle.read(buffer, 0, buffer.length, offset);
    text = buffer.toString('utf8');
  } finally {
    await handle.close();
  }
  const durations: number[] = [];
  for (const line of text.split('\n')) {
    if (!line.includes('"durationMs"')) continue;
    try {
      const entry = JSON.parse(line) as { operation?: unknown; durationMs?: unknown };
      if (entry.operation === operation && typeof entry.durationMs === 'number') durations.push(entry.durationMs);
    } catch {
      // A line cut by the read's end, or not JSON: not a request.
    }
  }
  return durations;
}
