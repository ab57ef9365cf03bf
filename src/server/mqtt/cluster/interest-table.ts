import { filterSubjects } from './subjects.js';

/** Starts one NATS subscription; the returned function ends it. */
export type Subscriber = (subject: string) => () => void;

/**
 * The NATS subjects this replica listens on, from its local sessions' filters: one subscription per subject, counted
 * (filters of one namespace share subjects, `a/#` and `a` both need `a`), ended when its last filter goes. Before the
 * first connection to NATS the subjects are only counted; `connect` then subscribes them all.
 */
export class InterestTable {
  readonly #subjects = new Map<string, { count: number; end?: () => void }>();
  #subscriber: Subscriber | undefined;

  constructor(private readonly prefix: string) {}

  /** From now on subjects are subscribed through `subscriber` (the NATS client resubscribes after a reconnect). */
  connect(subscriber: Subscriber): void {
    this.#subscriber = subscriber;
    for (const [subject, entry] of this.#subjects) entry.end ??= subscriber(subject);
  }

  add(namespace: string, filter: string): void {
    for (const subject of filterSubjects(this.prefix, namespace, filter)) {
      const entry = this.#subjects.get(subject);
      if (entry) entry.count++;
      else this.#subjects.set(subject, { count: 1, end: this.#subscriber?.(subject) });
    }
  }

  remove(namespace: string, filter: string): void {
    for (const subject of filterSubjects(this.prefix, namespace, filter)) {
      const entry = this.#subjects.get(subject);
      if (!entry) continue;
      if (--entry.count > 0) continue;
      this.#subjects.delete(subject);
      entry.end?.();
    }
  }

  /** Subjects listened on now. */
  get size(): number {
    return this.#subjects.size;
  }

  has(subject: string): boolean {
    return this.#subjects.has(subject);
  }
}
