import type { AccessKeySecret, AccountStore } from '../../registry/account-store.js';
import type { RegistryChanges } from '../../registry/registry-changes.js';

export interface AccessKeyCacheOptions {
  /** Keys remembered at most; the least recently used go first. */
  readonly maxEntries?: number;
  /** Longest a looked-up key is trusted without asking the store again, should a change go unheard. */
  readonly maxAgeMs?: number;
  readonly now?: () => number;
}

type KeyLookup = Pick<AccountStore, 'findAccessKey'>;

/**
 * Remembers the access keys requests were signed with, so that a busy server asks a remote database
 * once per key rather than once per request. Correct only on a feed that hears every process's
 * changes: a deleted key is forgotten when its deletion is announced, and everything when the feed
 * says it may have missed something. Unknown keys are never remembered (one may be created any time).
 */
export class AccessKeyCache implements KeyLookup {
  readonly #store: KeyLookup;
  readonly #entries = new Map<string, { readonly key: AccessKeySecret; readonly at: number }>();
  readonly #maxEntries: number;
  readonly #maxAgeMs: number;
  readonly #now: () => number;
  /** Bumped by every invalidation, so a lookup that raced one does not store what it read before. */
  #epoch = 0;

  constructor(store: KeyLookup, changes: RegistryChanges, options: AccessKeyCacheOptions = {}) {
    if (changes.reach !== 'database') throw new RangeError('caching access keys needs a database-wide change feed');
    this.#store = store;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#maxAgeMs = options.maxAgeMs ?? 60_000;
    this.#now = options.now ?? Date.now;
    // Subscribed for the registry's lifetime, which is the server's.
    changes.subscribe((change) => {
      if (change.kind === 'access-key-deleted') {
        this.#epoch++;
        this.#entries.delete(change.accessKeyId);
      } else if (change.kind === 'resync') {
        this.#epoch++;
        this.#entries.clear();
      }
    });
  }

  async findAccessKey(accessKeyId: string): Promise<AccessKeySecret | undefined> {
    const now = this.#now();
    const entry = this.#entries.get(accessKeyId);
    if (entry !== undefined) {
      this.#entries.delete(accessKeyId);
      if (now - entry.at < this.#maxAgeMs) {
        // Re-inserted: a Map iterates in insertion order, so the first entry is the least recently used.
        this.#entries.set(accessKeyId, entry);
        return entry.key;
      }
    }
    const epoch = this.#epoch;
    const key = await this.#store.findAccessKey(accessKeyId);
    if (key !== undefined && epoch === this.#epoch) {
      this.#entries.set(accessKeyId, { key, at: now });
      if (this.#entries.size > this.#maxEntries) {
        const oldest = this.#entries.keys().next().value;
        if (oldest !== undefined) this.#entries.delete(oldest);
      }
    }
    return key;
  }
}
