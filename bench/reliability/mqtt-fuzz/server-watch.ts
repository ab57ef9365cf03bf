import { readFile } from 'node:fs/promises';

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
