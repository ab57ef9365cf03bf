import { constants } from 'node:os';
import { pyStrRepr } from './repr.js';

// glibc strerror() texts, which Python puts in every OSError message.
const STRERROR: Readonly<Record<string, string>> = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  EIO: 'Input/output error',
  EBADF: 'Bad file descriptor',
  EACCES: 'Permission denied',
  EBUSY: 'Device or resource busy',
  EEXIST: 'File exists',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EINVAL: 'Invalid argument',
  ENFILE: 'Too many open files in system',
  EMFILE: 'Too many open files',
  ETXTBSY: 'Text file busy',
  EFBIG: 'File too large',
  ENOSPC: 'No space left on device',
  EROFS: 'Read-only file system',
  ENAMETOOLONG: 'File name too long',
  ELOOP: 'Too many levels of symbolic links',
  EDQUOT: 'Disk quota exceeded',
};

/**
 * Python's `str(OSError)` for a Node fs error: `[Errno 2] No such file or directory: 'missing.pem'`.
 * Falls back to Node's own message for codes Python would word differently than we know.
 */
export function pyOsErrorMessage(error: unknown, path: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const text = code ? STRERROR[code] : undefined;
  const errno = code ? (constants.errno as Record<string, number | undefined>)[code] : undefined;
  if (text === undefined || errno === undefined) return error instanceof Error ? error.message : String(error);
  return `[Errno ${errno}] ${text}: ${pyStrRepr(path)}`;
}
