import { connect, type IClientOptions, type MqttClient, type Packet } from 'mqtt';
import { EVENTUALLY_MS } from './eventually.js';

/** TLS material of one device: its certificate and key (PEM), and the chain that verifies fleetca's endpoint. */
export interface DeviceIdentity {
  readonly certificatePem: string;
  readonly privateKey: string;
}

export interface ConnectOutcome {
  /** The client, connected; undefined when the server closed the connection without CONNACK or refused it. */
  readonly client?: MqttClient;
  /** The CONNACK that admitted it (MQTT 5: with its properties). */
  readonly connack?: Packet;
  /** CONNACK's return code when the server sent one that refused. */
  readonly refusedWith?: number;
  /** The connection closed before any CONNACK. */
  readonly closedWithoutConnack: boolean;
}

/** MQTT.js options for fleetca's device endpoint on 127.0.0.1 (server certificate name: localhost). */
export function deviceOptions(
  port: number,
  chain: string,
  device: DeviceIdentity,
  extra: IClientOptions = {},
): IClientOptions {
  return {
    host: '127.0.0.1',
    port,
    protocol: 'mqtts',
    servername: 'localhost',
    ca: chain,
    cert: device.certificatePem,
    key: device.privateKey,
    ALPNProtocols: ['x-amzn-mqtt-ca'],
    reconnectPeriod: 0,
    connectTimeout: 5_000,
    clientId: `device-${Math.random().toString(16).slice(2)}`,
    ...extra,
  };
}

/** Connects and reports how the server answered, without retrying. */
export function tryConnect(options: IClientOptions): Promise<ConnectOutcome> {
  return new Promise((resolve) => {
    const client = connect(options);
    let settled = false;
    const settle = (outcome: ConnectOutcome) => {
      if (settled) return;
      settled = true;
      if (!outcome.client) client.end(true);
      resolve(outcome);
    };
    client.once('connect', (connack) => settle({ client, connack, closedWithoutConnack: false }));
    client.on('error', (err: Error & { code?: number }) => {
      if (typeof err.code === 'number') settle({ refusedWith: err.code, closedWithoutConnack: false });
    });
    client.once('close', () => settle({ closedWithoutConnack: true }));
  });
}

/** Resolves with the time (epoch ms) at which the client's connection closed. */
export function closedAt(client: MqttClient): Promise<number> {
  return new Promise((resolve) => client.once('close', () => resolve(Date.now())));
}

/** The return codes of the SUBACK that answers subscribing to `filters` (128 = refused). */
export function subscribeCodes(client: MqttClient, filters: readonly string[]): Promise<number[]> {
  return new Promise((resolve) => {
    const onPacket = (packet: Packet) => {
      if (packet.cmd !== 'suback') return;
      client.off('packetreceive', onPacket);
      resolve(packet.granted.map((g) => (typeof g === 'number' ? g : (g as { qos: number }).qos)));
    };
    client.on('packetreceive', onPacket);
    client.subscribe([...filters], () => {});
  });
}

/** The next message on `topic`. */
export function nextMessage(client: MqttClient, topic: string, timeoutMs = EVENTUALLY_MS): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no message on ${topic} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (received: string, payload: Buffer) => {
      if (received !== topic) return;
      clearTimeout(timer);
      client.off('message', onMessage);
      resolve(payload);
    };
    client.on('message', onMessage);
  });
}
