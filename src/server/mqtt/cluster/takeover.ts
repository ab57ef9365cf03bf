/** An admission as replicas announce it: its stamp orders admissions of one client id across the cluster. */
export interface AdmissionStamp {
  /** A hybrid clock (epoch ms, never below a stamp this replica has seen): an admission after seeing another's is later. */
  readonly at: number;
  /** The admitting replica's node id: breaks ties between admissions neither replica had seen. */
  readonly node: string;
}

/** Whether `a` comes before `b`: every replica orders two admissions alike, so exactly one of them survives. */
export function admittedBefore(a: AdmissionStamp, b: AdmissionStamp): boolean {
  return a.at < b.at || (a.at === b.at && a.node < b.node);
}

/**
 * Client id takeover across replicas, as AWS IoT does it: each admission is announced; a replica whose live connection
 * of that client id was admitted before the announced one drops it (MQTT 5 DISCONNECT 0x8E). Two near-simultaneous
 * admissions on two replicas each hear the other: both compare the same stamps, and the earlier one goes.
 */
export class Takeovers {
  /** This replica's live connection of each client id, and its stamp. */
  readonly #live = new Map<string, { readonly connectionId: number; readonly stamp: AdmissionStamp }>();
  #clock = 0;

  constructor(
    readonly node: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** A local admission: its stamp, to announce. */
  admitted(namespace: string, clientId: string, connectionId: number): AdmissionStamp {
    this.#clock = Math.max(this.now(), this.#clock + 1);
    const stamp = { at: this.#clock, node: this.node };
    this.#live.set(key(namespace, clientId), { connectionId, stamp });
    return stamp;
  }

  released(namespace: string, clientId: string, connectionId: number): void {
    const k = key(namespace, clientId);
    if (this.#live.get(k)?.connectionId === connectionId) this.#live.delete(k);
  }

  /** Another replica's admission: the local connection it takes over, if any. */
  announced(namespace: string, clientId: string, stamp: AdmissionStamp): number | undefined {
    this.#clock = Math.max(this.#clock, stamp.at);
    const k = key(namespace, clientId);
    const local = this.#live.get(k);
    if (!local || !admittedBefore(local.stamp, stamp)) return undefined;
    this.#live.delete(k);
    return local.connectionId;
  }
}

function key(namespace: string, clientId: string): string {
  return `${namespace}\u0000${clientId}`;
}
