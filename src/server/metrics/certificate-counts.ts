import { CERTIFICATE_STATUSES, type CertificateStatus } from '../../domain/certificates/certificate-status.js';
import type { StatusCount } from '../../registry/store.js';
import { answerWithin, REGISTRY_CHECK_TIMEOUT_MS } from '../registry-probe.js';

/** Certificates by status, every status present (zero when none), and when they were counted. */
export interface CountedCertificates {
  readonly counts: Readonly<Record<CertificateStatus, number>>;
  /** Epoch ms. */
  readonly countedAt: number;
}

/**
 * Certificates by status for metrics, counted at most once per `maxAgeMs`: the count reads a whole index
 * (~0.1 s at 1,000,000 certificates on SQLite, where it holds the event loop), so scrapes in between get
 * the last count. A failed count keeps the previous one; the registry's own gauge says it is down.
 */
export class CertificateCounts {
  readonly #count: () => Promise<readonly StatusCount[]>;
  readonly #maxAgeMs: number;
  #last: CountedCertificates | undefined;
  #running: Promise<void> | undefined;

  constructor(count: () => Promise<readonly StatusCount[]>, maxAgeMs: number) {
    this.#count = count;
    this.#maxAgeMs = maxAgeMs;
  }

  /** The latest count, counting again first when it is older than allowed. */
  async current(): Promise<CountedCertificates | undefined> {
    const last = this.#last;
    if (last === undefined || Date.now() - last.countedAt >= this.#maxAgeMs) {
      this.#running ??= this.#refresh().finally(() => {
        this.#running = undefined;
      });
      // A registry that hangs must not hang the scrape: it answers with the last count meanwhile.
      await answerWithin(this.#running, REGISTRY_CHECK_TIMEOUT_MS);
    }
    return this.#last;
  }

  async #refresh(): Promise<void> {
    try {
      const rows = await this.#count();
      const counts = Object.fromEntries(CERTIFICATE_STATUSES.map((status) => [status, 0])) as Record<
        CertificateStatus,
        number
      >;
      for (const { status, count } of rows) counts[status] = count;
      this.#last = { counts, countedAt: Date.now() };
    } catch {
      // Kept as it was: a registry that is down shows in fleetca_registry_up, not as certificates vanishing.
    }
  }
}
