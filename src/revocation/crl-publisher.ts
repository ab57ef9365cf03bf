import type { RevocationSigner } from '../ca/authority.js';
import { buildCrl } from '../ca/crl.js';
import { LISTED_STATUSES, revocationStateOf } from '../domain/certificates/revocation.js';
import type { Registry } from '../registry/registry.js';
import type { RegistryChange } from '../registry/registry-changes.js';
import type { RevocationSettings } from './revocation-settings.js';

/** One signed CRL and what its HTTP answer needs. */
export interface PublishedCrl {
  readonly der: Buffer;
  readonly crlNumber: bigint;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly entries: number;
}

/** A CRL is never reused past half its lifetime: a terminator that fetched it late still has half of it left. */
const REFRESH_FRACTION = 0.5;

/**
 * Makes the CRL of one issuing CA from the registry: every listed certificate and tombstone, mapped by the
 * domain's revocation rule, under a CRL number the registry hands out (so numbers only grow, across replicas).
 * The signed CRL is kept until a certificate change makes it stale or half its lifetime has passed. Once someone
 * has asked for it, a change starts the next one at once, so a new CRL is ready within a second of a change.
 */
export class CrlPublisher {
  readonly #registry: Registry;
  readonly #issuer: ReturnType<RevocationSigner['revocationIssuer']>;
  readonly #issuerKeyId: string;
  readonly #settings: RevocationSettings;
  readonly #now: () => Date;
  #current: PublishedCrl | undefined;
  /** Bumped by every change; a CRL made from a read that began before a change is stale on arrival. */
  #changes = 0;
  #madeAtChange = -1;
  #making: Promise<PublishedCrl> | undefined;
  #wanted = false;
  #unsubscribe: (() => void) | undefined;
  #onError: (err: unknown) => void;

  constructor(options: {
    readonly registry: Registry;
    readonly authority: RevocationSigner;
    readonly settings: RevocationSettings;
    readonly now?: () => Date;
    /** Hears a failed background refresh (the next request tries again). */
    readonly onError?: (err: unknown) => void;
  }) {
    this.#registry = options.registry;
    this.#issuer = options.authority.revocationIssuer();
    this.#issuerKeyId = this.#issuer.keyIdentifier.toString('hex');
    this.#settings = options.settings;
    this.#now = options.now ?? (() => new Date());
    this.#onError = options.onError ?? (() => {});
  }

  /** The issuing CA's key identifier (hex): the CRL's name in URLs. */
  get issuerKeyId(): string {
    return this.#issuerKeyId;
  }

  /** Follows the registry's certificate changes (a server; a one-shot command does not need to). */
  watch(): this {
    this.#unsubscribe ??= this.#registry.changes.subscribe((change) => this.#heard(change));
    return this;
  }

  close(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  /** The current CRL: the kept one while it is fresh, else a new one (concurrent callers share it). */
  async current(): Promise<PublishedCrl> {
    this.#wanted = true;
    const kept = this.#current;
    if (kept && this.#madeAtChange === this.#changes && !this.#pastRefresh(kept)) return kept;
    return this.#make();
  }

  /** A new CRL now, whatever is kept (`fleetca ca crl`). */
  async publish(): Promise<PublishedCrl> {
    return this.#make();
  }

  #pastRefresh(crl: PublishedCrl): boolean {
    const lifetime = crl.nextUpdate.getTime() - crl.thisUpdate.getTime();
    return this.#now().getTime() >= crl.thisUpdate.getTime() + lifetime * REFRESH_FRACTION;
  }

  #heard(change: RegistryChange): void {
    if (change.kind !== 'certificate' && change.kind !== 'resync') return;
    this.#changes++;
    // Made ahead only for a CRL someone has asked for: a replica nobody asks spends nothing. During a making, this
    // queues one more after it (every change meanwhile shares that one).
    if (this.#wanted) this.current().catch(this.#onError);
  }

  #make(): Promise<PublishedCrl> {
    // One CRL in the making at a time; whoever comes meanwhile asks again after it, and gets it, or a newer one
    // when a change arrived during it.
    if (this.#making) return this.#making.then(() => this.current());
    const startedAt = this.#changes;
    // Started on the next microtask, so #making is set before anything the generation does can call back in here.
    const making = Promise.resolve()
      .then(() => this.#generate())
      .then(
        (crl) => {
          this.#making = undefined;
          this.#current = crl;
          this.#madeAtChange = startedAt;
          // A change during the making: the next one starts now, and whoever waits on this one asks for it.
          if (startedAt !== this.#changes && this.#wanted) this.#make().catch(this.#onError);
          return crl;
        },
        (err: unknown) => {
          this.#making = undefined;
          throw err;
        },
      );
    this.#making = making;
    return making;
  }

  async #generate(): Promise<PublishedCrl> {
    // Seconds are all a CRL's times can say; truncating keeps thisUpdate from claiming a later read than it was.
    const thisUpdate = new Date(Math.floor(this.#now().getTime() / 1000) * 1000);
    const nextUpdate = new Date(thisUpdate.getTime() + this.#settings.crlLifetimeMs);
    // Number and listing in one registry step: a higher number never shows an older registry, on any replica.
    const { crlNumber, entries: listed } = await this.#registry.revocation.numberedRevocations(
      this.#issuerKeyId,
      LISTED_STATUSES,
      thisUpdate.getTime(),
    );
    const entries = listed.map((entry) => {
      const state = revocationStateOf(entry);
      if (state.kind !== 'revoked') throw new Error(`listed certificate ${entry.serialNumber} is not revoked`);
      return { serialNumber: entry.serialNumber, revokedAt: new Date(state.revokedAt), reason: state.reason };
    });
    const der = await buildCrl({ issuer: this.#issuer, crlNumber, thisUpdate, nextUpdate, entries });
    return { der, crlNumber, thisUpdate, nextUpdate, entries: entries.length };
  }
}
