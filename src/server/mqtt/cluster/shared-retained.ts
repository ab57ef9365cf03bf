import { type KV, Kvm } from '@nats-io/kv';
import type { NatsConnection, QueuedIterator } from '@nats-io/transport-node';
import type { Logger } from '../../logging/logger.js';
import type { ApplicationMessage } from '../broker/message.js';
import { decodeRetained, encodeRetained, retainedKey, topicOfRetainedKey } from './message-codec.js';

/** Where mirrored retained messages go: the local broker's store (false when it is full). */
export type RetainLocally = (namespace: string, message: ApplicationMessage) => boolean;

const RETRY_MS = 2_000;

/**
 * Retained messages shared by the replicas in a JetStream KV bucket: a set (or clear) through any replica is put
 * (deleted) there, and every replica mirrors the bucket into its own store with a watch, so a SUBSCRIBE reads locally.
 * Writes wait in order while NATS is away; at each (re)connection they are written, the mirror drops what the bucket
 * no longer has, and the watch starts again.
 */
export class SharedRetained {
  /** Writes not yet in the bucket, the latest per key (an empty payload deletes). */
  readonly #pending = new Map<string, { readonly namespace: string; readonly message: ApplicationMessage }>();
  /** Keys mirrored from the bucket into the local store. */
  readonly #mirrored = new Set<string>();
  #kv: KV | undefined;
  #watch: QueuedIterator<unknown> | undefined;
  #writing = false;
  #retry: NodeJS.Timeout | undefined;
  #rewrite: NodeJS.Timeout | undefined;
  #fullWarned = false;
  #problem: string | undefined = 'not connected yet';

  constructor(
    private readonly bucket: string,
    private readonly retainLocally: RetainLocally,
    private readonly logger: Logger,
  ) {}

  /** Why retained messages are not shared now, if they are not. */
  get problem(): string | undefined {
    return this.#problem;
  }

  /** A local client set or cleared a retained message. */
  set(namespace: string, message: ApplicationMessage): void {
    this.#pending.set(retainedKey(namespace, message.topic), { namespace, message });
    void this.#write();
  }

  /** (Re)connected: open the bucket, write what waits, re-sync the mirror, watch again. */
  async connected(connection: NatsConnection): Promise<void> {
    clearTimeout(this.#retry);
    try {
      this.#kv ??= await new Kvm(connection).create(this.bucket, { history: 1 });
      await this.#write();
      await this.#resync(this.#kv);
      this.#problem = undefined;
    } catch (err) {
      this.#problem = `retained messages not shared: ${(err as Error).message}`;
      this.logger.warn(
        { err: (err as Error).message, bucket: this.bucket },
        'cluster: retained messages not shared yet; retrying',
      );
      this.#retry = setTimeout(() => void this.connected(connection), RETRY_MS).unref();
    }
  }

  close(): void {
    clearTimeout(this.#retry);
    clearTimeout(this.#rewrite);
    this.#watch?.stop();
    this.#watch = undefined;
  }

  async #write(): Promise<void> {
    const kv = this.#kv;
    if (!kv || this.#writing) return;
    this.#writing = true;
    try {
      for (const [key, entry] of this.#pending) {
        if (entry.message.payload.length === 0) await kv.delete(key);
        else await kv.put(key, encodeRetained(entry.message));
        // A newer write of the key may have come meanwhile: it stays for the next turn.
        if (this.#pending.get(key) === entry) this.#pending.delete(key);
      }
    } catch {
      // NATS is away (or the bucket): the writes wait, and are tried again.
      clearTimeout(this.#rewrite);
      this.#rewrite = setTimeout(() => void this.#write(), RETRY_MS).unref();
    } finally {
      this.#writing = false;
    }
  }

  async #resync(kv: KV): Promise<void> {
    this.#watch?.stop();
    const present = new Set<string>();
    for await (const key of await kv.keys()) present.add(key);
    for (const key of [...this.#mirrored]) {
      if (!present.has(key) && !this.#pending.has(key)) this.#apply(key, undefined);
    }
    const watch = await kv.watch({ key: '>' });
    this.#watch = watch;
    void (async () => {
      for await (const entry of watch) {
        this.#apply(entry.key, entry.operation === 'PUT' ? entry.value : undefined);
      }
    })().catch(() => {});
  }

  /** Mirrors one key of the bucket: its value, or undefined when deleted. */
  #apply(key: string, value: Uint8Array | undefined): void {
    const place = topicOfRetainedKey(key);
    if (!place) return;
    // A local write not yet in the bucket is newer than what the bucket says.
    if (this.#pending.has(key)) return;
    const message =
      value === undefined
        ? { topic: place.topic, payload: Buffer.alloc(0), qos: 0 as const, retain: true, receivedAt: Date.now() }
        : decodeRetained(place.topic, value);
    if (!message) return;
    if (value === undefined) this.#mirrored.delete(key);
    else this.#mirrored.add(key);
    if (!this.retainLocally(place.namespace, message) && !this.#fullWarned) {
      this.#fullWarned = true;
      this.logger.warn(
        { bucket: this.bucket },
        'cluster: the retained store is full; retained messages from other replicas are not kept',
      );
    }
  }
}
