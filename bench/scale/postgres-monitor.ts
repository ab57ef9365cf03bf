/**
 * A side connection to the PostgreSQL server under test: its version and settings for the report, and the CPU
 * time of the backends serving fleetca (found by the bench's application_name), so that other clients of the
 * same shared server are not charged to fleetca.
 */

import pg from 'pg';
import { processTreeCpuSeconds } from '../cpu.js';
import { BENCH_APPLICATION_NAME, type StoreTarget } from './stores.js';

export interface PostgresMonitor {
  readonly version: string;
  /** CPU seconds so far of each backend of the bench's sessions, by pid. */
  backendCpu(): Promise<ReadonlyMap<number, number>>;
  close(): Promise<void>;
}

export async function openPostgresMonitor(
  target: Extract<StoreTarget, { kind: 'postgres' }>,
): Promise<PostgresMonitor> {
  // The base URL: this session is not one of the bench's, so it never counts itself.
  const client = new pg.Client({ connectionString: target.baseUrl, application_name: 'fleetca-bench-monitor' });
  await client.connect();
  const { rows } = await client.query<{ version: string; buffers: string }>(
    "SELECT current_setting('server_version') AS version, current_setting('shared_buffers') AS buffers",
  );
  return {
    version: `PostgreSQL ${rows[0]?.version} (shared_buffers ${rows[0]?.buffers}, settings as installed)`,
    async backendCpu() {
      const backends = await client.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
        [BENCH_APPLICATION_NAME],
      );
      // A backend on another host (or in a container) has no /proc entry here: it reads as 0 s, unmeasured.
      return new Map(backends.rows.map(({ pid }) => [pid, processTreeCpuSeconds(pid)]));
    },
    close: () => client.end(),
  };
}
