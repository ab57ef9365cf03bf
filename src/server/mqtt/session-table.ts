import { statusAdmits } from '../../domain/devices/admission.js';
import type { DevicePrincipal } from '../../domain/devices/device-principal.js';
import type { RegistryChange } from '../../registry/registry-changes.js';

/** What the table needs of a connection: a way to end it. */
export interface Droppable {
  drop(reason: string): void;
}

interface Pending {
  readonly certificateId: string;
  revoked: boolean;
}

/**
 * The live device sessions by certificate, so that a certificate leaving ACTIVE (or deleted) ends its
 * sessions as soon as the registry's change feed says so, whichever process or door made the change.
 * Connections still being admitted are tracked too: a change heard while their lookup runs refuses them.
 */
export class SessionTable<C extends Droppable> {
  readonly #sessions = new Map<C, DevicePrincipal>();
  readonly #pending = new Map<C, Pending>();
  readonly #expiryTimers = new Map<C, NodeJS.Timeout>();

  /** Re-checks every live session after the feed may have missed changes; refused ones are dropped. */
  constructor(private readonly recheck: (principal: DevicePrincipal) => Promise<boolean>) {}

  get size(): number {
    return this.#sessions.size;
  }

  beginAdmission(connection: C, certificateId: string): void {
    this.#pending.set(connection, { certificateId, revoked: false });
  }

  /** Ends the admission; false when a change heard meanwhile revoked it. */
  endAdmission(connection: C): boolean {
    const pending = this.#pending.get(connection);
    this.#pending.delete(connection);
    return pending !== undefined && !pending.revoked;
  }

  add(connection: C, principal: DevicePrincipal, now: number): void {
    this.#sessions.set(connection, principal);
    if (principal.expiresAt !== undefined) {
      const timer = setTimeout(() => connection.drop('the claim certificate expired'), principal.expiresAt - now);
      timer.unref();
      this.#expiryTimers.set(connection, timer);
    }
  }

  principalOf(connection: C): DevicePrincipal | undefined {
    return this.#sessions.get(connection);
  }

  remove(connection: C): void {
    this.#sessions.delete(connection);
    this.#pending.delete(connection);
    const timer = this.#expiryTimers.get(connection);
    if (timer) clearTimeout(timer);
    this.#expiryTimers.delete(connection);
  }

  /** The change feed's listener. */
  onChange(change: RegistryChange): void {
    if (change.kind === 'certificate') {
      if (statusAdmits(change.status)) return;
      for (const pending of this.#pending.values()) {
        if (pending.certificateId === change.certificateId) pending.revoked = true;
      }
      for (const [connection, principal] of this.#sessions) {
        if (
          principal.device &&
          principal.certificateId === change.certificateId &&
          principal.scope.accountId === change.accountId &&
          principal.scope.region === change.region
        ) {
          connection.drop(`the certificate is ${change.status}`);
        }
      }
    } else if (change.kind === 'claims-withdrawn') {
      // Rights are fixed at admission: a session whose claim was withdrawn ends, and reconnects with what is left.
      for (const pending of this.#pending.values()) {
        if (change.certificateId === undefined || pending.certificateId === change.certificateId)
          pending.revoked = true;
      }
      for (const [connection, principal] of this.#sessions) {
        if (
          principal.provisioningTemplates.has(change.templateName) &&
          principal.scope.accountId === change.accountId &&
          principal.scope.region === change.region &&
          (change.certificateId === undefined || principal.certificateId === change.certificateId)
        ) {
          connection.drop('its provisioning claim was withdrawn');
        }
      }
    } else if (change.kind === 'resync') {
      for (const pending of this.#pending.values()) pending.revoked = true;
      void this.#recheckAll();
    }
  }

  async #recheckAll(): Promise<void> {
    for (const [connection, principal] of [...this.#sessions]) {
      const stillAdmitted = await this.recheck(principal).catch(() => true);
      if (!stillAdmitted && this.#sessions.has(connection)) connection.drop('no longer admitted');
    }
  }
}
