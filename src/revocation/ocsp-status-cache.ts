import type { RevocationState } from '../domain/certificates/revocation.js';

/** What the responder answers for one serial: the domain's state, or unknown (fleetca never issued it). */
export type OcspStatus = RevocationState | { readonly kind: 'unknown' };

interface Entry {
  readonly status: OcspStatus;
  readonly until: number;
  readonly certificateId?: string;
  /** Which keeping of the status this is: a status dropped and read again is kept under another stamp. */
  readonly stamp: number;
}

/** A kept status and the stamp of its keeping (what a response signed from it is tied to). */
export interface KeptStatus {
  readonly status: OcspStatus;
  readonly stamp: number;
}

/**
 * Serial → status, read from the registry once and kept until a change of that certificate, a resync, or its
 * expiry; bounded (the oldest entries go first), so a flood of made-up serials cannot grow it without end.
 */
export class OcspStatusCache {
  readonly #entries = new Map<string, Entry>();
  readonly #serialsByCertificate = new Map<string, string>();
  readonly #capacity: number;
  #stamps = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get(serial: string, now: number): KeptStatus | undefined {
    const entry = this.#entries.get(serial);
    if (entry === undefined) return undefined;
    if (entry.until > now) return entry;
    this.#delete(serial);
    return undefined;
  }

  /** Keeps `status` until `until` (or a change of `certificateId`); returns the stamp of this keeping. */
  set(serial: string, status: OcspStatus, until: number, certificateId?: string): number {
    this.#delete(serial);
    while (this.#entries.size >= this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#delete(oldest.value);
    }
    const stamp = ++this.#stamps;
    this.#entries.set(serial, { status, until, stamp, ...(certificateId === undefined ? {} : { certificateId }) });
    if (certificateId !== undefined) this.#serialsByCertificate.set(certificateId, serial);
    return stamp;
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
