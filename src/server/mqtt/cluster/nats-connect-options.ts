import { readFileSync } from 'node:fs';
import type { ClusterSettings } from '../../../home/cluster-config.js';

/** How this replica reaches NATS, as the NATS client takes it. */
export interface NatsConnectOptions {
  /** The servers' URLs without credentials. */
  readonly servers: string[];
  readonly user?: string;
  readonly pass?: string;
  readonly token?: string;
  /** Present when TLS is required: a `tls://` URL or TLS files. PEM contents, read at start. */
  readonly tls?: { readonly ca?: string; readonly cert?: string; readonly key?: string };
}

/** The cluster cannot be set up as configured; serve stops at start with this message. */
export class ClusterSetupError extends Error {}

/**
 * NATS connect options from the cluster's settings. The NATS client ignores credentials in server URLs, so they are
 * taken out here: `nats://user:password@host` gives a user and password, `nats://token@host` a token; all servers
 * naming credentials must name the same ones (the client has one set). TLS files are read now, so that a wrong path
 * stops `fleetca serve` at start rather than failing every reconnection.
 */
export function natsConnectOptions(
  settings: ClusterSettings,
  read: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): NatsConnectOptions {
  const servers: string[] = [];
  let credentials: { user?: string; pass?: string; token?: string } | undefined;
  let wantsTls = false;
  for (const server of settings.servers) {
    const url = new URL(server);
    wantsTls ||= url.protocol === 'tls:';
    if (url.username !== '' || url.password !== '') {
      const user = decodeURIComponent(url.username);
      const given = url.password === '' ? { token: user } : { user, pass: decodeURIComponent(url.password) };
      if (credentials && JSON.stringify(credentials) !== JSON.stringify(given)) {
        throw new ClusterSetupError('cluster: the NATS servers name different credentials; give them all the same');
      }
      credentials = given;
      url.username = '';
      url.password = '';
    }
    servers.push(url.toString());
  }
  const files = settings.tls ?? {};
  const tls: { ca?: string; cert?: string; key?: string } = {};
  for (const field of ['ca', 'cert', 'key'] as const) {
    const path = files[field];
    if (path === undefined) continue;
    try {
      tls[field] = read(path);
    } catch (err) {
      throw new ClusterSetupError(`cluster: cannot read cluster.tls.${field} ${path}: ${(err as Error).message}`);
    }
  }
  const withTls = wantsTls || Object.keys(tls).length > 0;
  return { servers, ...credentials, ...(withTls ? { tls } : {}) };
}
