import type { Transport, TransportOptions } from '../transport.js';

/** What main() needs from the outside world besides CliIO: how to reach the operations. */
export interface CliDeps {
  openTransport(options: TransportOptions): Promise<Transport>;
}
