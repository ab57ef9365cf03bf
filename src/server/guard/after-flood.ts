import type { Logger } from '../logging/logger.js';
import { fullGarbageCollection } from './full-gc.js';
import { nativeMemoryTrim } from './native-trim.js';

/** A flood is over when the guard has had nothing to close for this long. */
export const FLOOD_QUIET_MS = 10_000;

/**
 * Gives memory back once a flood is over. Each connection a flood made leaves garbage (sockets, TLS state, parser
 * objects; native memory freed only when its JavaScript owner is collected), and an idle process allocates too
 * little for V8 to collect it: measured, 40 MB of JS heap garbage and the RSS behind it stayed for minutes. So
 * once the guard has been quiet for `quietMs` after closing connections, two full collections run 15 s apart
 * (tens of ms each, once per flood), then free native memory is handed back to the system (native-trim.ts); this is
 * logged with the memory it gave back.
 */
export class AfterFlood {
  readonly #gc = fullGarbageCollection();
  readonly #trim = nativeMemoryTrim();
  #timer: NodeJS.Timeout | undefined;
  #closed = 0;

  constructor(
    private readonly logger: Logger,
    private readonly quietMs = FLOOD_QUIET_MS,
    private readonly secondCollectionMs = SECOND_COLLECTION_MS,
  ) {}

  /** The guard closed a connection. */
  noteClosing(): void {
    this.#closed++;
    if (this.#timer) this.#timer.refresh();
    else this.#timer = setTimeout(() => this.#collect(), this.quietMs).unref();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #collect(): void {
    this.#timer = undefined;
    const closed = this.#closed;
    this.#closed = 0;
    const gc = this.#gc;
    if (!gc) return;
    const before = process.memoryUsage();
    const started = performance.now();
    gc();
    // Sockets and TLS state are freed by weak callbacks the first collection runs; what they held dies later.
    setTimeout(() => {
      gc();
      // The collection freed the connections' native state into malloc, which keeps it unless asked.
      this.#trim?.();
      const after = process.memoryUsage();
      this.logger.info(
        {
          closedDuringFlood: closed,
          rssMb: [mb(before.rss), mb(after.rss)],
          heapUsedMb: [mb(before.heapUsed), mb(after.heapUsed)],
          sinceFirstMs: Math.round(performance.now() - started),
        },
        'connection flood over: full garbage collection to give its memory back',
      );
    }, this.secondCollectionMs).unref();
  }
}

/**
 * Between the two collections. Measured: the first, at the end of the quiet period, gave back little; one 15 s
 * later gave back tens of MB (what the flood's connections held was still referenced for a while after they closed).
 */
export const SECOND_COLLECTION_MS = 15_000;

const mb = (bytes: number) => Math.round(bytes / 1048576);
