import { Counter, type Registry } from 'prom-client';
import type { Door, GuardObserver, GuardStats } from '../guard/connection-guard.js';
import { mirroredGauge } from './mirrored.js';

const DOORS: readonly Door[] = ['rest', 'mqtt'];

/**
 * The connection guard on the metrics page: what it closed (by door and reason: a deadline passed, or a limit
 * evicted the oldest pending connection or refused a new one), and open / pending connections against the limits.
 */
export function registerConnectionGuardMetrics(registry: Registry, stats: () => GuardStats): GuardObserver {
  const registers = [registry];
  const closed = new Counter({
    name: 'fleetca_connection_guard_closed_total',
    help: 'Connections the connection guard destroyed, by door (rest, mqtt) and reason (handshake_timeout, first_request_timeout, pending_evicted, address_pending_evicted, capacity_evicted, capacity_refused).',
    labelNames: ['door', 'reason'],
    registers,
  });
  mirroredGauge(registry, {
    name: 'fleetca_connections_open',
    help: 'TCP connections open now, pending and established, by door.',
    labelNames: ['door'],
    read: () => DOORS.map((door) => [{ door }, stats().open[door]] as const),
  });
  mirroredGauge(registry, {
    name: 'fleetca_connections_pending',
    help: 'Connections open now that have not proved themselves yet (no TLS handshake, request or admitted CONNECT), by door.',
    labelNames: ['door'],
    read: () => DOORS.map((door) => [{ door }, stats().pending[door]] as const),
  });
  mirroredGauge(registry, {
    name: 'fleetca_connection_limits',
    help: 'The connection guard limits in force: max_connections, max_pending, max_pending_per_address.',
    labelNames: ['limit'],
    read: () => {
      const { settings } = stats();
      return [
        [{ limit: 'max_connections' }, settings.maxConnections],
        [{ limit: 'max_pending' }, settings.maxPending],
        [{ limit: 'max_pending_per_address' }, settings.maxPendingPerAddress],
      ];
    },
  });
  return (door, reason) => closed.inc({ door, reason });
}
