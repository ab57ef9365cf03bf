/**
 * The device endpoint's metrics on the real `fleetca serve`: connections admitted and refused (by reason), the
 * live-connection gauge, PUBLISH traffic both ways and fleet-provisioning outcomes, each read before and after.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CreateKeysAndCertificateCommand, type IoTClient } from '@aws-sdk/client-iot';
import { eventually } from '../helpers/eventually.js';
import {
  createClaim,
  createFleetTemplate,
  decodeAnswer,
  encodeRequest,
  ProvisioningConnection,
  topics,
} from '../helpers/fleet-provisioning.js';
import { createAccount, iotClientFor, type RunningServer, startServer } from '../helpers/fleetca-server.js';
import { deviceOptions, tryConnect } from '../helpers/mqtt-devices.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';
import { scrapeMetrics } from '../helpers/scrape-metrics.js';

const TEMPLATE = 'MetricsTemplate';
let server: RunningServer;
let rest: IoTClient;
let chain: string;

before(async () => {
  const env = cliEnv(await tempHome('fleetca-mqtt-metrics-'));
  server = await startServer(env);
  rest = iotClientFor(server, await createAccount(env, '123456789012'), 'us-east-1');
  const exported = await runCli(['ca', 'export'], env);
  assert.equal(exported.code, 0, exported.stderr);
  chain = exported.stdout;
  await createFleetTemplate(rest, TEMPLATE);
});

after(async () => {
  rest?.destroy();
  if (server) assert.equal(await server.stop(), 0, server.logs().slice(-4000));
});

test('connections, refusals, messages and provisioning outcomes are counted', async () => {
  const port = server.mqttPort as number;
  const inactive = await rest.send(new CreateKeysAndCertificateCommand({ setAsActive: false }));
  const claim = await createClaim(rest, TEMPLATE);
  const before = await scrapeMetrics(server.url);
  assert.equal(before('fleetca_mqtt_connections'), 0);

  const refused = await tryConnect(
    deviceOptions(port, chain, {
      certificatePem: inactive.certificatePem as string,
      privateKey: inactive.keyPair?.PrivateKey as string,
    }),
  );
  assert.equal(refused.client, undefined, 'an INACTIVE certificate is refused');

  const device = await ProvisioningConnection.connect(port, chain, claim);
  try {
    await device.subscribeAnswers(topics.create('json'));
    await device.subscribeAnswers(topics.registerThing(TEMPLATE, 'json'));
    const accepted = await device.request(topics.create('json'), encodeRequest('json', {}));
    assert.equal(accepted.outcome, 'accepted');
    const rejected = await device.request(
      topics.registerThing(TEMPLATE, 'json'),
      encodeRequest('json', { certificateOwnershipToken: 'not-a-token', parameters: {} }),
    );
    assert.equal(rejected.outcome, 'rejected');
    const errorCode = String(decodeAnswer('json', rejected.payload).errorCode);

    const during = await scrapeMetrics(server.url);
    const moved = (name: string, labels?: Record<string, string>) => during(name, labels) - before(name, labels);
    assert.equal(during('fleetca_mqtt_connections'), 1);
    assert.equal(moved('fleetca_mqtt_connections_accepted_total'), 1);
    assert.equal(moved('fleetca_mqtt_connections_refused_total', { reason: 'not_active' }), 1);
    assert.equal(moved('fleetca_mqtt_messages_total', { direction: 'in' }), 2, 'two requests published');
    assert.equal(moved('fleetca_mqtt_messages_total', { direction: 'out' }), 2, 'two answers delivered');
    const provisioning = { request: 'CreateKeysAndCertificate', outcome: 'accepted' };
    assert.equal(moved('fleetca_provisioning_requests_total', provisioning), 1);
    const rejection = { request: 'RegisterThing', outcome: 'rejected', error_code: errorCode };
    assert.equal(moved('fleetca_provisioning_requests_total', rejection), 1, `rejected with ${errorCode}`);
  } finally {
    await device.end();
  }
  await eventually(
    'the connection gauge back at 0',
    async () => (await scrapeMetrics(server.url))('fleetca_mqtt_connections') === 0,
  );
});
