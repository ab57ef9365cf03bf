/**
 * What the load generator's parent (load-generator.ts) and its forked workers (load-worker.ts) say to each other
 * over IPC. Connections live in named groups inside each worker, so one generator can hold publishers on one
 * server and subscribers on another.
 */

/** Where a group of devices connects: the MQTT-over-TLS port and what verifies the server. */
export interface Endpoint {
  readonly port: number;
  /** PEM of the CA(s) that verify the server's certificate. */
  readonly ca: string;
  readonly servername: string;
}

/** A slice of the device fixture file: devices `from` .. `from + count - 1`. */
export interface DeviceSlice {
  readonly file: string;
  readonly from: number;
  readonly count: number;
}

export type Order =
  | {
      /** Makes the devices' TLS contexts (untimed); the next `connect` of the group opens them. */
      readonly op: 'prepare';
      readonly group: string;
      readonly endpoint: Endpoint;
      readonly devices: DeviceSlice;
      readonly clientIdPrefix: string;
      /** Handshakes in flight at once in this worker. */
      readonly concurrency: number;
      readonly sourceAddresses: readonly string[];
      readonly keepAliveS: number;
      readonly timeoutMs: number;
    }
  | { readonly op: 'connect'; readonly group: string }
  | { readonly op: 'subscribe'; readonly group: string; readonly filter: string; readonly qos: 0 | 1 }
  | {
      readonly op: 'publish';
      readonly group: string;
      /** `{clientId}` is replaced by the publishing connection's client id. */
      readonly topic: string;
      readonly qos: 0 | 1;
      /** This worker's share of the rate, over all of its group's connections in turn. */
      readonly perSecond: number;
      readonly durationMs: number;
    }
  | { readonly op: 'collect'; readonly group: string }
  | { readonly op: 'count'; readonly group: string }
  | { readonly op: 'close'; readonly group: string };

export interface ConnectReply {
  readonly op: 'connect';
  readonly ok: number;
  /** CONNACK with a non-zero return code. */
  readonly refused: number;
  /** No CONNACK: handshake error, close or timeout. */
  readonly failed: number;
  readonly firstError?: string;
  /** Epoch milliseconds (performance.timeOrigin + now) of the first attempt and the last CONNACK. */
  readonly startedAt: number;
  readonly endedAt: number;
  /** From tls.connect to CONNACK, one per admitted connection. */
  readonly latenciesMs: readonly number[];
  /** What the first connection negotiated: protocol, cipher, the server certificate's key. */
  readonly negotiated?: string;
}

export interface CollectReply {
  readonly op: 'collect';
  readonly received: number;
  /** Publish → deliver, from the timestamp in the payload to its arrival. */
  readonly latenciesMs: readonly number[];
  /** Deliveries whose payload was not a benchmark message. */
  readonly foreign: number;
}

export type Reply =
  | { readonly op: 'prepare'; readonly prepared: number }
  | ConnectReply
  | { readonly op: 'connect'; readonly group: string }
  | { readonly op: 'subscribe'; readonly ok: number; readonly failed: number; readonly firstError?: string }
  | { readonly op: 'publish'; readonly sent: number; readonly acked: number; readonly lateMs: number }
  | CollectReply
  | { readonly op: 'count'; readonly open: number }
  | { readonly op: 'close'; readonly closed: number };

/** Every reply also carries the worker's CPU seconds so far, so the parent can charge the generator. */
export type Envelope = Reply & { readonly cpuS: number };

/** One device of the fixture file. */
export interface FixtureDevice {
  readonly certificateId: string;
  readonly certificatePem: string;
  /** Index into the fixture's keys: many certificates share a few keys. */
  readonly key: number;
}

export interface FixtureFile {
  readonly keys: readonly string[];
  readonly devices: readonly FixtureDevice[];
}

/** The wall clock with sub-millisecond precision, comparable between processes of one machine. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}
