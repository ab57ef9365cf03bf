import type { RegistryChange } from '../../../registry/registry-changes.js';
import type { AuthorityLoader, ConnectionFacts } from './authority-loader.js';
import type { ConnectionAuthority } from './connection-authority.js';

interface Entry {
  readonly facts: ConnectionFacts;
  authority: ConnectionAuthority | undefined;
  /** A change was heard while the authority was being (re)built: build it again. */
  stale: boolean;
  loading: boolean;
}

/** Re-decisions run at most this many at once, so one change concerning many sessions does not flood the registry. */
const RELOAD_CONCURRENCY = 16;

/**
 * Every admitted connection's authority, and the change feed's effect on it: a change to a policy, to what is
 * attached to a certificate, or to a thing re-decides the connections it concerns (from whichever process or replica
 * it came). A re-decided connection that may no longer connect is ended by `revoke`.
 */
export class AuthorityTable<C> {
  readonly #entries = new Map<C, Entry>();
  readonly #queue = new Set<C>();
  #running = 0;

  constructor(
    private readonly loader: AuthorityLoader,
    private readonly revoke: (connection: C, reason: string) => void,
    private readonly failed: (connection: C, err: unknown) => void,
  ) {}

  get mode(): AuthorityLoader['mode'] {
    return this.loader.mode;
  }

  /** Builds the connection's authority; changes heard meanwhile are taken into account before it is returned. */
  async admit(connection: C, facts: ConnectionFacts): Promise<ConnectionAuthority> {
    const entry: Entry = { facts, authority: undefined, stale: false, loading: true };
    this.#entries.set(connection, entry);
    try {
      let authority: ConnectionAuthority;
      do {
        entry.stale = false;
        authority = await this.loader.load(facts);
      } while (entry.stale);
      entry.authority = authority;
      return authority;
    } catch (err) {
      this.#entries.delete(connection);
      throw err;
    } finally {
      entry.loading = false;
    }
  }

  authorityOf(connection: C): ConnectionAuthority | undefined {
    return this.#entries.get(connection)?.authority;
  }

  remove(connection: C): void {
    this.#entries.delete(connection);
    this.#queue.delete(connection);
  }

  /** The change feed's listener. */
  onChange(change: RegistryChange): void {
    // Most changes heard are presence events, one per connect and disconnect: walking every connection for each
    // made a ramp of N devices cost N² checks (measured: a fifth of the server CPU of a 3,000-connection ramp).
    if (!AUTHORITY_CHANGES.has(change.kind)) return;
    for (const [connection, entry] of this.#entries) {
      if (!concerns(change, entry)) continue;
      if (entry.loading) entry.stale = true;
      else this.#queue.add(connection);
    }
    this.#drain();
  }

  /** How many re-decisions wait or run (for tests and metrics). */
  get pendingReloads(): number {
    return this.#queue.size + this.#running;
  }

  #drain(): void {
    while (this.#running < RELOAD_CONCURRENCY && this.#queue.size > 0) {
      const connection = this.#queue.values().next().value as C;
      this.#queue.delete(connection);
      const entry = this.#entries.get(connection);
      if (!entry) continue;
      this.#running++;
      void this.#reload(connection, entry).finally(() => {
        this.#running--;
        this.#drain();
      });
    }
  }

  async #reload(connection: C, entry: Entry): Promise<void> {
    entry.loading = true;
    try {
      let authority: ConnectionAuthority;
      do {
        entry.stale = false;
        authority = await this.loader.load(entry.facts);
      } while (entry.stale);
      if (this.#entries.get(connection) !== entry) return;
      entry.authority = authority;
      if (!authority.mayConnect()) this.revoke(connection, 'its policies no longer allow iot:Connect');
    } catch (err) {
      // Unknown is not allowed: a session whose rights cannot be re-decided is ended (it reconnects when it can).
      if (this.#entries.get(connection) === entry) this.failed(connection, err);
    } finally {
      entry.loading = false;
    }
  }
}

/** The only kinds of change `concerns` can find to concern a connection. */
const AUTHORITY_CHANGES: ReadonlySet<RegistryChange['kind']> = new Set([
  'resync',
  'policy',
  'policy-attachment',
  'thing-principal',
  'thing',
]);

/** Whether the change may alter what the connection is allowed (its scope, certificate, client id or policies). */
function concerns(change: RegistryChange, entry: Entry): boolean {
  if (change.kind === 'resync') return true;
  if (!('accountId' in change)) return false;
  const { principal, clientId } = entry.facts;
  if (principal.scope.accountId !== change.accountId || principal.scope.region !== change.region) return false;
  switch (change.kind) {
    case 'policy':
      return entry.authority === undefined || entry.authority.policyNames.has(change.policyName);
    case 'policy-attachment':
    case 'thing-principal':
      return principal.certificateId === change.certificateId;
    case 'thing':
      return clientId === change.thingName;
    default:
      return false;
  }
}
