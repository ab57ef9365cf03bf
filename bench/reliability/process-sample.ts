/** A process's resident memory and open files, read from /proc (Linux), for the parts' samples. */

import { readdir, readFile } from 'node:fs/promises';

export interface ProcessSample {
  /** Where in the run it was taken, in the part's own unit (the soak: seconds; the MQTT fuzzer: cases done). */
  readonly at: number;
  readonly rssBytes: number;
  readonly openFiles: number;
}

export async function sampleProcess(pid: number, at: number): Promise<ProcessSample> {
  const [status, fds] = await Promise.all([readFile(`/proc/${pid}/status`, 'utf8'), readdir(`/proc/${pid}/fd`)]);
  const rssKiB = Number(/^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1] ?? Number.NaN);
  if (!Number.isFinite(rssKiB)) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return { at, rssBytes: rssKiB * 1024, openFiles: fds.length };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
