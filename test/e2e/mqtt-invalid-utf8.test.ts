import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import { CreateKeysAndCertificateCommand, type IoTClient } from '@aws-sdk/client-iot';
import { generate, type Packet, parser } from 'mqtt-packet';
import { allowAll } from '../helpers/device-policies.js';
import { eventually, settled } from '../helpers/eventually.js';
import { createAccount, iotClientFor, type RunningServer, startServer } from '../helpers/fleetca-server.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';

/** The device door end to end: a device sending a topic that is not UTF-8 is cut off and logged, never routed. */

let server: RunningServer;
let iot: IoTClient;
let chain: string;

before(async () => {
  const env = cliEnv(await tempHome('fleetca-mqtt-utf8-'));
  server = await startServer(env);
  iot = iotClientFor(server, await createAccount(env, '123456789012'));
  chain = (await runCli(['ca', 'export'], env)).stdout;
});

after(async () => {
  iot.destroy();
  assert.equal(await server.stop(), 0);
});

test('MQTT 5 PUBLISH with topic bytes C3 28: DISCONNECT 0x81, one warn line with client id and remote, no payload', async () => {
  const created = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
  await allowAll(iot, created.certificateArn as string);
  const socket = tlsConnect({
    host: '127.0.0.1',
    port: server.mqttPort as number,
    servername: 'localhost',
    ca: chain,
    cert: created.certificatePem as string,
    key: created.keyPair?.PrivateKey as string,
  });
  await once(socket, 'secureConnect');
  const received: Packet[] = [];
  const incoming = parser({ protocolVersion: 5 });
  incoming.on('packet', (packet) => received.push(packet));
  socket.on('data', (chunk: Buffer) => incoming.parse(chunk));
  const closed = once(socket, 'close');
  const clientId = 'utf8-offender';
  socket.write(
    generate(
      { cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clientId, clean: true, keepalive: 60 },
      { protocolVersion: 5 },
    ),
  );
  await eventually('CONNACK', () => received.some((p) => p.cmd === 'connack'));
  // PUBLISH QoS 0, topic "a/" C3 28, payload "secret-payload".
  const payload = Buffer.from('secret-payload');
  const topic = Buffer.from([0x61, 0x2f, 0xc3, 0x28]);
  const body = Buffer.concat([Buffer.from([0x00, topic.length]), topic, Buffer.from([0x00]), payload]);
  socket.write(Buffer.concat([Buffer.from([0x30, body.length]), body]));
  await settled('the server closing the connection', closed);
  const disconnect = received.find((p) => p.cmd === 'disconnect');
  assert.equal(disconnect?.cmd === 'disconnect' ? disconnect.reasonCode : undefined, 0x81);

  await eventually('the log line', () => server.logs().includes('device connection closed: malformed packet'));
  const line = server
    .logs()
    .split('\n')
    .find((l) => l.includes('device connection closed: malformed packet')) as string;
  const entry = JSON.parse(line) as Record<string, unknown>;
  assert.equal(entry.level, 'warn');
  assert.equal(entry.clientId, clientId);
  assert.match(String(entry.remote), /127\.0\.0\.1/);
  assert.equal(entry.certificateId, created.certificateId);
  assert.equal(entry.reason, 'invalid UTF-8 string in publish');
  assert.ok(!server.logs().includes('secret-payload'), 'the payload is never logged');
});
