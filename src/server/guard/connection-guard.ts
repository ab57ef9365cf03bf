import type { Server, Socket } from 'node:net';
import type { Logger } from '../logging/logger.js';
import { AfterFlood } from './after-flood.js';
import type { ConnectionGuardSettings } from './guard-settings.js';
import { GuardWarnings } from './guard-warnings.js';

export type Door = 'rest' | 'mqtt';

/** Why the guard closed a connection: a deadline passed, or a limit made room (evicted) or had none (refused). */
export type GuardReason =
  | 'handshake_timeout'
  | 'first_request_timeout'
  | 'pending_evicted'
  | 'address_pending_evicted'
  | 'capacity_evicted'
  | 'capacity_refused';

/** Told each time the guard closes a connection (metrics); cheap and synchronous. */
export type GuardObserver = (door: Door, reason: GuardReason) => void;

export interface GuardStats {
  readonly open: Readonly<Record<Door, number>>;
  readonly pending: Readonly<Record<Door, number>>;
  readonly settings: ConnectionGuardSettings;
}

type Phase = 'handshake' | 'first_request';

/** One accepted TCP connection, from accept to close. */
interface Tracked {
  readonly socket: Socket;
  readonly door: Door;
  readonly address: string;
  readonly key: string;
  /** Set while pending; cleared when the connection is established or gone. */
  phase: Phase | undefined;
  timer: NodeJS.Timeout | undefined;
  released: boolean;
}

/**
 * The process's defence against clients that hold connections without using them. Every listener reports
 * its accepted sockets here; the guard counts them (all doors share one file-descriptor budget), gives pending
 * ones a deadline, and when a limit is reached destroys the oldest pending connection rather than refusing
 * the newest: a flood of idle connections then only ever pushes out other idle connections, and a client
 * that completes its handshake promptly gets through however large the flood.
 */
export class ConnectionGuard {
  readonly settings: ConnectionGuardSettings;
  /** Pending connections of every door, oldest first (a Set keeps insertion order). */
  readonly #pending = new Set<Tracked>();
  /** Pending connections per source address, oldest first; an address's entry goes when its last does. */
  readonly #pendingByAddress = new Map<string, Set<Tracked>>();
  readonly #open: Record<Door, number> = { rest: 0, mqtt: 0 };
  readonly #pendingCount: Record<Door, number> = { rest: 0, mqtt: 0 };
  readonly #observer: GuardObserver | undefined;
  readonly #warnings: GuardWarnings;
  readonly #afterFlood: AfterFlood;

  constructor(
    settings: ConnectionGuardSettings,
    options: {
      logger: Logger;
      observer?: GuardObserver;
      warnEveryMs?: number;
      floodQuietMs?: number;
      floodSecondCollectionMs?: number;
    },
  ) {
    this.settings = settings;
    this.#observer = options.observer;
    this.#warnings = new GuardWarnings(options.logger, options.warnEveryMs);
    this.#afterFlood = new AfterFlood(options.logger, options.floodQuietMs, options.floodSecondCollectionMs);
  }

  stats(): GuardStats {
    return { open: { ...this.#open }, pending: { ...this.#pendingCount }, settings: this.settings };
  }

  /**
   * Guards a listener: its raw TCP connections are counted from accept. `tls`: the pending connection first
   * gets the handshake deadline. The returned door is told when a connection moves on.
   */
  watch(server: Server, door: Door, tls: boolean): GuardedDoor {
    const guarded = new GuardedDoor(this, door, tls);
    server.on('connection', (socket: Socket) => guarded.accepted(socket));
    return guarded;
  }

  stop(): void {
    this.#warnings.stop();
    this.#afterFlood.stop();
  }

  /** @internal (GuardedDoor) */
  admit(tracked: Tracked, tls: boolean): boolean {
    const { settings } = this;
    const sameAddress = this.#pendingByAddress.get(tracked.address);
    if (sameAddress && sameAddress.size >= settings.maxPendingPerAddress) {
      this.#close(oldest(sameAddress), 'address_pending_evicted');
    }
    if (this.#pending.size >= settings.maxPending) this.#close(oldest(this.#pending), 'pending_evicted');
    if (this.#open.rest + this.#open.mqtt >= settings.maxConnections) {
      if (this.#pending.size === 0) {
        // Every connection is an established one: nothing idle to give way, so the newcomer is refused.
        this.#report(tracked.door, 'capacity_refused');
        tracked.released = true;
        tracked.socket.destroy();
        return false;
      }
      this.#close(oldest(this.#pending), 'capacity_evicted');
    }
    this.#open[tracked.door]++;
    this.#enterPending(tracked, tls ? 'handshake' : 'first_request');
    return true;
  }

  /** @internal The TLS handshake completed: the first-request deadline starts. */
  handshakeDone(tracked: Tracked): void {
    if (tracked.phase !== 'handshake') return;
    clearTimeout(tracked.timer);
    tracked.phase = 'first_request';
    tracked.timer = this.#deadline(tracked, this.settings.firstRequestTimeoutMs);
  }

  /** @internal The client proved itself: no longer pending, still counted as open until it closes. */
  established(tracked: Tracked): void {
    if (tracked.phase === undefined) return;
    this.#leavePending(tracked);
  }

  /** @internal The listener is shutting down: its pending connections have nothing to finish. */
  closePending(door: Door): void {
    for (const tracked of [...this.#pending]) {
      if (tracked.door !== door) continue;
      this.release(tracked);
      tracked.socket.destroy();
    }
  }

  /** @internal The socket closed, whoever closed it. */
  release(tracked: Tracked): void {
    if (tracked.released) return;
    tracked.released = true;
    this.#leavePending(tracked);
    this.#open[tracked.door]--;
  }

  #enterPending(tracked: Tracked, phase: Phase): void {
    tracked.phase = phase;
    this.#pending.add(tracked);
    this.#pendingCount[tracked.door]++;
    let sameAddress = this.#pendingByAddress.get(tracked.address);
    if (!sameAddress) {
      sameAddress = new Set();
      this.#pendingByAddress.set(tracked.address, sameAddress);
    }
    sameAddress.add(tracked);
    tracked.timer = this.#deadline(
      tracked,
      phase === 'handshake' ? this.settings.handshakeTimeoutMs : this.settings.firstRequestTimeoutMs,
    );
  }

  #leavePending(tracked: Tracked): void {
    if (tracked.phase === undefined) return;
    tracked.phase = undefined;
    clearTimeout(tracked.timer);
    tracked.timer = undefined;
    this.#pending.delete(tracked);
    this.#pendingCount[tracked.door]--;
    const sameAddress = this.#pendingByAddress.get(tracked.address);
    sameAddress?.delete(tracked);
    // Pruned at once: a flood from 10,000 addresses must not leave 10,000 empty sets behind.
    if (sameAddress?.size === 0) this.#pendingByAddress.delete(tracked.address);
  }

  #deadline(tracked: Tracked, ms: number): NodeJS.Timeout {
    return setTimeout(() => {
      if (tracked.phase === undefined) return;
      this.#close(tracked, tracked.phase === 'handshake' ? 'handshake_timeout' : 'first_request_timeout');
    }, ms).unref();
  }

  #close(tracked: Tracked, reason: GuardReason): void {
    this.release(tracked);
    this.#report(tracked.door, reason);
    tracked.socket.destroy();
  }

  #report(door: Door, reason: GuardReason): void {
    this.#observer?.(door, reason);
    this.#warnings.note(door, reason);
    this.#afterFlood.noteClosing();
  }
}

function oldest(set: Set<Tracked>): Tracked {
  return set.values().next().value as Tracked;
}

/**
 * One guarded listener. Its server reports accepted sockets itself (watch); the door's code says when a TLS
 * handshake completed and when a connection is established, with the socket it has at that point (for TLS the
 * TLS socket, whose peer address and port name the same connection as the raw socket accepted).
 */
export class GuardedDoor {
  /** Pending connections by peer address and port (unique per listener while the connection lives). */
  readonly #byPeer = new Map<string, Tracked>();
  /** Sockets the door hands back (raw, or TLS once the handshake is done) → their connection. */
  readonly #bySocket = new WeakMap<Socket, Tracked>();

  constructor(
    private readonly guard: ConnectionGuard,
    readonly door: Door,
    private readonly tls: boolean,
  ) {}

  /** @internal A raw TCP connection was accepted. */
  accepted(socket: Socket): void {
    const address = socket.remoteAddress;
    if (address === undefined) {
      socket.destroy(); // already gone (reset before we saw it)
      return;
    }
    const key = `${address}|${socket.remotePort}`;
    const tracked: Tracked = {
      socket,
      door: this.door,
      address,
      key,
      phase: undefined,
      timer: undefined,
      released: false,
    };
    if (!this.guard.admit(tracked, this.tls)) return;
    if (this.tls) this.#byPeer.set(key, tracked);
    else this.#bySocket.set(socket, tracked);
    socket.once('close', () => {
      if (this.#byPeer.get(key) === tracked) this.#byPeer.delete(key);
      this.guard.release(tracked);
    });
  }

  /** The TLS handshake of `socket` (a TLS socket) completed. */
  handshakeDone(socket: Socket): void {
    const key = `${socket.remoteAddress}|${socket.remotePort}`;
    const tracked = this.#byPeer.get(key);
    if (!tracked) return;
    this.#byPeer.delete(key);
    this.#bySocket.set(socket, tracked);
    this.guard.handshakeDone(tracked);
  }

  /** The listener closes: connections still pending are destroyed (they have no request to finish). */
  closePending(): void {
    this.guard.closePending(this.door);
  }

  /** The client on `socket` proved itself (first request, admitted CONNECT); later calls cost a lookup. */
  established(socket: Socket): void {
    const tracked = this.#bySocket.get(socket);
    if (tracked) this.guard.established(tracked);
  }
}
