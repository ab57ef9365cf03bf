/** The `npm run bench:mqtt` block of bench/RESULTS.md: how it was measured, the figures, the targets. */

import { openFileLimit } from '../../src/server/guard/open-file-limit.js';
import { formatMs, formatRate, formatRatio, table } from '../report.js';
import type { MachineInfo, TargetCheck } from '../results.js';
import { percentile, ratio } from '../stats.js';
import type { ConnectRound } from './connect-rate.js';
import type { DoorName } from './door.js';
import type { MqttBenchOptions } from './options.js';
import type { MqttRun } from './run.js';

export const TARGET_CONNECTIONS = 18_000;
export const TARGET_KIB_PER_CONNECTION = 40;
export const TARGET_CONNECT_RATIO = 1.0;
export const TARGET_P99_MS = 50;
export const TARGET_LATENCY_RATE = 1_000;

export function sectionName(options: Pick<MqttBenchOptions, 'quick' | 'replicas'>): string {
  return `mqtt-${options.quick ? 'quick' : 'full'}${options.replicas === 2 ? '-replicas' : ''}`;
}

function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

export function medianConnectRate(rounds: readonly ConnectRound[], door: DoorName): number {
  return median(rounds.filter((r) => r.door === door).map((r) => r.perSecond));
}

/** Server CPU per admitted connect: what the rate would be bounded by on an otherwise idle core. */
export function medianCpuMsPerConnect(rounds: readonly ConnectRound[], door: DoorName): number {
  return median(rounds.filter((r) => r.door === door && r.ok > 0).map((r) => (r.serverCpuS * 1000) / r.ok));
}

const count = (value: number) => value.toLocaleString('en-US');

function targets(run: MqttRun): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const fleetcaHeld = run.held.find((h) => h.door === 'fleetca');
  if (fleetcaHeld) {
    const allAdmitted = fleetcaHeld.ok === fleetcaHeld.attempted && fleetcaHeld.openAfterHold === fleetcaHeld.ok;
    checks.push({
      description: `≥ ${count(TARGET_CONNECTIONS)} concurrent mTLS connections held, all admitted (CONNACK 0)`,
      measured: `${count(fleetcaHeld.ok)} of ${count(fleetcaHeld.attempted)} admitted, ${count(fleetcaHeld.openAfterHold)} open after the hold`,
      pass: allAdmitted && fleetcaHeld.ok >= TARGET_CONNECTIONS,
    });
    checks.push({
      description: `server memory ≤ ${TARGET_KIB_PER_CONNECTION} KiB per connection (RSS growth ÷ connections)`,
      measured: `${fleetcaHeld.kibPerConnection.toFixed(1)} KiB${
        fleetcaHeld.kibPerConnection > TARGET_KIB_PER_CONNECTION
          ? ` (${Math.round((100 * fleetcaHeld.kibPerConnection) / TARGET_KIB_PER_CONNECTION - 100)} % over)`
          : ''
      }`,
      pass: fleetcaHeld.kibPerConnection <= TARGET_KIB_PER_CONNECTION,
    });
  }
  const fleetcaRate = medianConnectRate(run.connectRounds, 'fleetca');
  const mosquittoRate = medianConnectRate(run.connectRounds, 'mosquitto');
  const connectRatio = ratio(fleetcaRate, mosquittoRate);
  checks.push({
    description: `connect rate (mTLS handshake + CONNECT/CONNACK) ≥ ${TARGET_CONNECT_RATIO.toFixed(1)}× Mosquitto's`,
    measured: Number.isFinite(connectRatio)
      ? `${formatRatio(connectRatio)} (${formatRate(fleetcaRate)}/s vs ${formatRate(mosquittoRate)}/s, medians; server CPU per connect ${formatMs(medianCpuMsPerConnect(run.connectRounds, 'fleetca'))} vs ${formatMs(medianCpuMsPerConnect(run.connectRounds, 'mosquitto'))} ms)`
      : 'Mosquitto not run',
    pass: Number.isFinite(connectRatio) ? connectRatio >= TARGET_CONNECT_RATIO : undefined,
  });
  for (const runAt of run.latency.filter((l) => l.door === 'fleetca' && l.rate === TARGET_LATENCY_RATE)) {
    checks.push({
      description: `p99 publish → deliver ≤ ${TARGET_P99_MS} ms at ${count(TARGET_LATENCY_RATE)}/s, ${runAt.shape}, QoS ${runAt.qos}`,
      measured: `${formatMs(runAt.latency.p99)} ms, ${count(runAt.delivered)} of ${count(runAt.expected)} delivered`,
      pass: runAt.latency.p99 <= TARGET_P99_MS && runAt.delivered === runAt.expected,
    });
  }
  if (run.provisioning) {
    const p = run.provisioning;
    checks.push({
      description: `${count(p.devices)} fleet provisionings at once over MQTT: 0 failed`,
      measured: `${p.failed} failed, ${count(p.done)} done in ${p.elapsedS.toFixed(1)} s`,
      pass: p.failed === 0 && p.done === p.devices,
    });
  }
  return checks;
}

function connectTable(rounds: readonly ConnectRound[]): string {
  const rows = rounds.map((r) => [
    String(r.round),
    r.door,
    count(r.ok),
    String(r.refused + r.failed),
    r.elapsedS.toFixed(2),
    formatRate(r.perSecond),
    formatMs(r.latency.p50),
    formatMs(r.latency.p99),
    (r.serverCpuS / r.elapsedS).toFixed(2),
    r.ok > 0 ? formatMs((r.serverCpuS * 1000) / r.ok) : '—',
    (r.generatorCpuS / r.elapsedS).toFixed(2),
    (r.machineCpuS / r.elapsedS).toFixed(2),
  ]);
  return table(
    [
      'round',
      'server',
      'admitted',
      'not admitted',
      'seconds',
      'connects/s',
      'p50 ms',
      'p99 ms',
      'server cores',
      'server CPU ms/connect',
      'generator cores',
      'machine cores',
    ],
    rows,
  );
}

function heldTable(run: MqttRun): string {
  return table(
    [
      'server',
      'attempted',
      'admitted',
      'refused',
      'failed',
      'ramp s',
      'open after hold',
      'RSS before MiB',
      'RSS after MiB',
      'KiB/connection',
      'generator cores (ramp)',
    ],
    run.held.map((h) => [
      h.door,
      count(h.attempted),
      count(h.ok),
      String(h.refused),
      String(h.failed),
      h.rampS.toFixed(1),
      count(h.openAfterHold),
      (h.rssBeforeKiB / 1024).toFixed(0),
      (h.rssAfterKiB / 1024).toFixed(0),
      h.kibPerConnection.toFixed(1),
      h.rampS > 0 ? (h.generatorCpuS / h.rampS).toFixed(2) : '—',
    ]),
  );
}

function latencyTable(run: MqttRun): string {
  return table(
    [
      'server',
      'shape',
      'QoS',
      'deliveries/s',
      'publishers → subscribers',
      'delivered / expected',
      'p50 ms',
      'p99 ms',
      'max ms',
      'server cores',
      'generator cores',
    ],
    run.latency.map((l) => [
      l.door,
      l.shape,
      String(l.qos),
      count(l.rate),
      `${count(l.publishers)} → ${count(l.subscribers)}`,
      `${count(l.delivered)} / ${count(l.expected)}`,
      formatMs(l.latency.p50),
      formatMs(l.latency.p99),
      formatMs(l.latency.max),
      (l.serverCpuS / (l.seconds + 3)).toFixed(2),
      (l.generatorCpuS / (l.seconds + 3)).toFixed(2),
    ]),
  );
}

export function renderMqttRun(run: MqttRun, machine: MachineInfo): string {
  const o = run.options;
  const negotiated = (door: DoorName) => run.connectRounds.find((r) => r.door === door && r.negotiated)?.negotiated;
  const parts = [
    `## Device door (MQTT)${o.replicas === 2 ? ', two replicas' : ''} — ${o.quick ? 'quick run (smoke test, not representative)' : 'full run'} — ${run.startedAt.toISOString()}`,
    '',
    `- Command: \`${run.command}\` (${Math.round(run.durationS)} s)`,
    `- Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB.toFixed(1)} GiB RAM, Linux ${machine.kernel}; Node ${machine.node}, OpenSSL ${machine.openssl}; open-file limit ${count(openFileLimit().files)}`,
    `- fleetca: ${o.replicas === 2 ? 'two `fleetca serve` on one PostgreSQL schema with `--cluster`' : 'one `fleetca serve`, SQLite'}, default settings and \`--log-level warn\` (connection guard defaults: \`--max-connections\` = open-file limit less 5 %), devices authorized by policies (one allow-all policy attached to each certificate)`,
    run.mosquittoVersion
      ? `- Mosquitto ${run.mosquittoVersion}: \`require_certificate true\`, \`cafile\` = \`fleetca ca export\`, no ACL, \`max_connections -1\`, persistence off; its server certificate a self-signed ECDSA P-256 one (openssl), the key type fleetca's door serves clients that prefer ECDSA`
      : '- Mosquitto: not run',
    `- TLS as negotiated: fleetca ${negotiated('fleetca') ?? '—'}; Mosquitto ${negotiated('mosquitto') ?? '—'}`,
    `- Load generator: ${o.workers} forked processes, raw \`tls.connect\` + \`mqtt-packet\` (MQTT 3.1.1, clean session, keep alive 1200 s), ${o.concurrency} handshakes in flight in all, source addresses 127.0.0.2–33; no TLS session resumption (every connect a full handshake); the same machine's 2 cores as the server (its CPU is in the tables)`,
    `- Devices: ${count(run.fixture.devices)} ACTIVE certificates of one account, each its own, over 8 shared P-256 keys (CreateCertificateFromCsr + AttachPolicy over REST, cached by data directory; ${run.fixture.issued > 0 ? `${count(run.fixture.issued)} issued this run in ${run.fixture.issuedS.toFixed(0)} s` : 'all from the cache this run'})`,
    ...run.notes.map((note) => `- ${note}`),
    '',
    '### Connect rate',
    '',
    `- ${count(o.rateConnects)} devices connect per round, then disconnect; ${o.rounds} round(s) per server, alternating, the first server changing each round. Connects/s = admitted ÷ (first attempt → last CONNACK). Latency is tls.connect → CONNACK.`,
    '',
    connectTable(run.connectRounds),
    '',
    '### Connections held',
    '',
    `- ${count(o.connections)} devices connect (${o.concurrency} in flight) and stay connected; RSS (VmRSS of the server process) read before the first and ${o.quick ? 2 : 10} s after the last.`,
    '',
    heldTable(run),
    '',
    '### Publish → deliver latency',
    '',
    `- With the connections above still held. Fan-in: every held device publishes in turn on \`bench/in/<client id>\`, one subscriber of \`bench/in/#\` receives all. Fan-out: one device publishes on \`bench/out\`, ${o.fanOutSubscribers} subscribers each receive every message (the publisher sends deliveries/s ÷ ${o.fanOutSubscribers}).${o.replicas === 2 ? ' Publishers on replica A, subscribers on replica B.' : ''}`,
    `- Open loop, ${o.latencySeconds} s per run after 2 s of warm-up at the same rate (not counted); latency from the send time in the payload (epoch ms, float64) to arrival, same machine clock; subscribers at the publish's QoS; deliveries missing 3 s after the last publish count as lost. Server and generator cores over the run and its 3 s drain.`,
    '',
    latencyTable(run),
    '',
  ];
  if (run.provisioning) {
    const p = run.provisioning;
    parts.push(
      '### Fleet provisioning at once',
      '',
      `- ${count(p.devices)} devices connect at once with one provisioning claim (each its own client id), subscribe to the answers, publish \`$aws/certificates/create/json\` then \`$aws/provisioning-templates/NAME/provision/json\`; a \`Throttled\` answer is retried after an exponential backoff with full jitter (base 250 ms, cap 8 s), for up to two minutes per request.`,
      '',
      table(
        [
          'devices',
          'provisioned',
          'failed',
          'seconds until all done',
          'Throttled answers',
          'devices throttled',
          'per device p50 s',
          'per device p99 s',
        ],
        [
          [
            count(p.devices),
            count(p.done),
            String(p.failed),
            p.elapsedS.toFixed(1),
            count(p.throttled),
            count(p.devicesThrottled),
            (p.perDevice.p50 / 1000).toFixed(2),
            (p.perDevice.p99 / 1000).toFixed(2),
          ],
        ],
      ),
      '',
    );
    if (p.firstFailure) parts.push(`- First failure: ${p.firstFailure}`, '');
  }
  const checks = targets(run);
  parts.push(
    '### Targets',
    '',
    table(
      ['target', 'measured', 'result'],
      checks.map((t) => [
        t.description,
        t.measured,
        t.pass === undefined ? 'NOT MEASURED' : t.pass ? 'PASS' : '**FAIL**',
      ]),
    ),
    '',
  );
  return parts.join('\n');
}
