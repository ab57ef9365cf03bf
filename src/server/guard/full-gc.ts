import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A full garbage collection on demand, or undefined where the runtime does not allow one. V8 only offers `gc()`
 * with --expose-gc; set at run time, the flag takes effect in contexts made afterwards, so one is made to fetch it.
 * The main context stays without a global `gc`.
 */
export function fullGarbageCollection(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    // 'last-resort': V8's memory-reducing collection (as before a heap snapshot), which also shrinks the heap
    // spaces; V8 versions without the option run an ordinary full collection.
    return typeof gc === 'function'
      ? () => (gc as (options: object) => void)({ type: 'major', execution: 'sync', flavor: 'last-resort' })
      : undefined;
  } catch {
    return undefined;
  }
}
