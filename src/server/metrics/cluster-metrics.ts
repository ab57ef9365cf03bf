import type { Registry } from 'prom-client';
import type { ClusterStats } from '../mqtt/cluster/cluster-link.js';
import { mirroredCounter, mirroredGauge } from './mirrored.js';

/** The link to the other replicas (NATS), read at each scrape: only with `--cluster`. */
export function registerClusterMetrics(registry: Registry, stats: () => ClusterStats): void {
  mirroredGauge(registry, {
    name: 'fleetca_cluster_connected',
    help: 'Whether this replica is connected to the cluster (NATS) now (1) or not (0).',
    read: () => (stats().connected ? 1 : 0),
  });
  mirroredCounter(registry, {
    name: 'fleetca_cluster_messages_total',
    help: 'Device messages handed to the cluster for other replicas (out), routed here from them (in), and not sent (unsent: NATS never reached since the start, or away longer than the 8 MiB reconnect buffer lasted).',
    labelNames: ['direction'],
    read: () => {
      const { sent, received, unsent } = stats();
      return [
        [{ direction: 'out' }, sent],
        [{ direction: 'in' }, received],
        [{ direction: 'unsent' }, unsent],
      ];
    },
  });
  mirroredCounter(registry, {
    name: 'fleetca_cluster_reconnects_total',
    help: 'Times the connection to the cluster (NATS) was re-established after a loss.',
    read: () => stats().reconnects,
  });
}
