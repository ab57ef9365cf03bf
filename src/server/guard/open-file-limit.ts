import { readFileSync } from 'node:fs';

/** The process's open-file limit (soft; what accept() runs into), and where it was read. */
export interface OpenFileLimit {
  readonly files: number;
  /** False when the limit could not be read (not Linux) and `files` is a conservative guess. */
  readonly known: boolean;
}

/** Assumed when /proc/self/limits cannot be read: the usual soft limit of a login shell. */
const ASSUMED_LIMIT = 1024;

/** Reads "Max open files" from /proc/self/limits (Linux); "unlimited" counts as a very large number. */
export function openFileLimit(limitsText?: string): OpenFileLimit {
  let text = limitsText;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/limits', 'utf8');
    } catch {
      return { files: ASSUMED_LIMIT, known: false };
    }
  }
  const soft = /^Max open files\s+(\S+)/m.exec(text)?.[1];
  if (soft === undefined) return { files: ASSUMED_LIMIT, known: false };
  if (soft === 'unlimited') return { files: 1_048_576, known: true };
  const files = Number(soft);
  return Number.isSafeInteger(files) && files > 0 ? { files, known: true } : { files: ASSUMED_LIMIT, known: false };
}
