import type { DeviceAuthorization } from '../../domain/devices/device-authorization.js';
import type { DeviceConnections } from '../../domain/devices/device-connection.js';
import type { Home } from '../../home/open-home.js';
import { startOwnershipSweeper } from '../../provisioning/ownership-sweeper.js';
import { OwnershipTokens } from '../../provisioning/ownership-token.js';
import type { ConnectionGuard } from '../guard/connection-guard.js';
import type { Logger } from '../logging/logger.js';
import type { TlsIdentity } from '../tls-identity.js';
import { AuthorityLoader } from './authorization/authority-loader.js';
import { registrySources } from './authorization/registry-sources.js';
import type { ClusterNode } from './cluster/cluster-node.js';
import { type DeviceDoorMetrics, DeviceEndpoint, type RefusalMode } from './device-endpoint.js';
import type { ClaimLookup } from './identify-device.js';
import { listenForDevices } from './mqtt-listener.js';

export interface MqttOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** DNS names and IP addresses of the endpoint's server certificate. */
  readonly names: readonly string[];
  readonly refusal: RefusalMode;
  /** `--device-authorization`; absent: config.json's deviceAuthorization (see deviceAuthorizationOf). */
  readonly authorization?: DeviceAuthorization;
}

export interface RunningDeviceDoor {
  readonly url: string;
  /** The admitted connections (ListDeviceConnections). */
  readonly connections: DeviceConnections;
  /** Live sessions and PUBLISH traffic, for metrics. */
  stats(): { readonly sessions: number; readonly received: number; readonly sent: number };
  close(): Promise<void>;
}

/** AWS IoT's message payload limit; an MQTT packet adds its topic and a few header bytes. */
const MAX_PACKET_BYTES = 128 * 1024 + 1024;
/** Fleet-provisioning requests are small (a CSR is at most 4 KiB); larger ones are rejected, not processed. */
const MAX_REQUEST_PAYLOAD_BYTES = 16 * 1024;
const SWEEP_INTERVAL_MS = 60_000;

/**
 * The device door of `fleetca serve`: the MQTT endpoint, the fleet-provisioning requests it answers, and the
 * sweeper that deletes certificates whose ownership token expired unused.
 */
export async function startDeviceDoor(
  home: Home,
  options: MqttOptions,
  tls: TlsIdentity,
  logger: Logger,
  metrics?: DeviceDoorMetrics,
  guard?: ConnectionGuard,
  cluster?: ClusterNode,
): Promise<RunningDeviceDoor> {
  const { registry } = home;
  const tokens = new OwnershipTokens(await home.authority.deriveSecret('certificate ownership tokens'));
  const findClaim: ClaimLookup = (certificateId, now) =>
    registry.provisioningClaims.findByCertificateId(certificateId, now);
  const mode = deviceAuthorizationOf(options.authorization, home.dataDir.config.deviceAuthorization, logger);
  const endpoint = new DeviceEndpoint({
    authorities: new AuthorityLoader(mode, registrySources(registry), logger),
    certificates: registry.certificates,
    changes: registry.changes,
    events: { events: registry.events, things: registry.things },
    findClaim,
    provisioning: {
      context: (scope) => ({ ...home.context(scope), ownershipTokens: tokens }),
      logger,
    },
    refusal: options.refusal,
    justInTime: registry,
    logger,
    maxPacketBytes: MAX_PACKET_BYTES,
    maxRequestPayloadBytes: MAX_REQUEST_PAYLOAD_BYTES,
    metrics,
    // The guard's CONNECT deadline comes first (it counts and logs); the broker's own stays as a backstop.
    connectTimeoutMs: guard ? guard.settings.firstRequestTimeoutMs + 1_000 : undefined,
    cluster,
  });
  let listener: Awaited<ReturnType<typeof listenForDevices>>;
  try {
    listener = await listenForDevices({
      host: options.host,
      port: options.port,
      tls,
      endpoint,
      logger,
      guard,
    });
  } catch (err) {
    await endpoint.close();
    await cluster?.close();
    throw err;
  }
  const stopSweeper = startOwnershipSweeper(registry, { intervalMs: SWEEP_INTERVAL_MS, logger });
  return {
    url: listener.url,
    connections: endpoint.connections,
    stats: () => ({ sessions: endpoint.sessionCount, ...endpoint.traffic }),
    close: async () => {
      stopSweeper();
      await listener.close();
      await endpoint.close();
      await cluster?.close();
    },
  };
}

/**
 * The mode in force: the command line's, else config.json's; a data directory made before policies has none and runs
 * permissive, so that its devices keep working until its operator has attached policies and chosen. Permissive is
 * said loudly at every start.
 */
export function deviceAuthorizationOf(
  given: DeviceAuthorization | undefined,
  configured: DeviceAuthorization | undefined,
  logger: Logger,
): DeviceAuthorization {
  const mode = given ?? configured ?? 'permissive';
  if (mode === 'permissive') {
    const why =
      given === undefined && configured === undefined
        ? 'this data directory was made before device policies; attach policies to its certificates, then set "deviceAuthorization": "policies" in config.json (README: Confining devices with policies)'
        : 'for development only: policies are not enforced';
    logger.warn(
      { deviceAuthorization: mode },
      `DEVICE AUTHORIZATION IS PERMISSIVE: every ACTIVE certificate may connect and use every topic of its account and region; ${why}`,
    );
  }
  return mode;
}
