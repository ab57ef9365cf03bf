import { readdir, readFile } from 'node:fs/promises';

/** The server process's resident memory and open file descriptors, from /proc (Linux). */
export interface ProcessSample {
  readonly atCase: number;
  readonly rssBytes: number;
  readonly openFiles: number;
}

export async function sampleProcess(pid: number, atCase: number): Promise<ProcessSample> {
  const [status, fds] = await Promise.all([readFile(`/proc/${pid}/status`, 'utf8'), readdir(`/proc/${pid}/fd`)]);
  const rssKiB = Number(/^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1] ?? Number.NaN);
  if (!Number.isFinite(rssKiB)) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return { atCase, rssBytes: rssKiB * 1024, openFiles: fds.length };
}

/** Whether the process still runs (signal 0 checks without touching it). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface LogVerdict {
  readonly lines: number;
  /** Lines at level error or fatal, and lines that are not pino JSON (a stack trace, a crash report). */
  readonly problems: readonly string[];
  /** "device connection closed: malformed packet" lines: the broker's refusals, for the report. */
  readonly malformedReports: number;
}

/** Reads the server's log (stderr: one pino JSON line each) for anything that was not handled. */
export async function inspectLog(file: string): Promise<LogVerdict> {
  const text = await readFile(file, 'utf8');
  const problems: string[] = [];
  let lines = 0;
  let malformedReports = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    lines++;
    let entry: { level?: unknown; msg?: unknown };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      problems.push(line.slice(0, 300));
      continue;
    }
    if (entry.level === 'error' || entry.level === 'fatal') problems.push(line.slice(0, 300));
    if (entry.msg === 'device connection closed: malformed packet') malformedReports++;
  }
  return { lines, problems, malformedReports };
}
