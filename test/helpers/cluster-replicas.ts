import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CreateKeysAndCertificateCommand, type IoTClient } from '@aws-sdk/client-iot';
import type { IClientOptions, MqttClient } from 'mqtt';
import { allowAll } from './device-policies.js';
import type { RunningServer } from './fleetca-server.js';
import { type DeviceIdentity, deviceOptions, tryConnect } from './mqtt-devices.js';

/** A cluster name of its own, so that test files sharing a NATS never see each other's messages. */
export function uniqueClusterName(): string {
  return `test-${randomBytes(5).toString('hex')}`;
}

/** `fleetca serve` arguments for a replica of `name` on `natsUrl`. */
export function clusterArgs(natsUrl: string, name: string): string[] {
  return ['--cluster', natsUrl, '--cluster-name', name];
}

/** An ACTIVE device certificate of `iot`'s account, allowed everything. */
export async function allowedDevice(iot: IoTClient): Promise<DeviceIdentity & { readonly certificateId: string }> {
  const created = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
  await allowAll(iot, created.certificateArn as string);
  return {
    certificateId: created.certificateId as string,
    certificatePem: created.certificatePem as string,
    privateKey: created.keyPair?.PrivateKey as string,
  };
}

/** A connected MQTT.js client on `server`'s device endpoint. */
export async function connectTo(
  server: RunningServer,
  chain: string,
  identity: DeviceIdentity,
  extra: IClientOptions = {},
): Promise<MqttClient> {
  const outcome = await tryConnect(deviceOptions(server.mqttPort as number, chain, identity, extra));
  assert.ok(outcome.client, `connected to ${server.url}`);
  return outcome.client;
}

/** The `cluster` check of `/_fleetca/health`, and the HTTP status (readiness). */
export async function clusterHealth(server: RunningServer): Promise<{ status: number; cluster: unknown }> {
  const response = await fetch(`${server.url}/_fleetca/health/ready`);
  const body = (await response.json()) as { checks: Record<string, unknown> };
  return { status: response.status, cluster: body.checks.cluster };
}

/** Resolves once both replicas say they are connected to the cluster. */
export async function clusterConnected(...servers: RunningServer[]): Promise<void> {
  for (const server of servers) assert.deepEqual((await clusterHealth(server)).cluster, { status: 'ok' });
}

/** Every message a client receives, as topic and payload text, in order. */
export function collect(client: MqttClient): Array<{ topic: string; payload: string; qos: number; retain: boolean }> {
  const received: Array<{ topic: string; payload: string; qos: number; retain: boolean }> = [];
  client.on('message', (topic, payload, packet) =>
    received.push({ topic, payload: payload.toString(), qos: packet.qos, retain: packet.retain }),
  );
  return received;
}
