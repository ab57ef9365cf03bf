/**
 * Live versus ready on the real `fleetca serve` over a private PostgreSQL that the test stops and starts:
 * ready (and the documented /_fleetca/health) follow the registry, live only the process, and the metrics
 * say the same through fleetca_registry_up.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type RunningServer, startServer } from '../helpers/fleetca-server.js';
import { createPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres.js';
import { cliEnv, tempHome } from '../helpers/run-cli.js';
import { scrapeMetrics } from '../helpers/scrape-metrics.js';

let postgres: PrivatePostgres;
let server: RunningServer;

before(async () => {
  postgres = await createPrivatePostgres();
  await postgres.start();
  server = await startServer(cliEnv(await tempHome('fleetca-ready-'), { FLEETCA_STORE: postgres.url }), ['--no-mqtt']);
});

after(async () => {
  await server?.stop();
  await postgres?.destroy();
});

async function health(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${server.url}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Polls (generously) until `path` answers `status`. */
async function until(path: string, status: number): Promise<{ status: number; body: Record<string, unknown> }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const reply = await health(path);
    if (reply.status === status) return reply;
    assert.ok(Date.now() < deadline, `${path} never answered ${status}; last: ${JSON.stringify(reply)}`);
    await sleep(100);
  }
}

test('ready answers 503 naming the registry while PostgreSQL is down, live stays 200, both recover', async () => {
  const up = { status: 'ok', checks: { registry: { status: 'ok' } } };
  assert.deepEqual(await health('/_fleetca/health/ready'), { status: 200, body: up });
  assert.deepEqual(await health('/_fleetca/health'), { status: 200, body: up });
  assert.deepEqual(await health('/_fleetca/health/live'), { status: 200, body: { status: 'ok', checks: {} } });
  assert.equal((await scrapeMetrics(server.url))('fleetca_registry_up'), 1);

  await postgres.stop();
  const down = await until('/_fleetca/health/ready', 503);
  assert.equal(down.body.status, 'unavailable');
  const registry = (down.body.checks as Record<string, { status: string; problem: string }>).registry;
  assert.equal(registry?.status, 'failing');
  assert.match(registry?.problem ?? '', /registry/);
  assert.doesNotMatch(JSON.stringify(down.body), /127\.0\.0\.1|postgres:/, 'no address of the database');
  assert.equal((await health('/_fleetca/health')).status, 503, 'the documented check is the ready check');
  assert.equal((await health('/_fleetca/health/live')).status, 200);
  const scraped = await scrapeMetrics(server.url);
  assert.equal(scraped('fleetca_registry_up'), 0);
  assert.ok(scraped('fleetca_registry_last_check_timestamp_seconds') > 0);
  assert.match(server.logs(), /not ready: the registry does not answer/);

  await postgres.start();
  assert.deepEqual(await until('/_fleetca/health/ready', 200), { status: 200, body: up });
  assert.equal((await scrapeMetrics(server.url))('fleetca_registry_up'), 1);
  assert.match(server.logs(), /ready: the registry answers again/);
});
