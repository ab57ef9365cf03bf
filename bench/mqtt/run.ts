/**
 * `npm run bench:mqtt`: the device door at fleet scale, against one `fleetca serve` (or two replicas, see
 * options.ts) and a private Mosquitto driven by the same load generator: connect rate, connections held and
 * their memory, publish → deliver latency, fleet provisioning at once. Prints every figure and records a block in
 * bench/RESULTS.md (quick and full runs each their own).
 */

import { mkdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { optionsOrExitCode } from '../command-line.js';
import { waitForFullPool } from '../key-pool.js';
import { describeMachine } from '../machine.js';
import { recordSection } from '../report.js';
import { killAllServersNow, REPO_ROOT } from '../servers.js';
import { SigV4Client } from '../sigv4-client.js';
import { hasClusterOption } from './cluster.js';
import { type ConnectRound, measureConnectRate } from './connect-rate.js';
import { type LatencyRun, measureLatency, type Shape } from './delivery-latency.js';
import { ensureDevices, fixtureFile } from './device-fixture.js';
import type { Door } from './door.js';
import { startFleetcaUnderTest } from './fleetca-under-test.js';
import { type HoldResult, holdConnections } from './hold.js';
import { LoadGenerator } from './load-generator.js';
import { type PrivateMosquitto, startMosquitto } from './mosquitto.js';
import { renderMqttRun, sectionName } from './mqtt-report.js';
import { type MqttBenchOptions, parseMqttOptions, USAGE } from './options.js';
import { type ProvisioningResult, prepareClaim, provisionAtOnce } from './provisioning.js';

const log = (line: string) => console.log(`# ${line}`);

export interface MqttRun {
  readonly options: MqttBenchOptions;
  readonly startedAt: Date;
  readonly durationS: number;
  readonly command: string;
  readonly mosquittoVersion?: string;
  readonly fixture: { devices: number; issued: number; issuedS: number };
  readonly connectRounds: readonly ConnectRound[];
  readonly held: readonly HoldResult[];
  readonly latency: readonly LatencyRun[];
  readonly provisioning?: ProvisioningResult;
  readonly notes: readonly string[];
}

async function main(): Promise<number> {
  const parsed = optionsOrExitCode(() => parseMqttOptions(process.argv.slice(2), process.env, REPO_ROOT), USAGE);
  if (typeof parsed === 'number') return parsed;
  const options = parsed;
  const startedAt = new Date();
  const notes: string[] = [];
  // Whatever else runs on the machine takes cores from both servers alike; the report says how busy it was.
  const loads: number[] = [];
  const loadSampler = setInterval(() => loads.push(loadavg()[0] as number), 5_000);
  loadSampler.unref();
  if (options.replicas === 2 && !(await hasClusterOption())) {
    throw new Error('--replicas 2 needs `fleetca serve --cluster`, which this build does not have yet');
  }
  const workDir = options.replicas === 2 ? `${options.workDir}-replicas-${process.pid}` : options.workDir;
  mkdirSync(workDir, { recursive: true });
  const fleet = await startFleetcaUnderTest({
    workDir,
    replicas: options.replicas,
    postgresUrl: options.postgresUrl,
    natsUrl: options.natsUrl,
    cpuProfileDir: options.cpuProfile ? workDir : undefined,
  });
  let mosquitto: PrivateMosquitto | undefined;
  const generator = LoadGenerator.start(options.workers);
  try {
    const [first, second = first] = fleet.replicas as [(typeof fleet.replicas)[0], ...typeof fleet.replicas];
    const iot = new SigV4Client(first.server.url, fleet.credentials, 32);
    // Held devices, then the fan-in subscriber, the fan-out publisher and subscribers, each their own device.
    const fanInSubscriberAt = options.connections;
    const fanOutPublisherAt = fanInSubscriberAt + 1;
    const fanOutSubscribersAt = fanOutPublisherAt + 1;
    const needed = Math.max(options.rateConnects, fanOutSubscribersAt + options.fanOutSubscribers);
    const file = fixtureFile(workDir, fleet.caChainPem, fleet.store);
    const fixture = await ensureDevices(file, first.server.url, fleet.credentials, needed, log);
    log(`device fixture: ${fixture.count} devices (${fixture.issued} issued now in ${fixture.issuedS.toFixed(1)} s)`);
    // The key pool fills at start on every core (RSA key generation): measuring before it is full would measure it.
    for (const replica of fleet.replicas) {
      const pool = await waitForFullPool(replica.server, 600_000);
      log(
        `key pool of ${replica.server.url}: ${pool.full ? 'full' : 'NOT full'} after ${(pool.waitedMs / 1000).toFixed(0)} s`,
      );
    }
    const fleetcaDoor = (replica: typeof first): Door => ({
      name: 'fleetca',
      endpoint: { port: replica.mqttPort, ca: fleet.caChainPem, servername: 'localhost' },
      pid: replica.server.pid,
    });
    const publishersDoor = fleetcaDoor(first);
    const subscribersDoor = fleetcaDoor(second);
    const doors: Door[] = [publishersDoor];
    if (options.withMosquitto && options.replicas === 1) {
      mosquitto = await startMosquitto(workDir, fleet.caChainPem);
      doors.push({
        name: 'mosquitto',
        endpoint: { port: mosquitto.port, ca: mosquitto.serverCertPem, servername: 'localhost' },
        pid: mosquitto.pid,
      });
      log(`mosquitto ${mosquitto.version} on 127.0.0.1:${mosquitto.port}`);
    }
    const connectRounds = !options.parts.has('connect')
      ? []
      : await measureConnectRate(generator, doors, file, {
          count: options.rateConnects,
          rounds: options.rounds,
          concurrency: options.concurrency,
          log,
        });
    const held: HoldResult[] = [];
    const latency: LatencyRun[] = [];
    for (const door of options.parts.has('hold') ? doors : []) {
      // Replicas: devices held and publishing on A, subscribers on B (the route crosses the cluster).
      const subscriberDoor = door.name === 'fleetca' ? subscribersDoor : door;
      held.push(
        await holdConnections(
          generator,
          door,
          'held',
          { file, from: 0, count: options.connections },
          {
            concurrency: options.concurrency,
            settleMs: options.quick ? 2_000 : 10_000,
            log,
          },
        ),
      );
      if (!options.parts.has('latency')) {
        await generator.close('held');
        continue;
      }
      const connectOne = async (group: string, target: Door, from: number, count: number) => {
        const result = await generator.connect(
          group,
          target.endpoint,
          { file, from, count },
          {
            clientIdPrefix: `${group}-`,
            concurrency: Math.min(count, options.concurrency),
          },
        );
        if (result.ok !== count)
          throw new Error(`${target.name}: ${group}: ${result.ok} of ${count} admitted (${result.firstError})`);
      };
      await connectOne('fan-in-subscriber', subscriberDoor, fanInSubscriberAt, 1);
      await connectOne('fan-out-publisher', door, fanOutPublisherAt, 1);
      await connectOne('fan-out-subscribers', subscriberDoor, fanOutSubscribersAt, options.fanOutSubscribers);
      const groups = {
        fanInPublishers: { group: 'held', count: await generator.count('held') },
        fanInSubscriber: 'fan-in-subscriber',
        fanOutPublisher: 'fan-out-publisher',
        fanOutSubscribers: { group: 'fan-out-subscribers', count: options.fanOutSubscribers },
      };
      for (const shape of ['fan-in', 'fan-out'] as Shape[]) {
        for (const qos of [0, 1] as const) {
          for (const rate of options.rates) {
            latency.push(
              await measureLatency(generator, door, groups, { shape, qos, rate, seconds: options.latencySeconds }, log),
            );
          }
        }
      }
      for (const group of ['held', 'fan-in-subscriber', 'fan-out-publisher', 'fan-out-subscribers']) {
        await generator.close(group);
      }
    }
    let provisioning: ProvisioningResult | undefined;
    if (options.parts.has('provisioning')) {
      const runId = `${startedAt.getTime().toString(36)}`;
      const templateName = `bench-mqtt-${runId}`;
      const claim = await prepareClaim(iot, templateName);
      provisioning = await provisionAtOnce(publishersDoor.endpoint, claim, templateName, {
        count: options.provisionings,
        runId,
        log,
      });
    }
    clearInterval(loadSampler);
    if (loads.length > 0) {
      const mean = loads.reduce((total, load) => total + load, 0) / loads.length;
      notes.push(
        `Machine load (1-minute load average, sampled every 5 s): mean ${mean.toFixed(1)}, max ${Math.max(...loads).toFixed(1)} on ${availableParallelism()} cores; the benchmark itself (server, generator) accounts for about 2–3 of it, anything above is other work on the machine, which slows both servers' rounds`,
      );
    }
    const run: MqttRun = {
      options,
      startedAt,
      durationS: (Date.now() - startedAt.getTime()) / 1000,
      command: `npm run bench:mqtt${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
      mosquittoVersion: mosquitto?.version,
      fixture: { devices: fixture.count, issued: fixture.issued, issuedS: fixture.issuedS },
      connectRounds,
      held,
      latency,
      provisioning,
      notes,
    };
    const text = renderMqttRun(run, await describeMachine());
    console.log(`\n${text}`);
    if (options.resultsFile) {
      await recordSection(options.resultsFile, sectionName(options), text);
      log(`recorded in ${options.resultsFile}`);
    }
    return 0;
  } finally {
    await generator.stop();
    await mosquitto?.stop();
    await fleet.stop();
  }
}

process.on('SIGINT', () => {
  killAllServersNow();
  process.exit(130);
});

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err);
    killAllServersNow();
    process.exitCode = 1;
  },
);
