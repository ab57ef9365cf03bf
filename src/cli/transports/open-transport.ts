import type { Transport, TransportOptions } from '../transport.js';
import { openHttpTransport } from './http.js';
import { openLocalTransport } from './local.js';

/**
 * The CLI's default way to reach the operations: the configured endpoint over HTTP(S) when there
 * is one (remote mode), else the local data directory. Unlike the AWS CLI, which falls back to
 * the public AWS endpoint, no endpoint means the local registry.
 */
export async function openConfiguredTransport(options: TransportOptions): Promise<Transport> {
  return options.remote ? openHttpTransport(options.remote) : openLocalTransport(options);
}
