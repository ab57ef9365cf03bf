import { filterMatches } from '../topic-filter.js';
import { type ApplicationMessage, isExpired } from './message.js';

/** Retained messages, one per topic of each namespace (MQTT 3.1.1 §3.3.1.3), at most `limit` in all. */
export class RetainedStore {
  readonly #messages = new Map<string, { readonly namespace: string; readonly message: ApplicationMessage }>();

  constructor(private readonly limit: number) {}

  /** Keeps `message` as its topic's retained message, or clears it when the payload is empty; false when full. */
  set(message: ApplicationMessage, namespace: string): boolean {
    const key = `${namespace}\u0000${message.topic}`;
    if (message.payload.length === 0) {
      this.#messages.delete(key);
      return true;
    }
    if (!this.#messages.has(key) && this.#messages.size >= this.limit) return false;
    this.#messages.set(key, { namespace, message });
    return true;
  }

  /** The retained messages on topics matching `filter`; expired ones are forgotten on the way. */
  matching(filter: string, namespace: string, now: number): ApplicationMessage[] {
    const found: ApplicationMessage[] = [];
    for (const [key, kept] of this.#messages) {
      if (kept.namespace !== namespace || !filterMatches(filter, kept.message.topic)) continue;
      if (isExpired(kept.message, now)) this.#messages.delete(key);
      else found.push(kept.message);
    }
    return found;
  }

  get size(): number {
    return this.#messages.size;
  }

  clear(): void {
    this.#messages.clear();
  }
}
