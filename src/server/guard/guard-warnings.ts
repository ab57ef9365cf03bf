import type { Logger } from '../logging/logger.js';

/**
 * One warn line when the guard first closes a connection, then at most one per `intervalMs` with what it
 * closed meanwhile, by door and reason: a flood of 20,000 sockets is a handful of lines, not 20,000.
 */
export class GuardWarnings {
  readonly #counts = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = 10_000,
  ) {}

  note(door: string, reason: string): void {
    const key = `${door}:${reason}`;
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
    if (this.#timer === undefined) this.#flush();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#counts.size > 0) this.#log();
  }

  #flush(): void {
    if (this.#counts.size === 0) {
      this.#timer = undefined;
      return;
    }
    this.#log();
    this.#timer = setTimeout(() => this.#flush(), this.intervalMs).unref();
  }

  #log(): void {
    const closed = Object.fromEntries(this.#counts);
    this.#counts.clear();
    this.logger.warn(
      { closed, withinMs: this.intervalMs },
      'connection guard closed connections (deadline passed or limit reached); see fleetca_connection_guard_closed_total',
    );
  }
}
