/** The outcome of one readiness check of the registry. */
export interface RegistryCheck {
  readonly up: boolean;
  /** Epoch ms when the check ended. */
  readonly checkedAt: number;
  /** Why it failed, in words safe for an unauthenticated caller (no host, no database name). */
  readonly problem?: string;
  /** The underlying error, for the log only. */
  readonly error?: unknown;
}

/** A readiness check must answer quickly even when the database hangs rather than refuses. */
export const REGISTRY_CHECK_TIMEOUT_MS = 2000;

/**
 * Asks the registry whether it answers (Registry.ping), within a timeout. Checks asked for while one runs
 * share it, so a flood of health checks and scrapes costs the database one query at a time.
 */
export class RegistryProbe {
  readonly #ping: () => Promise<void>;
  readonly #timeoutMs: number;
  #running: Promise<RegistryCheck> | undefined;
  #last: RegistryCheck | undefined;

  constructor(ping: () => Promise<void>, timeoutMs = REGISTRY_CHECK_TIMEOUT_MS) {
    this.#ping = ping;
    this.#timeoutMs = timeoutMs;
  }

  /** The latest finished check, if any. */
  get last(): RegistryCheck | undefined {
    return this.#last;
  }

  check(): Promise<RegistryCheck> {
    this.#running ??= this.#run().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #run(): Promise<RegistryCheck> {
    let check: RegistryCheck;
    try {
      const outcome = await answerWithin(
        this.#ping().then(() => 'answered' as const),
        this.#timeoutMs,
      );
      check =
        outcome === 'answered'
          ? { up: true, checkedAt: Date.now() }
          : { up: false, checkedAt: Date.now(), problem: `the registry did not answer within ${this.#timeoutMs} ms` };
    } catch (error) {
      check = { up: false, checkedAt: Date.now(), problem: 'the registry refused or could not be reached', error };
    }
    this.#last = check;
    return check;
  }
}

/** `promise`'s outcome, or 'timeout' when it has not settled within `ms` (it keeps running). */
export async function answerWithin<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([promise, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
