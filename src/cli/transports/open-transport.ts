import type { Transport, TransportOptions } from '../transport.js';

/**
 * The CLI's default way to reach the operations: the configured endpoint over HTTP(S) when there
 * is one (remote mode), else the local data directory. Unlike the AWS CLI, which falls back to
 * the public AWS endpoint, no endpoint means the local registry.
 */
export async function openConfiguredTransport(options: TransportOptions): Promise<Transport> {
  // Each mode is imported when chosen: local mode never loads SigV4 signing, remote mode never the registry.
  if (options.remote) return (await import('./http.js')).openHttpTransport(options.remote);
  return (await import('./local.js')).openLocalTransport(options);
}
