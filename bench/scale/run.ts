/**
 * `npm run bench:scale`: a registry of N certificates (default 1,000,000) on each store, served by the real
 * `fleetca serve` and measured through its REST API with the bench's SigV4 client: DescribeCertificate of random
 * rows, ListCertificates at the head, middle and tail of the order, SearchCertificates pages (no filter, a status, an
 * id prefix, a filter matching nothing) and GetCertificateStatistics; then the same reads through the store adapter.
 * Prints the figures and records one section per store in bench/RESULTS.md. Exits 1 when a response failed
 * validation, 2 when the benchmark could not run.
 */

import { readFileSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { optionsOrExitCode } from '../command-line.js';
import type { Call } from '../iot-requests.js';
import { describeMachine } from '../machine.js';
import type { MachineInfo } from '../results.js';
import { fleetcaServeHasOption, killAllServersNow, REPO_ROOT, startFleetca } from '../servers.js';
import { SigV4Client } from '../sigv4-client.js';
import { timeAdapter } from './adapter-timing.js';
import { bulkLoad, type LoadedStore, reuseLoaded, storeWorkDir } from './bulk-load.js';
import { type CpuSources, measure } from './measure.js';
import { openPostgresMonitor } from './postgres-monitor.js';
import { describeWaits, type QuietWait, waitForQuiet } from './quiet.js';
import { parseScaleOptions, type ScaleOptions, USAGE } from './scale-options.js';
import { failureCount, recordScale, renderScale, type ScaleRecord, type TargetedMeasurement } from './scale-report.js';
import { describeRowCall, listPageCall, PAGE_POSITIONS } from './scale-requests.js';
import { ExpectedStatistics, type SearchCase, searchCall, searchCases, statisticsCall } from './search-requests.js';
import { measureStoreSize } from './store-size.js';
import {
  dropPostgresSchema,
  postgresTarget,
  STORE_NAMES,
  type StoreKind,
  type StoreTarget,
  serveStoreArgs,
} from './stores.js';
import { SyntheticRegistry } from './synthetic-registry.js';

/** Targets from the issue. */
const DESCRIBE_P99_MS = 5;
const LIST_P99_MS = 20;
/** A search page is a page: the same target, whatever its filters (each call's scan is bounded). */
const SEARCH_P99_MS = 20;
/** Statistics read whole index ranges (every certificate's status): a dashboard's refresh, not a page's. */
const STATISTICS_P99_MS = 1000;
const WARM_UP_DESCRIBES = 500;
const WARM_UP_PAGES = 10;

const log = (line: string) => process.stderr.write(`${line}\n`);

function commandLine(argv: readonly string[]): string {
  const viaNpm = process.env.npm_lifecycle_event === 'bench:scale';
  const args = argv.length === 0 ? '' : `${viaNpm ? ' --' : ''} ${argv.join(' ')}`;
  return `${viaNpm ? 'npm run bench:scale' : 'node dist/bench/scale/run.js'}${args}`;
}

/** Whether this build can serve PostgreSQL: the adapter compiled, and `fleetca serve --store`. */
async function postgresReady(): Promise<string | undefined> {
  try {
    readFileSync(join(REPO_ROOT, 'dist', 'src', 'registry', 'postgres', 'pg-registry.js'));
  } catch {
    return 'dist/src/registry/postgres/pg-registry.js is not built';
  }
  return (await fleetcaServeHasOption('--store')) ? undefined : '`fleetca serve --help` has no --store';
}

function randomRows(registry: SyntheticRegistry, n: number): Call[] {
  return Array.from({ length: n }, () => describeRowCall(registry, Math.floor(Math.random() * registry.rows)));
}

/** The searches and statistics measured, with what they must answer (worked out once per store). */
interface FleetCases {
  readonly cases: readonly SearchCase[];
  readonly expected: ExpectedStatistics;
}

function fleetCalls(registry: SyntheticRegistry, fleet: FleetCases) {
  return [
    ...fleet.cases.map((c) => ({ label: `SearchCertificates, ${c.label}`, call: searchCall(c) })),
    ...(['DAY', 'HOUR'] as const).map((interval) => ({
      label: `GetCertificateStatistics, ${interval} (defaults)`,
      call: statisticsCall(fleet.expected, interval, registry.rows),
    })),
  ];
}

async function measureStore(
  loaded: LoadedStore,
  options: ScaleOptions,
  storeDir: string,
  fleet: FleetCases,
): Promise<{
  measurements: TargetedMeasurement[];
  loadAverage: [number, number];
  storeVersion?: string;
  quiet?: string;
}> {
  const registry = new SyntheticRegistry(loaded.spec);
  const target = loaded.target;
  const database = target.kind === 'postgres' ? await openPostgresMonitor(target) : undefined;
  const server = await startFleetca({
    workDir: storeDir,
    name: `fleetca-scale-${target.kind}`,
    // No key pool: its background key generation would compete with the requests measured.
    extraArgs: [...serveStoreArgs(target), '--key-pool-size', '0'],
    credentials: async () => loaded.credentials,
  });
  const client = new SigV4Client(server.url, loaded.credentials, Math.max(...options.describeConcurrency));
  const cpu: CpuSources = { serverPid: server.pid, ...(database && { storeCpu: () => database.backendCpu() }) };
  try {
    log(`${STORE_NAMES[target.kind]}: fleetca serve ${server.url}; warming up`);
    const listCases = [undefined, 250].flatMap((pageSize) =>
      PAGE_POSITIONS.map((position) => ({ position, pageSize, call: listPageCall(registry, position, pageSize) })),
    );
    const fleetCases = fleetCalls(registry, fleet);
    const warmUp = await measure(
      'warm-up',
      client,
      [
        ...randomRows(registry, WARM_UP_DESCRIBES),
        ...[...listCases, ...fleetCases].flatMap((c) => Array(WARM_UP_PAGES).fill(c.call)),
      ],
      1,
      cpu,
    );
    if (warmUp.failed > 0) throw new Error(`warm-up responses failed validation: ${warmUp.problems.join('; ')}`);
    const waits: QuietWait[] = [];
    const settle = async () => {
      if (options.quietWaitSeconds > 0) waits.push(await waitForQuiet(options.quietWaitSeconds, log));
    };

    const loadBefore = loadavg()[0] as number;
    const measurements: TargetedMeasurement[] = [];
    for (const concurrency of options.describeConcurrency) {
      const label = `DescribeCertificate, random row, ${concurrency} client${concurrency === 1 ? '' : 's'}`;
      log(`  ${label}`);
      const calls = randomRows(registry, options.describeRequests);
      await settle();
      const m = await measure(label, client, calls, concurrency, {
        ...cpu,
        serverLog: { file: server.logFile, operation: 'DescribeCertificate' },
      });
      measurements.push({ ...m, operation: 'DescribeCertificate', targetP99Ms: DESCRIBE_P99_MS });
    }
    for (const { position, pageSize, call } of listCases) {
      const label = `ListCertificates ${position} page, pageSize ${pageSize ?? 'default (25)'}`;
      log(`  ${label}`);
      await settle();
      const m = await measure(label, client, Array(options.listRequests).fill(call), 1, {
        ...cpu,
        serverLog: { file: server.logFile, operation: 'ListCertificates' },
      });
      measurements.push({ ...m, operation: 'ListCertificates', targetP99Ms: LIST_P99_MS });
    }
    for (const { label, call } of fleetCases) {
      const operation = label.startsWith('Search') ? 'SearchCertificates' : 'GetCertificateStatistics';
      const requests = operation === 'SearchCertificates' ? options.listRequests : options.statisticsRequests;
      log(`  ${label}`);
      await settle();
      const m = await measure(label, client, Array(requests).fill(call), 1, {
        ...cpu,
        serverLog: { file: server.logFile, operation },
      });
      const targetP99Ms = operation === 'SearchCertificates' ? SEARCH_P99_MS : STATISTICS_P99_MS;
      measurements.push({ ...m, operation, targetP99Ms });
    }
    return {
      measurements,
      loadAverage: [loadBefore, loadavg()[0] as number],
      ...(database && { storeVersion: database.version }),
      ...(waits.length > 0 && { quiet: describeWaits(waits, options.quietWaitSeconds) }),
    };
  } finally {
    client.close();
    await server.stop();
    await database?.close();
  }
}

function notes(target: StoreTarget, describeRequests: number, listRequests: number): string[] {
  return [
    'Rows: one real device certificate issued by the data directory CA (RSA-2048 key, CN=AWS IoT Certificate) is the ' +
      "template; each row's DER is that certificate with the low 6 bytes of its serial number replaced by the row " +
      'number, so every DER and certificate_id = SHA-256(DER) is unique. Those signatures no longer verify, which makes ' +
      'no difference to the store figures.',
    'One account and region; statuses 80 % ACTIVE, 12 % INACTIVE, 5 % REVOKED, 1 % each PENDING_TRANSFER, ' +
      'REGISTER_INACTIVE, PENDING_ACTIVATION; 5 % SNI_ONLY; about 10 % of the rest name one of 3 CA certificate ids; ' +
      'creation dates over the year before the load, increasing with the row number, with ties (20 rows per 1,000 share a ' +
      'millisecond, and every tenth row its predecessor’s). No thing or policy attachments. All indexes in place during the load.',
    `Through \`fleetca serve\` (--key-pool-size 0, default log level, request log to a file) on 127.0.0.1 with the ` +
      'keep-alive SigV4 client of `npm run bench` (this process, sharing the 2 cores); latency is from signing the ' +
      'request to the last byte of the response. "server p50 / p99" is fleetca\'s own durationMs from its request log ' +
      '(handler start to response written), which leaves out the signing, HTTP parsing and the client. ' +
      `DescribeCertificate: ${describeRequests} requests per client count, ids drawn uniformly from all rows. ` +
      `ListCertificates (newest first, the default order): ${listRequests} requests per case, one client; middle page: ` +
      'the marker of the row at N/2; last page: the marker of the row just newer than the oldest pageSize rows. ' +
      'A warm-up of 500 DescribeCertificate and 10 of each page goes first, untimed. The p99 of 300 requests is ' +
      'their 3rd slowest, so it moves between runs on a small shared VM: the server-side column and the adapter ' +
      'table below show where the time goes.',
    'Every response is checked after timing: DescribeCertificate names the row asked for with its loaded status and PEM; ' +
      'each page holds exactly the expected ids, in order, with their creation dates and statuses, and nextMarker only ' +
      'where more rows follow.',
    target.kind === 'sqlite'
      ? 'SQLite: no ANALYZE (fleetca never runs it, so a real registry has no statistics either). The file sat in the ' +
        "OS page cache after the load (the machine's RAM holds it whole): these are warm-cache figures."
      : 'PostgreSQL on the same machine, as installed (no tuning). After the load: VACUUM (ANALYZE) and CHECKPOINT, the ' +
        'state autovacuum reaches by itself on an insert-only table. Warm cache (the OS holds the files).',
  ];
}

function searchNote(searchRequests: number, statisticsRequests: number): string {
  return (
    `SearchCertificates (fleetca's own, GET /fleetca/certificates, default order newest first, pageSize 25): ` +
    `${searchRequests} requests per case, one client; the status page comes from certificates_by_status_creation, the ` +
    'id prefix (4 hex digits) is read whole from the primary key, and "a filter matching nothing" (expiresBefore ' +
    '2030, while every row expires in 2049) examines the 5,000 newest index entries and answers an empty page with a ' +
    `nextMarker. GetCertificateStatistics (defaults: 30 days of days, 48 hours of hours, 30 days of expiry): ` +
    `${statisticsRequests} requests per case, counting every status of the scope. Every answer is checked: the page's ` +
    'ids in order and whether a nextMarker follows; the statistics against counts made from the rows.'
  );
}

async function runStore(
  kind: StoreKind,
  options: ScaleOptions,
  workDir: string,
  machine: MachineInfo,
): Promise<ScaleRecord> {
  const startedAt = new Date();
  const storeDir = storeWorkDir(workDir, kind);
  const target: StoreTarget =
    kind === 'sqlite'
      ? { kind, file: join(storeDir, 'fleetca', 'registry.db') }
      : postgresTarget(options.pgUrl, options.pgSchema);
  await mkdir(storeDir, { recursive: true });
  let loaded: LoadedStore;
  if (options.skipLoad) {
    loaded = await reuseLoaded(target, storeDir, options.rows);
    log(`${STORE_NAMES[kind]}: measuring the ${options.rows.toLocaleString('en-US')} rows loaded earlier`);
  } else {
    log(`${STORE_NAMES[kind]}: loading ${options.rows.toLocaleString('en-US')} certificates...`);
    loaded = await bulkLoad(target, storeDir, options.rows, log);
    const times = loaded.times;
    if (times) {
      log(
        `  loaded in ${times.insertSeconds.toFixed(1)} s (${Math.round(options.rows / times.insertSeconds).toLocaleString('en-US')} rows/s), settled in ${times.settleSeconds.toFixed(1)} s`,
      );
    }
  }
  const size = await measureStoreSize(target);
  const registry = new SyntheticRegistry(loaded.spec);
  log(`${STORE_NAMES[kind]}: working out the searches' and statistics' answers`);
  const fleet: FleetCases = { cases: searchCases(registry), expected: new ExpectedStatistics(registry) };
  const { measurements, loadAverage, storeVersion, quiet } = await measureStore(loaded, options, storeDir, fleet);
  log(`${STORE_NAMES[kind]}: the same reads through the store adapter, in-process`);
  const adapter = await timeAdapter(target, registry, options.describeRequests, options.listRequests, {
    ...fleet,
    statisticsRequests: options.statisticsRequests,
  });
  // Kept for --skip-load only when the run was given a work directory to keep.
  if (target.kind === 'postgres' && options.workDir === undefined && !options.keepTemp)
    await dropPostgresSchema(target);
  return {
    store: kind,
    rows: options.rows,
    startedAt,
    command: commandLine(process.argv.slice(2)),
    machine,
    ...(storeVersion !== undefined && { storeVersion }),
    ...(loaded.times && { load: loaded.times }),
    size,
    measurements,
    adapter,
    loadAverage,
    notes: [
      ...(quiet !== undefined ? [quiet] : []),
      ...notes(target, options.describeRequests, options.listRequests),
      searchNote(options.listRequests, options.statisticsRequests),
    ],
  };
}

async function main(): Promise<number> {
  const options = optionsOrExitCode(() => parseScaleOptions(process.argv.slice(2), process.env, REPO_ROOT), USAGE);
  if (typeof options === 'number') return options;
  const workDir = options.workDir ? resolve(options.workDir) : await mkdtemp(join(tmpdir(), 'fleetca-bench-scale-'));
  let keepWorkDir = options.keepTemp || options.workDir !== undefined;
  const interrupted = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: stopping\n`);
    killAllServersNow();
    if (!keepWorkDir) rmSync(workDir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  process.once('exit', killAllServersNow);

  let failures = 0;
  let skipped = 0;
  try {
    log(`work directory ${workDir}`);
    const machine = await describeMachine();
    for (const kind of options.stores) {
      const missing = kind === 'postgres' ? await postgresReady() : undefined;
      if (missing) {
        log(`PostgreSQL skipped: ${missing}`);
        skipped++;
        continue;
      }
      const record = await runStore(kind, options, workDir, machine);
      process.stdout.write(`${renderScale(record)}\n`);
      failures += failureCount(record);
      if (options.resultsFile) {
        await recordScale(options.resultsFile, record);
        log(`recorded in ${options.resultsFile}`);
      }
    }
    if (failures > 0) {
      keepWorkDir = true;
      log(`${failures} response(s) failed validation; work directory kept: ${workDir}`);
      return 1;
    }
    return skipped > 0 ? 2 : 0;
  } catch (err) {
    keepWorkDir = true;
    log(`scale benchmark failed: ${(err as Error).stack ?? err}\nwork directory kept: ${workDir}`);
    return 2;
  } finally {
    killAllServersNow();
    if (!keepWorkDir) await rm(workDir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
