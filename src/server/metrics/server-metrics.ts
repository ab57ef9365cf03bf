import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { KeyPoolStats } from '../../ca/keygen/key-pool.js';
import type { KeyEngineStats } from '../../ca/keygen/worker-key-generator.js';
import type { GuardObserver, GuardStats } from '../guard/connection-guard.js';
import type { RequestObservation } from '../http/request-handler.js';
import type { ClusterStats } from '../mqtt/cluster/cluster-link.js';
import type { DeviceDoorMetrics } from '../mqtt/device-endpoint.js';
import type { RegistryProbe } from '../registry-probe.js';
import type { CertificateCounts } from './certificate-counts.js';
import { registerClusterMetrics } from './cluster-metrics.js';
import { registerConnectionGuardMetrics } from './connection-guard-metrics.js';
import { registerKeygenMetrics } from './keygen-metrics.js';
import { mirroredCounter, mirroredGauge } from './mirrored.js';
import { registerProcessMemory } from './process-memory.js';

export interface ServerMetricsSources {
  readonly keygen: () => { readonly engine: KeyEngineStats; readonly pool?: KeyPoolStats };
  readonly withPool: boolean;
  readonly registry: RegistryProbe;
  readonly certificates: CertificateCounts;
}

/** Live sessions and PUBLISH traffic of the device door. */
export type DeviceTraffic = () => { readonly sessions: number; readonly received: number; readonly sent: number };

/**
 * Every metric `fleetca serve` exposes, on one prom-client registry of its own: REST requests, the key
 * engine and pool, the registry's reachability and certificates by status, and — with the device endpoint —
 * MQTT connections, messages and fleet-provisioning outcomes. Aggregates only: no label names an account.
 */
export class ServerMetrics {
  readonly #registry = new Registry();
  readonly #requests: Counter<'operation' | 'status'>;
  readonly #latency: Histogram<'operation'>;

  constructor(sources: ServerMetricsSources) {
    const registers = [this.#registry];
    this.#requests = new Counter({
      name: 'fleetca_http_requests_total',
      help: 'AWS IoT API requests answered, by operation ("none" when no route matched) and HTTP status.',
      labelNames: ['operation', 'status'],
      registers,
    });
    this.#latency = new Histogram({
      name: 'fleetca_http_request_duration_seconds',
      help: 'Time from a request arriving to its answer being sent, by operation.',
      labelNames: ['operation'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    registerKeygenMetrics(this.#registry, sources.keygen, sources.withPool);
    this.#registerRegistry(sources.registry, sources.certificates);
    registerProcessMemory(this.#registry);
  }

  readonly contentType = this.#registry.contentType;

  /** The Prometheus text exposition of every metric, read now. */
  render(): Promise<string> {
    return this.#registry.metrics();
  }

  observeRequest(request: RequestObservation): void {
    const operation = request.operation ?? 'none';
    this.#requests.inc({ operation, status: String(request.status) });
    this.#latency.observe({ operation }, request.seconds);
  }

  /** The connection guard's metrics: what it closes is counted here, open and pending connections read at each scrape. */
  connectionGuard(stats: () => GuardStats): GuardObserver {
    return registerConnectionGuardMetrics(this.#registry, stats);
  }

  /** The link to the other replicas (`--cluster`). */
  cluster(stats: () => ClusterStats): void {
    registerClusterMetrics(this.#registry, stats);
  }

  /** The device door's metrics: its decisions are counted here, its live state read at each scrape. */
  deviceDoor(traffic: () => ReturnType<DeviceTraffic> | undefined): DeviceDoorMetrics {
    const registers = [this.#registry];
    const accepted = new Counter({
      name: 'fleetca_mqtt_connections_accepted_total',
      help: 'Device connections admitted at CONNECT.',
      registers,
    });
    const refused = new Counter({
      name: 'fleetca_mqtt_connections_refused_total',
      help: 'Device connections refused at CONNECT, by reason.',
      labelNames: ['reason'],
      registers,
    });
    const provisioning = new Counter({
      name: 'fleetca_provisioning_requests_total',
      help: 'Fleet-provisioning requests answered over MQTT, by request, outcome and (rejected) error code.',
      labelNames: ['request', 'outcome', 'error_code'],
      registers,
    });
    const denied = new Counter({
      name: 'fleetca_mqtt_authorization_denied_total',
      help: 'Device requests the authorization refused after admission: publish, retain, subscribe (per filter), receive (per message withheld), and sessions ended because their policies no longer allow connect.',
      labelNames: ['action'],
      registers,
    });
    mirroredGauge(this.#registry, {
      name: 'fleetca_mqtt_connections',
      help: 'Device connections admitted and open now.',
      read: () => traffic()?.sessions ?? 0,
    });
    mirroredCounter(this.#registry, {
      name: 'fleetca_mqtt_messages_total',
      help: 'PUBLISH packets received from devices (in) and sent to them (out).',
      labelNames: ['direction'],
      read: () => [
        [{ direction: 'in' }, traffic()?.received ?? 0],
        [{ direction: 'out' }, traffic()?.sent ?? 0],
      ],
    });
    return {
      connectionAccepted: () => accepted.inc(),
      connectionRefused: (reason) => refused.inc({ reason }),
      authorizationDenied: (action) => denied.inc({ action }),
      provisioningAnswered: (request, outcome, errorCode) =>
        provisioning.inc(errorCode === undefined ? { request, outcome } : { request, outcome, error_code: errorCode }),
    };
  }

  #registerRegistry(probe: RegistryProbe, certificates: CertificateCounts): void {
    const registers = [this.#registry];
    // Each gauge reads the same check (a check asked for while one runs shares it) or the same count.
    new Gauge({
      name: 'fleetca_registry_up',
      help: 'Whether the registry answered its check (1) or not (0); checked at each scrape.',
      registers,
      async collect() {
        this.set((await probe.check()).up ? 1 : 0);
      },
    });
    new Gauge({
      name: 'fleetca_registry_last_check_timestamp_seconds',
      help: 'When the registry was last checked (epoch seconds).',
      registers,
      async collect() {
        this.set((await probe.check()).checkedAt / 1000);
      },
    });
    new Gauge({
      name: 'fleetca_certificates',
      help: 'Certificates in the registry by status, all accounts and regions together.',
      labelNames: ['status'],
      registers,
      async collect() {
        const current = await certificates.current();
        for (const [status, count] of Object.entries(current?.counts ?? {})) this.set({ status }, count);
      },
    });
    new Gauge({
      name: 'fleetca_certificates_counted_timestamp_seconds',
      help: 'When fleetca_certificates was counted (epoch seconds); it is counted again at most once a minute.',
      registers,
      async collect() {
        const current = await certificates.current();
        if (current !== undefined) this.set(current.countedAt / 1000);
      },
    });
  }
}
