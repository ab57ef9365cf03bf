/**
 * `npm run bench`: fleetca against moto, same client, same signed requests, alternating rounds. Starts both servers
 * on 127.0.0.1, runs the scenarios, prints the tables and records them in bench/RESULTS.md. Exits 1 when any
 * response failed validation, 2 when the benchmark itself could not run.
 */

import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { optionsOrExitCode } from './command-line.js';
import { makeCsrs } from './csr.js';
import { certificateFromCsrCalls, keysAndCertificateCalls } from './iot-requests.js';
import { readPoolState } from './key-pool.js';
import { describeMachine } from './machine.js';
import { type BenchOptions, parseOptions, USAGE } from './options.js';
import { Progress } from './progress.js';
import { recordResults, renderRun } from './report.js';
import type { RunRecord, ScenarioResult } from './results.js';
import { type BenchState, type PoolMode, SCENARIOS, type Target } from './scenarios.js';
import {
  type BenchServer,
  createFleetcaAccount,
  fleetcaServeHasOption,
  killAllServersNow,
  REPO_ROOT,
  startFleetca,
  startMoto,
} from './servers.js';
import { type Credentials, SigV4Client } from './sigv4-client.js';

const POOL_SIZE_OPTION = '--key-pool-size';

/** Clients for a started server, a first certificate (the prober describes it) and one warm-up request. */
async function prepareTarget(server: BenchServer, describeId?: string): Promise<Target> {
  const load = new SigV4Client(server.url, server.credentials);
  const probe = new SigV4Client(server.url, server.credentials, 16);
  const target = { server, load, probe };
  const [csr] = makeCsrs(1, `bench-${server.kind}-probe-target`);
  const first = certificateFromCsrCalls(server.rules, csr ? [csr] : [])();
  const created = await load.send(first.request);
  const problem = first.check(created);
  if (problem) throw new Error(`${server.kind}: the first CreateCertificateFromCsr failed: ${problem}`);
  // The first CreateKeysAndCertificate loads code paths (moto imports its IoT backend lazily) outside timing.
  const warmUp = keysAndCertificateCalls(server.rules)();
  const warmed = warmUp.check(await load.send(warmUp.request));
  if (warmed) throw new Error(`${server.kind}: the warm-up CreateKeysAndCertificate failed: ${warmed}`);
  return { ...target, describeId: describeId ?? (JSON.parse(created.body) as { certificateId: string }).certificateId };
}

function closeTarget(target: Target | undefined): void {
  target?.load.close();
  target?.probe.close();
}

function commandLine(argv: readonly string[]): string {
  const env = Object.entries(process.env)
    .filter(([name]) => name.startsWith('FLEETCA_BENCH_'))
    .map(([name, value]) => `${name}=${value} `)
    .join('');
  const viaNpm = process.env.npm_lifecycle_event === 'bench';
  const args = argv.length === 0 ? '' : `${viaNpm ? ' --' : ''} ${argv.join(' ')}`;
  return `${env}${viaNpm ? 'npm run bench' : 'node dist/bench/run.js'}${args}`;
}

function settingsLine(options: BenchOptions): string {
  return [
    `${options.rounds} round(s) per server of ${options.roundSeconds} s (closed loop)`,
    `open loop ${options.openLoopSeconds} s per server`,
    `CreateKeysAndCertificate clients ${options.keysConcurrency.join('/')}`,
    `CreateCertificateFromCsr clients ${options.csrConcurrency.join('/')}`,
    `bursts of ${options.burstSize}`,
    `${options.csrCount} CSRs`,
    `probe every ${options.probeIntervalMs} ms`,
    `scenarios ${options.scenarios.join(',')}`,
  ].join('; ');
}

async function main(): Promise<number> {
  const options = optionsOrExitCode(() => parseOptions(process.argv.slice(2), process.env, REPO_ROOT), USAGE);
  if (typeof options === 'number') return options;
  const started = new Date();
  const startedMs = performance.now();
  const scenarios = SCENARIOS.filter((s) => options.scenarios.includes(s.id));
  const progress = new Progress(scenarios.reduce((sum, s) => sum + s.steps(options), 0));
  const workDir = await mkdtemp(join(tmpdir(), 'fleetca-bench-'));
  let keepWorkDir = options.keepTemp;

  const targets = new Set<Target>();
  let sustained: Target | undefined;
  let pooled: Target | undefined;
  let moto: Target | undefined;
  const interrupted = (signal: NodeJS.Signals) => {
    progress.finish();
    process.stderr.write(`\n${signal}: stopping the servers\n`);
    killAllServersNow();
    if (!keepWorkDir) rmSync(workDir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  process.once('exit', killAllServersNow);

  try {
    progress.note(`work directory ${workDir}`);
    progress.note(`preparing ${options.csrCount} CSRs...`);
    const csrs = makeCsrs(options.csrCount);
    const [machine, hasPoolOption] = await Promise.all([describeMachine(), fleetcaServeHasOption(POOL_SIZE_OPTION)]);

    let accountCredentials: Promise<Credentials> | undefined;
    const credentials = () => {
      accountCredentials ??= createFleetcaAccount(workDir);
      return accountCredentials;
    };
    progress.note('starting fleetca and moto...');
    const [fleetcaServer, motoServer] = await Promise.all([
      startFleetca({
        workDir,
        name: 'fleetca-sustained',
        extraArgs: hasPoolOption ? [POOL_SIZE_OPTION, '0'] : [],
        credentials,
      }),
      startMoto(workDir),
    ]);
    sustained = await prepareTarget(fleetcaServer);
    moto = await prepareTarget(motoServer);
    targets.add(sustained).add(moto);
    const poolMode: PoolMode = hasPoolOption
      ? 'pool-size-zero'
      : (await readPoolState(fleetcaServer)) === 'no-metrics'
        ? 'no-pool'
        : 'drain';
    progress.note(`fleetca ${fleetcaServer.url} (pool mode: ${poolMode}), moto ${motoServer.url}`);

    const state: BenchState = {
      options: options,
      progress,
      csrs,
      moto,
      poolMode,
      failures: [],
      failureCount: 0,
      motoFailureCount: 0,
      async fleetca(kind) {
        if (poolMode !== 'pool-size-zero') return sustained as Target;
        if (kind === 'sustained') {
          if (!sustained || pooled) throw new Error('the sustained fleetca was already replaced by the pooled one');
          return sustained;
        }
        if (!pooled) {
          // One fleetca at a time: the pool-less one stops before the pooled one starts on the same data directory.
          const describeId = (sustained as Target).describeId;
          closeTarget(sustained);
          targets.delete(sustained as Target);
          await (sustained as Target).server.stop();
          progress.note('starting fleetca with its default key pool...');
          const server = await startFleetca({ workDir, name: 'fleetca-pooled', credentials });
          pooled = await prepareTarget(server, describeId);
          targets.add(pooled);
        }
        return pooled;
      },
    };

    const results: ScenarioResult[] = [];
    for (const scenario of scenarios) results.push(await scenario.run(state));
    progress.finish();

    const record: RunRecord = {
      mode: options.quick ? 'quick' : 'full',
      startedAt: started,
      durationS: (performance.now() - startedMs) / 1000,
      command: commandLine(process.argv.slice(2)),
      settings: settingsLine(options),
      machine,
      notes: [
        'Every response is validated: HTTP 200, certificateArn/certificateId/certificatePem, the certificate parses, its ' +
          'key is the returned PublicKey and matches the PrivateKey (or is the CSR key), the ARN names the id. fleetca: ' +
          'certificateId = SHA-256 of the DER (as AWS IoT). moto: SHA-256 of the PEM text, a known moto deviation ' +
          "(moto's `iot.use_valid_cert` setting would switch it to DER); moto is held to that rule.",
        'Throttled responses (429, 400 ThrottlingException) are counted apart and are not certificates.',
        'CPU: user+system time of each server process tree during its rounds, the machine (all cores, busy) and this client.',
        'Both servers run at their default log level, logging to files. Responses are validated once the timed rounds are over.',
      ],
      scenarios: results,
      failures: state.failures,
      failureCount: state.failureCount,
      motoFailureCount: state.motoFailureCount,
    };
    const text = renderRun(record);
    process.stdout.write(`${text}\n`);
    if (options.resultsFile) {
      await recordResults(options.resultsFile, record);
      process.stderr.write(`recorded in ${options.resultsFile}\n`);
    }
    if (state.failureCount > 0) {
      keepWorkDir = true;
      process.stderr.write(`${state.failureCount} response(s) failed validation; logs kept in ${workDir}\n`);
      return 1;
    }
    return 0;
  } catch (err) {
    progress.finish();
    keepWorkDir = true;
    process.stderr.write(`benchmark failed: ${(err as Error).stack ?? err}\nlogs kept in ${workDir}\n`);
    return 2;
  } finally {
    for (const target of targets) closeTarget(target);
    await Promise.all([...targets].map((target) => target.server.stop()));
    killAllServersNow();
    if (!keepWorkDir) await rm(workDir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
