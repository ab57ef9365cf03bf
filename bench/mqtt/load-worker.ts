/**
 * A load-generator worker (forked by load-generator.ts): holds its share of the device connections in named
 * groups and carries out the parent's orders one at a time, answering each with a reply and its CPU so far.
 */

import { readFileSync } from 'node:fs';
import { createSecureContext, type SecureContext } from 'node:tls';
import { DeviceLink } from './device-link.js';
import { type Endpoint, type Envelope, epochMs, type FixtureFile, type Order, type Reply } from './protocol.js';

const groups = new Map<string, DeviceLink[]>();
const deliveries = new Map<string, { latencies: number[]; foreign: number }>();
const fixtures = new Map<string, FixtureFile>();

function fixture(file: string): FixtureFile {
  let loaded = fixtures.get(file);
  if (!loaded) {
    loaded = JSON.parse(readFileSync(file, 'utf8')) as FixtureFile;
    fixtures.set(file, loaded);
  }
  return loaded;
}

function cpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/** Every device's TLS context, made before the timed part (parsing PEM is the client's cost, not the server's). */
function contexts(order: Extract<Order, { op: 'prepare' }>): SecureContext[] {
  const file = fixture(order.devices.file);
  return Array.from({ length: order.devices.count }, (_, i) => {
    const device = file.devices[order.devices.from + i];
    if (!device) throw new Error(`the fixture has no device ${order.devices.from + i}`);
    return createSecureContext({
      ca: order.endpoint.ca,
      cert: device.certificatePem,
      key: file.keys[device.key] as string,
    });
  });
}

type Prepared = { readonly order: Extract<Order, { op: 'prepare' }>; readonly contexts: SecureContext[] };
const preparedGroups = new Map<string, Prepared>();

async function connectGroup(group: string): Promise<Reply> {
  const ready = preparedGroups.get(group);
  if (!ready) throw new Error(`group ${group} was not prepared`);
  preparedGroups.delete(group);
  const { order, contexts: prepared } = ready;
  const links = groups.get(order.group) ?? [];
  groups.set(order.group, links);
  const latenciesMs: number[] = [];
  let ok = 0;
  let refused = 0;
  let failed = 0;
  let firstError: string | undefined;
  let negotiated: string | undefined;
  let next = 0;
  const startedAt = epochMs();
  let endedAt = startedAt;
  const one = async (index: number, endpoint: Endpoint) => {
    const began = performance.now();
    try {
      const { link, returnCode } = await DeviceLink.open(
        {
          port: endpoint.port,
          servername: endpoint.servername,
          context: prepared[index] as SecureContext,
          localAddress: order.sourceAddresses[index % order.sourceAddresses.length] as string,
        },
        `${order.clientIdPrefix}${order.devices.from + index}`,
        order.keepAliveS,
        order.timeoutMs,
      );
      if (returnCode === 0) {
        ok++;
        latenciesMs.push(performance.now() - began);
        endedAt = epochMs();
        negotiated ??= link.negotiated();
        links.push(link);
      } else {
        refused++;
        firstError ??= `CONNACK return code ${returnCode}`;
        void link.close();
      }
    } catch (err) {
      failed++;
      firstError ??= (err as Error).message;
    }
  };
  const lane = async () => {
    while (next < prepared.length) await one(next++, order.endpoint);
  };
  await Promise.all(Array.from({ length: Math.max(1, order.concurrency) }, lane));
  return { op: 'connect', ok, refused, failed, firstError, startedAt, endedAt, latenciesMs, negotiated };
}

async function subscribeGroup(order: Extract<Order, { op: 'subscribe' }>): Promise<Reply> {
  const links = groups.get(order.group) ?? [];
  deliveries.set(order.group, { latencies: [], foreign: 0 });
  let ok = 0;
  let failed = 0;
  let firstError: string | undefined;
  await Promise.all(
    links.map(async (link) => {
      link.onDelivery = (latency) => {
        const record = deliveries.get(order.group);
        if (!record) return;
        if (Number.isNaN(latency)) record.foreign++;
        else record.latencies.push(latency);
      };
      const granted = await link.subscribe(order.filter, order.qos);
      if (granted[0] === order.qos) ok++;
      else {
        failed++;
        firstError ??= `SUBACK granted ${granted.join(',')}`;
      }
    }),
  );
  return { op: 'subscribe', ok, failed, firstError };
}

/**
 * Open loop: every 5 ms, the messages due by then are sent, the group's connections taking turns. `lateMs` is
 * how far behind schedule the sender ever fell (a generator that cannot keep up says so).
 */
async function publishFromGroup(order: Extract<Order, { op: 'publish' }>): Promise<Reply> {
  const links = (groups.get(order.group) ?? []).filter((link) => !link.isClosed);
  if (links.length === 0 || order.perSecond <= 0) return { op: 'publish', sent: 0, acked: 0, lateMs: 0 };
  const total = Math.round((order.perSecond * order.durationMs) / 1000);
  let sent = 0;
  let acked = 0;
  let lateMs = 0;
  const started = performance.now();
  const topics = links.map((link) => order.topic.replace('{clientId}', link.clientId));
  const onAck = () => {
    acked++;
  };
  while (sent < total) {
    const elapsed = performance.now() - started;
    const due = Math.min(total, Math.floor((elapsed * order.perSecond) / 1000) + 1);
    lateMs = Math.max(lateMs, ((due - sent) * 1000) / order.perSecond - 5);
    for (; sent < due; sent++) {
      const at = sent % links.length;
      (links[at] as DeviceLink).publish(topics[at] as string, order.qos, sent, onAck);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  // QoS 1: the PUBACKs still on their way.
  const deadline = performance.now() + 5_000;
  while (order.qos === 1 && acked < sent && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { op: 'publish', sent, acked, lateMs: Math.max(0, lateMs) };
}

function collect(group: string): Reply {
  const record = deliveries.get(group) ?? { latencies: [], foreign: 0 };
  deliveries.set(group, { latencies: [], foreign: 0 });
  return { op: 'collect', received: record.latencies.length, latenciesMs: record.latencies, foreign: record.foreign };
}

async function closeGroup(group: string): Promise<Reply> {
  const links = groups.get(group) ?? [];
  groups.delete(group);
  deliveries.delete(group);
  await Promise.all(links.map((link) => link.close()));
  return { op: 'close', closed: links.length };
}

async function carryOut(order: Order): Promise<Reply> {
  switch (order.op) {
    case 'prepare':
      preparedGroups.set(order.group, { order, contexts: contexts(order) });
      return { op: 'prepare', prepared: order.devices.count };
    case 'connect':
      return connectGroup(order.group);
    case 'subscribe':
      return subscribeGroup(order);
    case 'publish':
      return publishFromGroup(order);
    case 'collect':
      return collect(order.group);
    case 'count':
      return { op: 'count', open: (groups.get(order.group) ?? []).filter((link) => !link.isClosed).length };
    case 'close':
      return closeGroup(order.group);
  }
}

let queue: Promise<void> = Promise.resolve();
process.on('message', (order: Order) => {
  queue = queue.then(async () => {
    try {
      const reply = await carryOut(order);
      process.send?.({ ...reply, cpuS: cpuSeconds() } satisfies Envelope);
    } catch (err) {
      process.send?.({ op: 'error', message: (err as Error).stack ?? String(err), cpuS: cpuSeconds() });
    }
  });
});
process.on('disconnect', () => process.exit(0));
