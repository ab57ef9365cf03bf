import { readFileSync } from 'node:fs';
import { type ClusterSettings, clusterSettings } from '../home/cluster-config.js';
import type { KeygenSettings } from '../home/config.js';
import { type Home, openHome } from '../home/open-home.js';
import { revocationSettings } from '../home/revocation-config.js';
import { ALL_OPERATIONS, FLEET_OPERATIONS } from '../operations/catalog.js';
import { IOT_MODELS } from '../operations/iot-models.js';
import type { OcspResponder } from '../revocation/ocsp-responder.js';
import { type RevocationService, startRevocation } from '../revocation/revocation-service.js';
import { AccessKeyCache } from './auth/access-key-cache.js';
import type { Authenticator } from './auth/authenticator.js';
import { SigV4Authenticator } from './auth/sigv4-authenticator.js';
import { ConnectionGuard } from './guard/connection-guard.js';
import { type ConnectionGuardSettings, guardSettings } from './guard/guard-settings.js';
import { openFileLimit } from './guard/open-file-limit.js';
import { listen, type RunningHttpServer, type ServerTimeouts } from './http/http-server.js';
import { createRestHandler, type Readiness } from './http/request-handler.js';
import type { Logger } from './logging/logger.js';
import { CertificateCounts } from './metrics/certificate-counts.js';
import { ServerMetrics } from './metrics/server-metrics.js';
import { ClusterNode } from './mqtt/cluster/cluster-node.js';
import { ClusterSetupError } from './mqtt/cluster/nats-connect-options.js';
import { type MqttOptions, type RunningDeviceDoor, startDeviceDoor } from './mqtt/device-door.js';
import { RegistryProbe } from './registry-probe.js';
import { serverTlsIdentity, TlsIdentityError } from './tls-identity.js';

/** The server could not start (port taken, no permission, bad names): the message says why. */
export class ServeError extends Error {
  override readonly name = 'ServeError';
}

export interface ServeOptions {
  /** Environment the data directory is found from (FLEETCA_HOME, HOME). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Serve HTTPS with a certificate for these DNS names / IP addresses, issued by fleetca's CA. */
  readonly tlsNames?: readonly string[];
  /** Regions served; any region when absent. */
  readonly regions?: ReadonlySet<string>;
  /** Accept any credentials without checking signatures (development only). */
  readonly devAcceptAnyCredentials: boolean;
  readonly logger: Logger;
  readonly timeouts?: Partial<ServerTimeouts>;
  readonly maxBodyBytes?: number;
  /** `--store`: where the registry is (FLEETCA_STORE, then the data directory's file, when absent). */
  readonly store?: string;
  /** Key generation settings given on the command line; they override config.json's. */
  readonly keygen?: Partial<KeygenSettings>;
  /** The device endpoint (MQTT over TLS); none when absent. */
  readonly mqtt?: MqttOptions;
  /** What DescribeEndpoint answers for iot:Data and iot:Data-ATS; AWS-shaped names when absent. */
  readonly dataEndpoint?: string;
  /** Certificates by status are counted again for metrics at most this often; default a minute. */
  readonly certificateCountMaxAgeMs?: number;
  /**
   * Deadlines and limits for connections that have not proved themselves yet (both doors); absent values are
   * derived from the open-file limit (guard-settings.ts).
   */
  readonly connectionGuard?: Partial<ConnectionGuardSettings>;
  /** `--public-base-url`: overrides config.json's revocation.publicBaseUrl (URLs issued certificates carry). */
  readonly publicBaseUrl?: string;
  /** `--cluster` and `--cluster-name`: override config.json's cluster (replicas routing devices' messages on NATS). */
  readonly cluster?: { readonly servers?: readonly string[]; readonly name?: string };
  /** Replaces the authenticator serve would build (tests). */
  readonly authenticator?: (home: Home) => Authenticator;
  /** The runtime judged for the end-of-life warning; this process's when absent (tests pass another). */
  readonly runtime?: NodeRuntime;
}

/** A Node.js runtime as `process.versions` names it. */
export interface NodeRuntime {
  readonly node: string;
  readonly openssl: string;
}

/** The oldest Node.js line that still gets security fixes (Node 20 reached its end of life on 2026-04-30). */
const OLDEST_MAINTAINED_NODE_MAJOR = 22;

/**
 * The warning `fleetca serve` logs once at start on an end-of-life runtime, judged by the major version; nothing
 * on a maintained one. A CA is a security component: it should not run on a runtime nobody patches any more.
 */
export function endOfLifeRuntimeWarning(runtime: NodeRuntime): string | undefined {
  const major = Number.parseInt(runtime.node, 10);
  if (!(major < OLDEST_MAINTAINED_NODE_MAJOR)) return undefined;
  return (
    `Node.js ${runtime.node} is end-of-life and gets no security fixes: run fleetca on a maintained Node.js ` +
    '(22, 24 or 26); Node.js 24 LTS is recommended'
  );
}

/** A running `fleetca serve`. */
export interface FleetcaServer {
  readonly url: string;
  readonly port: number;
  /** The device endpoint, `mqtts://host:port`, when it runs. */
  readonly mqttUrl?: string;
  /** Graceful stop: no new connections, requests in flight get `graceMs` to finish, then the store closes. */
  close(graceMs: number): Promise<void>;
}

/**
 * Opens the data directory and serves the AWS IoT REST API over it: every operation of the model, each
 * request acting in the account and region of the principal its signature names.
 */
export async function startServer(options: ServeOptions): Promise<FleetcaServer> {
  const { logger } = options;
  const runtime = options.runtime ?? { node: process.versions.node, openssl: process.versions.openssl };
  const endOfLife = endOfLifeRuntimeWarning(runtime);
  if (endOfLife) logger.warn({ node: runtime.node, openssl: runtime.openssl }, endOfLife);
  // A long-running server imports every operation's code before it listens, so no first request pays for it.
  await Promise.all(ALL_OPERATIONS.map((entry) => entry.load()));
  const home = await openHome(options.env, {
    keygen: options.keygen,
    usePool: true,
    // A long-running server imports now what a one-shot command imports on first use.
    preload: true,
    store: options.store,
    publicBaseUrl: options.publicBaseUrl,
    // A server waits for its database however long it takes, saying why meanwhile.
    connectDeadline: Number.POSITIVE_INFINITY,
    watchChanges: true,
    onNote: (note) => logger.info(note),
    onConnectRetry: (err, retryInMs, attempt) =>
      logger.error({ err: err.message, attempt, retryInMs }, 'cannot reach the registry; retrying'),
    onFeedDisconnect: (err, retryInMs) =>
      logger.warn({ err: (err as Error).message, retryInMs }, 'registry change feed interrupted; retrying'),
    keyPoolObserver: {
      filling: (capacity) => logger.info({ capacity }, 'key pool filling'),
      full: (keys, seconds) => logger.info({ keys, seconds: Number(seconds.toFixed(3)) }, 'key pool full'),
      drained: (waiting) => logger.info({ waiting }, 'key pool empty: requests wait for new keys while it refills'),
    },
  });
  // An encrypted CA key is decrypted now: a wrong or missing passphrase stops the server before it listens.
  await home.unlockCa().catch(async (err: unknown) => {
    await home.close();
    throw err;
  });
  const pool = home.keygenStats().pool;
  if (pool && swapIsOn()) {
    options.logger.warn(
      { poolSize: pool.capacity },
      'swap is on: pooled private keys live in process memory, which the kernel may swap out; disable swap or set --key-pool-size 0',
    );
  }
  const probe = new RegistryProbe(() => home.registry.ping());
  const metrics = new ServerMetrics({
    keygen: () => home.keygenStats(),
    withPool: pool !== undefined,
    registry: probe,
    certificates: new CertificateCounts(
      () => home.registry.certificates.countByStatus(),
      options.certificateCountMaxAgeMs ?? CERTIFICATE_COUNT_MAX_AGE_MS,
    ),
  });
  const fileLimit = openFileLimit();
  const settings = guardSettings(options.connectionGuard, fileLimit);
  const guard = new ConnectionGuard(settings, { logger, observer: (door, reason) => observeGuard(door, reason) });
  const observeGuard = metrics.connectionGuard(() => guard.stats());
  logger.info(
    { openFileLimit: fileLimit.known ? fileLimit.files : `unknown (assumed ${fileLimit.files})`, ...settings },
    'connection guard',
  );
  let running: RunningHttpServer;
  let devices: RunningDeviceDoor | undefined;
  let revocation: RevocationService | undefined;
  let cluster: ClusterNode | undefined;
  try {
    revocation = await startRevocation({
      registry: home.registry,
      authority: home.authority,
      settings: revocationSettings(home.dataDir.config.revocation),
      onIndexed: (count) =>
        logger.info({ count }, 'indexed certificates issued before CRLs and OCSP by issuer and serial'),
      onError: (err) => logger.error({ err }, 'could not refresh the CRL'),
    });
    if (options.mqtt) {
      const tls = await serverTls(home, options.mqtt.names, revocation.ocsp);
      const deviceMetrics = metrics.deviceDoor(() => devices?.stats());
      const settings = clusterSettings(home.dataDir.config.cluster, options.cluster ?? {});
      if (settings) {
        cluster = clusterNode(settings, logger);
        const node = cluster;
        metrics.cluster(() => node.stats());
        logger.info(
          { cluster: settings.name, servers: settings.servers.length },
          "cluster: routing devices' messages between replicas on NATS",
        );
      }
      devices = await startDeviceDoor(home, options.mqtt, tls, logger, deviceMetrics, guard, cluster).catch(
        (err: NodeJS.ErrnoException) => {
          throw new ServeError(`cannot listen on ${options.mqtt?.host}:${options.mqtt?.port}: ${listenFailure(err)}`);
        },
      );
    }
    const authenticator = options.authenticator ? options.authenticator(home) : sigv4Authenticator(home, options);
    const tls = options.tlsNames ? await serverTls(home, options.tlsNames, revocation.ocsp) : undefined;
    const handler = createRestHandler({
      // The AWS IoT API, and fleetca's own operations under /fleetca/.
      operations: [...IOT_MODELS, ...FLEET_OPERATIONS.map((entry) => entry.model)],
      authenticator,
      context: (scope) => ({ ...home.context(scope), dataEndpoint: options.dataEndpoint }),
      logger: options.logger,
      maxBodyBytes: options.maxBodyBytes,
      metrics,
      observe: (request) => metrics.observeRequest(request),
      readiness: withCluster(registryReadiness(probe, logger), cluster),
      revocation: {
        crl: revocation.crl,
        ocsp: revocation.ocsp,
        onInternalError: (err) => logger.error({ err }, 'OCSP request failed'),
      },
    });
    running = await listen(
      { handler, logger: options.logger, tls, timeouts: options.timeouts, guard },
      options.host,
      options.port,
    ).catch((err: NodeJS.ErrnoException) => {
      throw new ServeError(`cannot listen on ${options.host}:${options.port}: ${listenFailure(err)}`);
    });
  } catch (err) {
    guard.stop();
    revocation?.close();
    await devices?.close();
    await home.close();
    throw err;
  }
  return {
    url: running.url,
    port: running.address.port,
    mqttUrl: devices?.url,
    close: async (graceMs) => {
      try {
        // Both doors stop accepting at once; the REST door then lets requests in flight finish.
        await Promise.all([devices?.close(), running.close(graceMs)]);
      } finally {
        guard.stop();
        revocation?.close();
        await home.close();
      }
    },
  };
}

/** Counting certificates by status reads a whole index: not more than once a minute (metrics). */
const CERTIFICATE_COUNT_MAX_AGE_MS = 60_000;

/** Ready when the registry answers; a change either way is logged once, with the cause when it failed. */
function registryReadiness(probe: RegistryProbe, logger: Logger): () => Promise<Readiness> {
  let wasUp = true;
  return async () => {
    const check = await probe.check();
    if (check.up !== wasUp) {
      if (check.up) logger.info('ready: the registry answers again');
      else logger.warn({ err: check.error, problem: check.problem }, 'not ready: the registry does not answer');
      wasUp = check.up;
    }
    return check.up
      ? { ready: true, checks: { registry: { status: 'ok' } } }
      : { ready: false, checks: { registry: { status: 'failing', problem: check.problem ?? 'unknown' } } };
  };
}

function clusterNode(settings: ClusterSettings, logger: Logger): ClusterNode {
  try {
    return new ClusterNode(settings, logger);
  } catch (err) {
    if (err instanceof ClusterSetupError) throw new ServeError(err.message);
    throw err;
  }
}

/** The cluster's check joins the registry's, reported but never failing readiness (see ClusterHealth). */
function withCluster(readiness: () => Promise<Readiness>, cluster: ClusterNode | undefined): () => Promise<Readiness> {
  if (!cluster) return readiness;
  return async () => {
    const verdict = await readiness();
    return { ready: verdict.ready, checks: { ...verdict.checks, cluster: cluster.health() } };
  };
}

/**
 * SigV4 against the registry's access keys; it also refuses regions not served. In development mode every
 * well-formed request acts for the data directory's configured account.
 */
function sigv4Authenticator(home: Home, options: ServeOptions): Authenticator {
  const { accounts, changes } = home.registry;
  try {
    return new SigV4Authenticator({
      // On a database every replica hears key deletions from: one lookup per key, not per request.
      accounts: changes.reach === 'database' ? new AccessKeyCache(accounts, changes) : accounts,
      regions: options.regions ? servedRegions(home, options.regions) : home.regions,
      development: options.devAcceptAnyCredentials ? { accountId: home.dataDir.config.accountId } : undefined,
    });
  } catch (err) {
    throw new ServeError((err as Error).message);
  }
}

/** `--regions` restricts the regions the data directory accepts; a name it does not accept is a mistake to report. */
function servedRegions(home: Home, regions: ReadonlySet<string>): string[] {
  const unknown = [...regions].find((region) => !home.regions.accepts(region));
  if (unknown !== undefined) throw new ServeError(`--regions: ${home.regions.refusal(unknown)}`);
  return [...regions];
}

async function serverTls(home: Home, names: readonly string[], responder: OcspResponder) {
  try {
    return await serverTlsIdentity(home, names, responder);
  } catch (err) {
    throw err instanceof TlsIdentityError ? new ServeError(err.message) : err;
  }
}

function listenFailure(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'EADDRINUSE':
      return 'the address is already in use';
    case 'EACCES':
      return 'permission denied';
    case 'EADDRNOTAVAIL':
      return 'the address is not available on this machine';
    default:
      return err.message;
  }
}

/** Whether Linux has any swap area active (/proc/swaps lists one per line after its header). */
function swapIsOn(): boolean {
  try {
    return readFileSync('/proc/swaps', 'utf8').trim().split('\n').length > 1;
  } catch {
    return false;
  }
}
