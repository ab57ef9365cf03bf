import type { OperationModel } from '../model/shapes.js';
import type { RemoteSettings } from './remote/remote-settings.js';

/**
 * How the CLI reaches an operation: in-process on the local data directory, or (later) over
 * HTTP with SigV4. Params and results are keyed by model member names; timestamps are epoch ms.
 */
export interface Transport {
  call(operation: OperationModel, params: Readonly<Record<string, unknown>>): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export interface TransportOptions {
  /** Region resolved from --region / environment / profile; undefined lets the transport pick its default. */
  readonly region: string | undefined;
  /** Environment to read settings from (FLEETCA_HOME, ...); process.env when absent. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** `--store`: the local registry (local mode only); FLEETCA_STORE or the data directory's file when absent. */
  readonly store?: string;
  /** Hears what the local transport made on the way (a new data directory); the CLI writes it to stderr. */
  readonly onNote?: (note: string) => void;
  /** Set when an endpoint is configured: the HTTP transport's settings (remote mode). */
  readonly remote?: RemoteSettings;
}
