import type { Envelope } from './message-codec.js';

/** Origins remembered; a replica gets a new origin at each start, so old ones are forgotten first. */
const MAX_ORIGINS = 1_000;

/**
 * Messages already routed here, by origin: NATS delivers a message once per matching subscription, and one replica's
 * copies of a message all arrive before its next message, so a sequence number not above the last one seen is a copy.
 */
export class SeenMessages {
  readonly #last = new Map<string, number>();

  /** True the first time a message arrives. */
  first(envelope: Envelope): boolean {
    const last = this.#last.get(envelope.origin);
    if (last !== undefined && envelope.sequence <= last) return false;
    // Kept in the order first seen: the oldest origins go first.
    this.#last.set(envelope.origin, envelope.sequence);
    if (last === undefined && this.#last.size > MAX_ORIGINS)
      this.#last.delete(this.#last.keys().next().value as string);
    return true;
  }
}
