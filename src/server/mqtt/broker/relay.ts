import type { ApplicationMessage } from './message.js';

/**
 * What the broker tells a relay to other brokers (replicas) of what happens locally. Only clients' doings are told:
 * messages the server publishes itself (events) reach every replica another way. Each call is synchronous and must
 * not throw; the relay does its own I/O later.
 */
export interface BrokerRelay {
  /** A client's PUBLISH, or a will, was routed locally in `namespace`. */
  routed(namespace: string, message: ApplicationMessage): void;
  /** The first local session subscribed to `filter` in `namespace`. */
  interestAdded(namespace: string, filter: string): void;
  /** The last local session subscribed to `filter` in `namespace` no longer is. */
  interestRemoved(namespace: string, filter: string): void;
  /** A client set (or, with an empty payload, cleared) its topic's retained message. */
  retained(namespace: string, message: ApplicationMessage): void;
  /** A connection was admitted as `clientId`'s live connection. */
  admitted(namespace: string, clientId: string, connectionId: number): void;
  /** `clientId`'s live connection ended. */
  released(namespace: string, clientId: string, connectionId: number): void;
}
