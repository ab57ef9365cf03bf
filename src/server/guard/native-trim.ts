import { createRequire } from 'node:module';

/**
 * Hands free native memory back to the operating system, or undefined where that is not possible. A flood's TLS
 * connections each leave ~50 KB of OpenSSL state that glibc's malloc frees into its own lists and keeps: measured,
 * a process at 484 MB RSS (JS heap 4 MB) went to 81 MB on malloc_trim(0), and glibc's tunables (trim threshold,
 * top pad, arena count) gave back nothing. glibc only: musl and other platforms have no malloc_trim and return
 * memory differently, so there the trim is skipped.
 */
export function nativeMemoryTrim(): (() => void) | undefined {
  if (process.platform !== 'linux' || !glibcVersion()) return undefined;
  try {
    const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
    const mallocTrim = koffi.load('libc.so.6').func('int malloc_trim(size_t pad)') as (pad: number) => number;
    return () => {
      mallocTrim(0);
    };
  } catch {
    return undefined;
  }
}

function glibcVersion(): string | undefined {
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  const header = report?.header;
  return header?.glibcVersionRuntime;
}
