import { constants, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';

let observer: PerformanceObserver | undefined;
let latest: number | undefined;

/**
 * Watches the main thread's full (mark-compact) collections, once per process. The heap in use just after one is
 * what the process really holds; RSS and heap_total also count what V8 has committed in advance and not yet
 * collected — on Node 22 and later, which size the heap more generously, RSS keeps rising for minutes under a
 * steady load while this stays flat, so it is the figure that shows a leak. Read in the observer's callback, a few
 * allocations after the collection: an upper bound, off by less than one young generation.
 */
export function watchFullCollections(): void {
  if (observer) return;
  observer = new PerformanceObserver((list) => {
    const full = list.getEntries().some((entry) => gcKind(entry) === constants.NODE_PERFORMANCE_GC_MAJOR);
    if (full) latest = getHeapStatistics().used_heap_size;
  });
  observer.observe({ entryTypes: ['gc'] });
}

/** Bytes of heap in use after the last full collection; undefined before the first. */
export function heapAfterLastFullCollection(): number | undefined {
  return latest;
}

function gcKind(entry: PerformanceEntry): number | undefined {
  return (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
}
