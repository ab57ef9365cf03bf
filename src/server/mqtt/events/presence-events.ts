import { randomUUID } from 'node:crypto';
import type { Scope } from '../../../domain/scope.js';
import type { CloseReason } from '../broker/broker.js';

/** AWS IoT's DisconnectReasonValue, as far as a connection of fleetca can end. */
export type DisconnectReason =
  | 'CLIENT_INITIATED_DISCONNECT'
  | 'CONNECTION_LOST'
  | 'DUPLICATE_CLIENTID'
  | 'MQTT_KEEP_ALIVE_TIMEOUT'
  | 'AUTH_ERROR'
  | 'CLIENT_ERROR'
  | 'SERVER_ERROR'
  | 'SERVER_INITIATED_DISCONNECT';

/** How the broker's reasons read in a disconnected event (reference §3.1's table). */
export const DISCONNECT_REASONS: Readonly<Record<CloseReason, DisconnectReason>> = {
  'client-disconnect': 'CLIENT_INITIATED_DISCONNECT',
  'connection-lost': 'CONNECTION_LOST',
  'keep-alive-timeout': 'MQTT_KEEP_ALIVE_TIMEOUT',
  'taken-over': 'DUPLICATE_CLIENTID',
  // Its certificate left ACTIVE, its policies stopped allowing iot:Connect, or (MQTT 3) a PUBLISH was refused.
  'not-authorized': 'AUTH_ERROR',
  dropped: 'SERVER_INITIATED_DISCONNECT',
  'client-error': 'CLIENT_ERROR',
  'server-error': 'SERVER_ERROR',
  'server-shutdown': 'SERVER_INITIATED_DISCONNECT',
  // Never admitted, so never announced; listed for completeness.
  'connect-timeout': 'CLIENT_ERROR',
  refused: 'AUTH_ERROR',
};

/** An admitted connection as its presence events describe it. */
export interface PresenceFacts {
  readonly scope: Scope;
  readonly clientId: string;
  readonly certificateId: string;
  readonly ipAddress?: string;
}

/** An event ready for the broker: where, and its JSON. */
export interface PresenceEvent {
  readonly scope: Scope;
  readonly topic: string;
  readonly payload: Record<string, unknown>;
}

/** AWS resets a client id's version numbers after about an hour without a connection. */
const VERSION_RESET_MS = 60 * 60_000;
/** How often forgotten client ids are swept from the version table. */
const SWEEP_INTERVAL_MS = 60_000;

interface Version {
  number: number;
  /** When its last connection ended; undefined while one is open. */
  endedAt: number | undefined;
  open: number;
}

interface OpenSession {
  readonly facts: PresenceFacts;
  readonly sessionIdentifier: string;
  readonly versionNumber: number;
}

/**
 * AWS IoT's lifecycle events for connections: `$aws/events/presence/connected/{clientId}` when one is admitted,
 * `.../disconnected/{clientId}` when it ends, sharing one session identifier and version number (increasing per
 * client id, from 0). Client ids with `#` or `+` have none, as on AWS. Version numbers are counted per process.
 */
export class PresenceEvents {
  readonly #versions = new Map<string, Version>();
  readonly #open = new Map<number, OpenSession>();
  #sweptAt = 0;

  /** The connected event of connection `id`, or undefined when its client id has no events. */
  connected(id: number, facts: PresenceFacts, now: number): PresenceEvent | undefined {
    if (/[#+]/.test(facts.clientId)) return undefined;
    this.#sweep(now);
    const key = `${facts.scope.accountId}/${facts.scope.region}\u0000${facts.clientId}`;
    let version = this.#versions.get(key);
    if (version === undefined || (version.open === 0 && now - (version.endedAt ?? now) > VERSION_RESET_MS)) {
      version = { number: 0, endedAt: undefined, open: 0 };
      this.#versions.set(key, version);
    } else {
      version.number++;
    }
    version.open++;
    version.endedAt = undefined;
    const session: OpenSession = { facts, sessionIdentifier: randomUUID(), versionNumber: version.number };
    this.#open.set(id, session);
    return {
      scope: facts.scope,
      topic: `$aws/events/presence/connected/${facts.clientId}`,
      payload: {
        clientId: facts.clientId,
        timestamp: now,
        eventType: 'connected',
        sessionIdentifier: session.sessionIdentifier,
        principalIdentifier: facts.certificateId,
        ...(facts.ipAddress !== undefined && { ipAddress: facts.ipAddress }),
        versionNumber: session.versionNumber,
      },
    };
  }

  /** The disconnected event of connection `id`, if its connected event was published. */
  disconnected(id: number, reason: CloseReason, now: number): PresenceEvent | undefined {
    const session = this.#open.get(id);
    if (session === undefined) return undefined;
    this.#open.delete(id);
    const { facts } = session;
    const version = this.#versions.get(`${facts.scope.accountId}/${facts.scope.region}\u0000${facts.clientId}`);
    if (version !== undefined && --version.open === 0) version.endedAt = now;
    const disconnectReason = DISCONNECT_REASONS[reason];
    return {
      scope: facts.scope,
      topic: `$aws/events/presence/disconnected/${facts.clientId}`,
      payload: {
        clientId: facts.clientId,
        timestamp: now,
        eventType: 'disconnected',
        sessionIdentifier: session.sessionIdentifier,
        principalIdentifier: facts.certificateId,
        clientInitiatedDisconnect: disconnectReason === 'CLIENT_INITIATED_DISCONNECT',
        disconnectReason,
        versionNumber: session.versionNumber,
      },
    };
  }

  /** Client ids without a connection for longer than the reset are forgotten (at most once a minute). */
  #sweep(now: number): void {
    if (now - this.#sweptAt < SWEEP_INTERVAL_MS) return;
    this.#sweptAt = now;
    for (const [key, version] of this.#versions) {
      if (version.open === 0 && now - (version.endedAt ?? now) > VERSION_RESET_MS) this.#versions.delete(key);
    }
  }
}
