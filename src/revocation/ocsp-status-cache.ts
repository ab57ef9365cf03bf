import type { RevocationState } from '../domain/certificates/revocation.js';

/** What the responder answers for one serial: the domain's state, or unknown (fleetca never issued it). */
export type OcspStatus = RevocationState | { readonly kind: 'unknown' };

interface Entry {
  readonly status: OcspStatus;
  readonly until: number;
  readonly certificateId?: string;
}

/**
 * Serial → status, read from the registry once and kept until a change of that certificate, a resync, or its
 * expiry; bounded (the oldest entries go first), so a flood of made-up serials cannot grow it without end.
 */
export class OcspStatusCache {
  readonly #entries = new Map<string, Entry>();
  readonly #serialsByCertificate = new Map<string, string>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get(serial: string, now: number): OcspStatus | undefined {
    const entry = this.#entries.get(serial);
    if (entry === undefined) return undefined;
    if (entry.until > now) return entry.status;
    this.#delete(serial);
    return undefined;
  }

  set(serial: string, status: OcspStatus, until: number, certificateId?: string): void {
    this.#delete(serial);
    while (this.#entries.size >= this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#delete(oldest.value);
    }
    this.#entries.set(serial, { status, until, ...(certificateId === undefined ? {} : { certificateId }) });
    if (certificateId !== undefined) this.#serialsByCertificate.set(certificateId, serial);
  }

  /** The certificate changed: its status is read again. Returns the serial it was kept under, if any. */
  forgetCertificate(certificateId: string): string | undefined {
    const serial = this.#serialsByCertificate.get(certificateId);
    if (serial !== undefined) this.#delete(serial);
    return serial;
  }

  clear(): void {
    this.#entries.clear();
    this.#serialsByCertificate.clear();
  }

  #delete(serial: string): void {
    const entry = this.#entries.get(serial);
    if (entry === undefined) return;
    this.#entries.delete(serial);
    if (entry.certificateId !== undefined) this.#serialsByCertificate.delete(entry.certificateId);
  }
}
