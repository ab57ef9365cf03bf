import type { Registry } from 'prom-client';
import { heapAfterLastFullCollection, watchFullCollections } from './heap-after-full-gc.js';
import { mirroredGauge } from './mirrored.js';

/**
 * The process's memory as Node sees it, read at each scrape: resident set (what the kernel charges) against the
 * JavaScript heap and the buffers outside it. RSS far above heap + external after a load has passed is memory the
 * C allocator keeps (glibc arenas), not something fleetca still holds; see README, "Hostile clients".
 */
export function registerProcessMemory(registry: Registry): void {
  watchFullCollections();
  mirroredGauge(registry, {
    name: 'fleetca_process_memory_bytes',
    help: 'Process memory by kind: rss, heap_total, heap_used, external (C++ objects bound to JS, buffers), array_buffers, heap_after_full_gc (heap in use after the last full collection: the leak indicator).',
    labelNames: ['kind'],
    read: () => {
      const memory = process.memoryUsage();
      const afterFullGc = heapAfterLastFullCollection();
      return [
        [{ kind: 'rss' }, memory.rss],
        [{ kind: 'heap_total' }, memory.heapTotal],
        [{ kind: 'heap_used' }, memory.heapUsed],
        [{ kind: 'external' }, memory.external],
        [{ kind: 'array_buffers' }, memory.arrayBuffers],
        ...(afterFullGc === undefined ? [] : ([[{ kind: 'heap_after_full_gc' }, afterFullGc]] as const)),
      ];
    },
  });
}
