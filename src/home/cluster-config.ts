import { isAbsolute } from 'node:path';
import { HomeError } from './config.js';
import { urlValue } from './url-value.js';

/**
 * config.json's `cluster` (or `fleetca serve --cluster URL[,URL...] --cluster-name NAME`): the NATS servers the
 * replicas route devices' messages through, and the name that keeps this cluster's subjects and retained bucket apart
 * from other clusters' on the same NATS.
 */
export interface ClusterConfig {
  readonly servers: readonly string[];
  readonly name?: string;
  readonly tls?: ClusterTlsFiles;
}

/**
 * PEM files (absolute paths) for TLS to NATS: the CA that signs the NATS servers' certificates (the system's CAs when
 * absent), and this replica's client certificate and key for servers that verify clients.
 */
export interface ClusterTlsFiles {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
}

/** What a replica runs its cluster with. */
export interface ClusterSettings {
  readonly servers: readonly string[];
  readonly name: string;
  readonly tls?: ClusterTlsFiles;
}

export const DEFAULT_CLUSTER_NAME = 'fleetca';

/** A NATS subject token and a KV bucket name part alike. */
const CLUSTER_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Checks config.json's `cluster`; the message names `source`. */
export function checkClusterConfig(value: unknown, source: string): asserts value is ClusterConfig | undefined {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HomeError(`${source}: cluster must be an object such as {"servers": ["nats://nats.example.com:4222"]}`);
  }
  const { servers, name, tls, ...unknown } = value as Record<string, unknown>;
  const extra = Object.keys(unknown);
  if (extra.length > 0) throw new HomeError(`${source}: cluster has unknown settings: ${extra.join(', ')}`);
  if (!Array.isArray(servers) || servers.length === 0) {
    throw new HomeError(
      `${source}: cluster.servers must be a list of NATS URLs such as ["nats://nats.example.com:4222"]`,
    );
  }
  for (const server of servers) checkNatsUrl(server, `${source}: cluster.servers`);
  if (name !== undefined) checkClusterName(name, `${source}: cluster.name`);
  if (tls !== undefined) checkTlsFiles(tls, `${source}: cluster.tls`);
}

function checkTlsFiles(value: unknown, what: string): asserts value is ClusterTlsFiles {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HomeError(`${what} must be an object such as {"ca": "/etc/fleetca/nats-ca.pem"}`);
  }
  const { ca, cert, key, ...unknown } = value as Record<string, unknown>;
  const extra = Object.keys(unknown);
  if (extra.length > 0) throw new HomeError(`${what} has unknown settings: ${extra.join(', ')} (ca, cert, key)`);
  for (const [field, path] of Object.entries({ ca, cert, key })) {
    if (path !== undefined && (typeof path !== 'string' || !isAbsolute(path))) {
      throw new HomeError(`${what}.${field} must be the absolute path of a PEM file, got ${JSON.stringify(path)}`);
    }
  }
  if ((cert === undefined) !== (key === undefined)) throw new HomeError(`${what}: cert and key go together`);
}

/** `--cluster`'s comma-separated URLs. */
export function parseClusterServers(text: string, what: string): string[] {
  const servers = text.split(',').map((server) => server.trim());
  for (const server of servers) checkNatsUrl(server, what);
  return servers;
}

export function checkNatsUrl(value: unknown, what: string): asserts value is string {
  const url = urlValue(value);
  if (
    !url ||
    (url.protocol !== 'nats:' && url.protocol !== 'tls:') ||
    url.hostname === '' ||
    (url.pathname !== '' && url.pathname !== '/') ||
    url.search !== '' ||
    url.hash !== ''
  ) {
    throw new HomeError(`${what} must be NATS URLs such as nats://nats.example.com:4222, got ${JSON.stringify(value)}`);
  }
}

export function checkClusterName(value: unknown, what: string): asserts value is string {
  if (typeof value !== 'string' || !CLUSTER_NAME.test(value)) {
    throw new HomeError(`${what} must be 1 to 64 letters, digits, '-' or '_', got ${JSON.stringify(value)}`);
  }
}

/**
 * The cluster in force: the command line's servers and name over config.json's; none when neither names servers
 * (a single replica needs nothing).
 */
export function clusterSettings(
  config: ClusterConfig | undefined,
  given: { readonly servers?: readonly string[]; readonly name?: string },
): ClusterSettings | undefined {
  const servers = given.servers ?? config?.servers;
  if (!servers) return undefined;
  const tls = config?.tls;
  return { servers, name: given.name ?? config?.name ?? DEFAULT_CLUSTER_NAME, ...(tls ? { tls } : {}) };
}
