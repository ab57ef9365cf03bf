import { randomUUID } from 'node:crypto';
import { headers, type Msg, type NatsConnection } from '@nats-io/transport-node';
import type { ClusterSettings } from '../../../home/cluster-config.js';
import type { Logger } from '../../logging/logger.js';
import type { Broker } from '../broker/broker.js';
import type { ApplicationMessage } from '../broker/message.js';
import type { BrokerRelay } from '../broker/relay.js';
import { ClusterLink, type ClusterStats } from './cluster-link.js';
import { InterestTable } from './interest-table.js';
import { decodeMessage, encodeHeaders } from './message-codec.js';
import { natsConnectOptions } from './nats-connect-options.js';
import { SeenMessages } from './seen-messages.js';
import { SharedRetained } from './shared-retained.js';
import { clusterPrefix, topicOfSubject, topicSubject } from './subjects.js';
import { Takeovers } from './takeover.js';

/** What `/_fleetca/health` says of the cluster: it never fails readiness (devices on this replica are still served). */
export type ClusterHealth = { readonly status: 'ok' } | { readonly status: 'degraded'; readonly problem: string };

/**
 * This replica in a cluster of `fleetca serve` replicas on NATS: the broker's relay. Clients' messages (and wills)
 * go out on subjects of their namespace and topic; messages from other replicas come in on the subjects local
 * subscriptions need and are routed here only (never sent on again); retained messages are shared (shared-retained.ts);
 * admissions are announced for client id takeover (takeover.ts).
 */
export class ClusterNode implements BrokerRelay {
  /** New at each start: the origin of this replica's messages and the tie-breaker of its admissions. */
  readonly node = randomUUID();
  readonly #prefix: string;
  readonly #link: ClusterLink;
  readonly #interest: InterestTable;
  readonly #retained: SharedRetained;
  readonly #takeovers = new Takeovers(this.node);
  readonly #seen = new SeenMessages();
  #broker: Broker | undefined;
  #sequence = 0;
  readonly #outbox: Array<{ namespace: string; message: ApplicationMessage; sequence: number }> = [];
  #subscribed = false;

  constructor(settings: ClusterSettings, logger: Logger) {
    this.#prefix = clusterPrefix(settings.name);
    this.#interest = new InterestTable(this.#prefix);
    this.#retained = new SharedRetained(
      `fleetca-${settings.name}-retained`,
      (namespace, message) => this.#broker?.retainFromReplica(namespace, message) ?? false,
      logger,
    );
    // Throws ClusterSetupError when the settings cannot work (unreadable TLS files, conflicting credentials).
    const options = natsConnectOptions(settings);
    this.#link = new ClusterLink(options, settings.name, logger, (connection) => this.#connected(connection));
  }

  /** `broker` relays through this node from now on; NATS is reached in the background. */
  join(broker: Broker): void {
    this.#broker = broker;
    for (const { namespace, filter } of broker.interests()) this.#interest.add(namespace, filter);
    broker.relayThrough(this);
    this.#link.start();
  }

  stats(): ClusterStats {
    return this.#link.stats();
  }

  health(): ClusterHealth {
    const problem = this.#link.stats().problem ?? this.#retained.problem;
    return problem === undefined ? { status: 'ok' } : { status: 'degraded', problem };
  }

  async close(): Promise<void> {
    this.#sendOutbox();
    this.#retained.close();
    await this.#link.close();
  }

  // --- BrokerRelay ---

  routed(namespace: string, message: ApplicationMessage): void {
    if (!this.#link.connection || !this.#link.mayPublish(message.payload.length + message.topic.length)) {
      this.#link.counts.unsent++;
      return;
    }
    // Handed to NATS once per turn of the event loop: the client then writes them all in one syscall (one each cost
    // ~40 µs on a busy replica, most of its time at 10,000 messages a second). Sequence numbers keep their order.
    this.#outbox.push({ namespace, message, sequence: ++this.#sequence });
    if (this.#outbox.length === 1) setImmediate(() => this.#sendOutbox());
  }

  interestAdded(namespace: string, filter: string): void {
    this.#interest.add(namespace, filter);
  }

  interestRemoved(namespace: string, filter: string): void {
    this.#interest.remove(namespace, filter);
  }

  retained(namespace: string, message: ApplicationMessage): void {
    this.#retained.set(namespace, message);
  }

  admitted(namespace: string, clientId: string, connectionId: number): void {
    const stamp = this.#takeovers.admitted(namespace, clientId, connectionId);
    try {
      this.#link.connection?.publish(`${this.#prefix}.admit`, JSON.stringify({ namespace, clientId, ...stamp }));
    } catch {
      // Not announced: a connection elsewhere keeps the client id until it ends.
    }
  }

  released(namespace: string, clientId: string, connectionId: number): void {
    this.#takeovers.released(namespace, clientId, connectionId);
  }

  #sendOutbox(): void {
    const connection = this.#link.connection;
    const batch = this.#outbox.splice(0);
    if (!connection) {
      this.#link.counts.unsent += batch.length;
      return;
    }
    for (const { namespace, message, sequence } of batch) {
      try {
        const h = headers();
        for (const [name, value] of encodeHeaders(message, { origin: this.node, sequence })) h.set(name, value);
        connection.publish(topicSubject(this.#prefix, namespace, message.topic), message.payload, { headers: h });
        this.#link.counts.sent++;
      } catch {
        // Closed, or a subject NATS refuses (too long): the message stays on this replica.
        this.#link.counts.unsent++;
      }
    }
  }

  // --- from NATS ---

  #connected(connection: NatsConnection): void {
    // Subscriptions survive reconnections (the client renews them); only the first connection makes them.
    if (!this.#subscribed) {
      this.#subscribed = true;
      this.#interest.connect((subject) => {
        const subscription = connection.subscribe(subject, {
          callback: (err, msg) => {
            if (!err) this.#message(msg);
          },
        });
        return () => subscription.unsubscribe();
      });
      connection.subscribe(`${this.#prefix}.admit`, {
        callback: (err, msg) => {
          if (!err) this.#admission(msg);
        },
      });
    }
    void this.#retained.connected(connection);
  }

  #message(msg: Msg): void {
    const place = topicOfSubject(this.#prefix, msg.subject);
    if (!place) return;
    const decoded = decodeMessage(place.topic, msg.data, (name) => msg.headers?.get(name) || undefined);
    // A message matching several of this replica's subscriptions arrives once per subscription: routed once.
    if (!decoded || decoded.envelope.origin === this.node || !this.#seen.first(decoded.envelope)) return;
    this.#link.counts.received++;
    this.#broker?.routeFromReplica(place.namespace, decoded.message);
  }

  #admission(msg: Msg): void {
    let announced: { namespace?: unknown; clientId?: unknown; at?: unknown; node?: unknown };
    try {
      announced = msg.json();
    } catch {
      return;
    }
    const { namespace, clientId, at, node } = announced;
    if (typeof namespace !== 'string' || typeof clientId !== 'string' || typeof node !== 'string') return;
    if (typeof at !== 'number' || node === this.node) return;
    const taken = this.#takeovers.announced(namespace, clientId, { at, node });
    if (taken !== undefined) this.#broker?.takenOverElsewhere(namespace, clientId, taken);
  }
}
