import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { type AddressInfo, createServer, type Socket, connect as tcpConnect } from 'node:net';
import type { IClientOptions, IPublishPacket, MqttClient } from 'mqtt';
import { generate, type Packet, parser } from 'mqtt-packet';
import {
  Broker,
  type BrokerConnection,
  type BrokerHooks,
  type BrokerOptions,
  type CloseReason,
  type ConnectInfo,
  type PublishRequest,
} from '../../../../src/server/mqtt/broker/broker.js';
import { EVENTUALLY_MS, eventually, settled } from '../../../helpers/eventually.js';
import { type ConnectOutcome, tryConnect } from '../../../helpers/mqtt-devices.js';
import { receivedUntil, topicsUntil } from '../../../helpers/mqtt-order.js';

export const TEST_OPTIONS: BrokerOptions = {
  // Longer than any wait in a test: a connection closed early was closed by the broker's decision, never by this.
  connectTimeoutMs: 60_000,
  maxPacketBytes: 64 * 1024,
  maxInflight: 20,
  sessionExpiryMaxSeconds: 3600,
  retainedMax: 100,
};

/** Usernames the test hooks understand. */
export const ADMITTED = 'device';
export const REFUSED_CONNACK = 'refused-connack';
export const REFUSED_CLOSE = 'refused-close';
export const UNAVAILABLE = 'unavailable';

export interface TestBroker {
  readonly broker: Broker;
  readonly port: number;
  /** Every connection the admit hook saw, with its CONNECT. */
  readonly admissions: Array<{ connection: BrokerConnection; info: ConnectInfo }>;
  /** Every PUBLISH (and will) the publish hook saw. */
  readonly publishes: PublishRequest[];
  readonly closed: BrokerConnection[];
  /** Why each closed connection ended, by connection. */
  readonly closeReasons: Map<BrokerConnection, CloseReason>;
  /** Every malformed-packet report: the connection and the rule it broke. */
  readonly malformed: Array<{ connection: BrokerConnection; reason: string }>;
  /** The server side of every open TCP connection. */
  readonly sockets: ReadonlySet<Socket>;
  /** The admitted connection whose client id is `clientId` (the latest). */
  connectionOf(clientId: string): BrokerConnection | undefined;
  stop(): Promise<void>;
}

/**
 * A broker on a plain TCP server on 127.0.0.1 with simple hooks: admitted by username ('device'); the other
 * usernames above refuse in their way. Publishing to `denied/…` is denied, to `consumed/…` consumed; subscribing
 * to `denied/…` fails with 0x87, to `qos0/…` is granted QoS 0 at most. Messages on `unreceivable/…` are never
 * delivered (the receive hook refuses), nor on `receive-throws/…` (the hook throws).
 */
export async function startBroker(options: Partial<BrokerOptions> = {}): Promise<TestBroker> {
  const admissions: TestBroker['admissions'] = [];
  const publishes: PublishRequest[] = [];
  const closed: BrokerConnection[] = [];
  const closeReasons = new Map<BrokerConnection, CloseReason>();
  const malformed: TestBroker['malformed'] = [];
  const hooks: BrokerHooks = {
    async admit(connection, info) {
      admissions.push({ connection, info });
      if (info.username === UNAVAILABLE) throw new Error('registry down');
      if (info.username === REFUSED_CONNACK) return { admitted: false, answer: 'connack' };
      // `device`, or `device@NAMESPACE#OWNER` for the namespace and session-owner tests.
      const admitted = /^device(?:@([^#]*))?(?:#(.*))?$/.exec(info.username ?? '');
      if (!admitted) return { admitted: false, answer: 'close' };
      return { admitted: true, namespace: admitted[1] ?? 'default', owner: admitted[2] ?? 'owner' };
    },
    authorizePublish(_connection, publish) {
      publishes.push(publish);
      if (publish.topic.startsWith('denied/')) return 'deny';
      if (publish.topic.startsWith('consumed/')) return 'consume';
      return 'route';
    },
    authorizeSubscribe(_connection, filter, requestedQos) {
      if (filter.startsWith('denied/')) return 0x87;
      if (filter.startsWith('qos0/')) return 0;
      return requestedQos;
    },
    authorizeReceive(_connection, topic) {
      if (topic.startsWith('receive-throws/')) throw new Error('a failing hook');
      return !topic.startsWith('unreceivable/');
    },
    closed(connection, reason) {
      closed.push(connection);
      closeReasons.set(connection, reason);
    },
    malformed(connection, reason) {
      malformed.push({ connection, reason });
    },
  };
  const broker = new Broker(hooks, { ...TEST_OPTIONS, ...options });
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    broker.handle(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    broker,
    port,
    admissions,
    publishes,
    closed,
    closeReasons,
    malformed,
    sockets,
    connectionOf: (clientId) =>
      admissions
        .map((a) => a.connection)
        .filter((c) => c.clientId === clientId && c.admitted)
        .at(-1),
    async stop() {
      await broker.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function uniqueId(prefix = 'client'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** MQTT.js options for the test broker. */
export function clientOptions(port: number, protocolVersion: 4 | 5, extra: IClientOptions = {}): IClientOptions {
  return {
    host: '127.0.0.1',
    port,
    protocolVersion,
    username: ADMITTED,
    reconnectPeriod: 0,
    connectTimeout: EVENTUALLY_MS,
    clientId: uniqueId(),
    ...extra,
  };
}

// The same connect-and-report helper the device endpoint's tests use, and the marker that ends a wait.
export { type ConnectOutcome, receivedUntil, topicsUntil, tryConnect };

/** An admitted MQTT.js client. */
export async function connectClient(
  port: number,
  protocolVersion: 4 | 5,
  extra: IClientOptions = {},
): Promise<MqttClient & { connack: Packet }> {
  const outcome = await tryConnect(clientOptions(port, protocolVersion, extra));
  if (!outcome.client || !outcome.connack) throw new Error(`not connected: ${JSON.stringify(outcome)}`);
  return Object.assign(outcome.client, { connack: outcome.connack });
}

/** The next message on `topic` (with its packet). */
export function nextMessage(
  client: MqttClient,
  topic: string,
  timeoutMs = EVENTUALLY_MS,
): Promise<{ payload: string; packet: IPublishPacket }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('message', onMessage);
      reject(new Error(`no message on ${topic} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (received: string, payload: Buffer, packet: IPublishPacket) => {
      if (received !== topic) return;
      clearTimeout(timer);
      client.off('message', onMessage);
      resolve({ payload: payload.toString(), packet });
    };
    client.on('message', onMessage);
  });
}

/** Resolves when the client's connection closes (rejects after `timeoutMs`). */
export function closeOf(client: MqttClient, timeoutMs = EVENTUALLY_MS): Promise<void> {
  const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
  return settled('client connection closed', closed, timeoutMs);
}

/** The reason code of the DISCONNECT the broker sends to an MQTT 5 client. */
export function disconnectOf(client: MqttClient, timeoutMs = EVENTUALLY_MS): Promise<number | undefined> {
  const disconnect = new Promise<number | undefined>((resolve) =>
    client.once('disconnect', (packet) => resolve(packet.reasonCode)),
  );
  return settled('a DISCONNECT', disconnect, timeoutMs);
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until `condition` holds. */
export async function until(condition: () => boolean, timeoutMs = EVENTUALLY_MS): Promise<void> {
  await eventually('condition', condition, timeoutMs);
}

/**
 * A hand-driven MQTT client on a raw socket: sends any bytes or packets, collects what the broker sends (parsed
 * for `protocolVersion`) and whether it closed.
 */
export class RawClient {
  readonly packets: Packet[] = [];
  readonly closed: Promise<void>;
  #waiters: Array<() => void> = [];
  isClosed = false;

  private constructor(
    readonly socket: Socket,
    readonly protocolVersion: 3 | 4 | 5,
  ) {
    const incoming = parser({ protocolVersion });
    incoming.on('packet', (packet) => {
      this.packets.push(packet);
      this.#notify();
    });
    socket.on('data', (chunk: Buffer) => incoming.parse(chunk));
    socket.on('error', () => {});
    this.closed = once(socket, 'close').then(() => {
      this.isClosed = true;
      this.#notify();
    });
  }

  static async open(port: number, protocolVersion: 3 | 4 | 5 = 4): Promise<RawClient> {
    const socket = tcpConnect(port, '127.0.0.1');
    await once(socket, 'connect');
    return new RawClient(socket, protocolVersion);
  }

  /** Opens a connection and sends CONNECT (admitted username by default). */
  static async connected(
    port: number,
    protocolVersion: 4 | 5,
    connect: Partial<Extract<Packet, { cmd: 'connect' }>> = {},
  ): Promise<RawClient> {
    const client = await RawClient.open(port, protocolVersion);
    client.send({
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion,
      clientId: uniqueId('raw'),
      clean: true,
      keepalive: 60,
      username: ADMITTED,
      ...connect,
    });
    return client;
  }

  send(packet: Packet): void {
    this.socket.write(generate(packet, { protocolVersion: this.protocolVersion }));
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The first packet (received so far or later) of type `cmd`. */
  async next<C extends Packet['cmd']>(cmd: C, timeoutMs = EVENTUALLY_MS): Promise<Extract<Packet, { cmd: C }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.packets.findIndex((p) => p.cmd === cmd);
      if (index >= 0) return this.packets.splice(index, 1)[0] as Extract<Packet, { cmd: C }>;
      if (this.isClosed) throw new Error(`closed before ${cmd}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${cmd} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Resolves when the broker closed the connection (rejects after `timeoutMs`). */
  waitClosed(timeoutMs = EVENTUALLY_MS): Promise<void> {
    return settled('connection closed', this.closed, timeoutMs);
  }

  destroy(): void {
    this.socket.destroy();
  }

  #notify(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}

export interface ToolResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command line tool (mosquitto_pub / mosquitto_sub), killed after `timeoutMs` (a guard against a hang). */
export function runTool(command: string, args: readonly string[], timeoutMs = EVENTUALLY_MS): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The codes of the SUBACK answering a subscription of `filters` (failure codes included). */
export function subackCodes(
  client: MqttClient,
  filters: readonly string[],
  options: { qos?: 0 | 1 | 2; nl?: boolean; rap?: boolean; rh?: number } = {},
): Promise<number[]> {
  return new Promise((resolve) => {
    const onPacket = (packet: Packet) => {
      if (packet.cmd !== 'suback') return;
      client.off('packetreceive', onPacket);
      resolve(packet.granted.map((g) => (typeof g === 'number' ? g : (g as { qos: number }).qos)));
    };
    client.on('packetreceive', onPacket);
    client.subscribe([...filters], { qos: options.qos ?? 0, ...options } as never, () => {});
  });
}
