import {
  type DeviceConnection,
  type DeviceConnectionPage,
  type DeviceConnectionQuery,
  type DeviceConnections,
  protocolVersionName,
} from '../../domain/devices/device-connection.js';
import type { Scope } from '../../domain/scope.js';
import { sourceIpOf } from './authorization/connection-facts.js';
import type { ConnectInfo } from './broker/broker.js';
import { heldKeepAlive } from './broker/handlers/connect.js';

/** One scope's connections by admission position; Maps keep insertion order, which is admission order. */
interface ScopeConnections {
  readonly all: Map<number, DeviceConnection>;
  readonly byCertificate: Map<string, Map<number, DeviceConnection>>;
}

interface Entry {
  readonly scopeKey: string;
  readonly position: number;
  readonly certificateId: string;
}

/**
 * The device door's live connections, for ListDeviceConnections: recorded once at admission and forgotten at
 * close, so nothing is done per message. Each connection gets the next admission position, the stable key of the
 * listing (admission order is connectedAt order) and of its markers; per scope and per certificate, so a page is
 * read from the connections it can hold.
 */
export class ConnectionDirectory implements DeviceConnections {
  readonly #scopes = new Map<string, ScopeConnections>();
  /** By broker connection id. */
  readonly #entries = new Map<number, Entry>();
  #lastPosition = 0;

  /** An admitted connection, with what its CONNECT and socket said. */
  add(connectionId: number, scope: Scope, connection: DeviceConnection): void {
    this.remove(connectionId);
    const scopeKey = keyOf(scope);
    const position = ++this.#lastPosition;
    let connections = this.#scopes.get(scopeKey);
    if (!connections) {
      connections = { all: new Map(), byCertificate: new Map() };
      this.#scopes.set(scopeKey, connections);
    }
    connections.all.set(position, connection);
    let ofCertificate = connections.byCertificate.get(connection.certificateId);
    if (!ofCertificate) {
      ofCertificate = new Map();
      connections.byCertificate.set(connection.certificateId, ofCertificate);
    }
    ofCertificate.set(position, connection);
    this.#entries.set(connectionId, { scopeKey, position, certificateId: connection.certificateId });
  }

  /** A closed connection (admitted or not: the latter were never added). */
  remove(connectionId: number): void {
    const entry = this.#entries.get(connectionId);
    if (!entry) return;
    this.#entries.delete(connectionId);
    const connections = this.#scopes.get(entry.scopeKey);
    if (!connections) return;
    connections.all.delete(entry.position);
    const ofCertificate = connections.byCertificate.get(entry.certificateId);
    ofCertificate?.delete(entry.position);
    if (ofCertificate?.size === 0) connections.byCertificate.delete(entry.certificateId);
    if (connections.all.size === 0) this.#scopes.delete(entry.scopeKey);
  }

  /** A page skips the positions up to the marker: its cost is the scope's (or certificate's) connections, per request. */
  list(scope: Scope, query: DeviceConnectionQuery): DeviceConnectionPage {
    const connections = this.#scopes.get(keyOf(scope));
    const total = connections?.all.size ?? 0;
    const candidates =
      query.certificateId === undefined ? connections?.all : connections?.byCertificate.get(query.certificateId);
    const page: DeviceConnection[] = [];
    let last = 0;
    for (const [position, connection] of candidates ?? []) {
      if (query.after !== undefined && position <= query.after) continue;
      // One more than the page holds: the page does not end the listing.
      if (page.length === query.limit) return { connections: page, total, next: last };
      page.push(connection);
      last = position;
    }
    return { connections: page, total };
  }
}

function keyOf(scope: Scope): string {
  return `${scope.accountId}/${scope.region}`;
}

/** What ListDeviceConnections shows of a connection admitted now. */
export function admittedConnection(
  connect: ConnectInfo,
  certificateId: string,
  remoteAddress: string | undefined,
  now: number,
): DeviceConnection {
  const address = sourceIpOf(remoteAddress);
  return {
    clientId: connect.clientId,
    certificateId,
    connectedAt: now,
    ...(address !== undefined && { remoteAddress: address }),
    protocolVersion: protocolVersionName(connect.protocolVersion),
    cleanSession: connect.cleanStart,
    keepAlive: heldKeepAlive(connect.keepAlive),
  };
}
