/**
 * A JITR activator, run as its own process as a fleet's would be (the Lambda behind AWS's registered event): it
 * connects as a device, subscribes to `$aws/events/certificates/registered/+`, and for each event attaches a
 * policy and activates the certificate (UpdateCertificate ACTIVE) over REST with the AWS SDK. It prints `subscribed`
 * once its SUBACK came, then one JSON line per event it handled (the event as received).
 *
 * Environment: FLEETCA_URL, MQTT_PORT, CHAIN_FILE, CERT_FILE, KEY_FILE, POLICY_NAME, AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, AWS_REGION.
 */
import { readFileSync } from 'node:fs';
import { AttachPolicyCommand, IoTClient, UpdateCertificateCommand } from '@aws-sdk/client-iot';
import { connect } from 'mqtt';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

const iot = new IoTClient({
  endpoint: env('FLEETCA_URL'),
  region: env('AWS_REGION'),
  credentials: { accessKeyId: env('AWS_ACCESS_KEY_ID'), secretAccessKey: env('AWS_SECRET_ACCESS_KEY') },
  maxAttempts: 1,
});
const client = connect({
  host: '127.0.0.1',
  port: Number(env('MQTT_PORT')),
  protocol: 'mqtts',
  servername: 'localhost',
  ca: readFileSync(env('CHAIN_FILE'), 'utf8'),
  cert: readFileSync(env('CERT_FILE'), 'utf8'),
  key: readFileSync(env('KEY_FILE'), 'utf8'),
  clientId: `jitr-activator-${process.pid}`,
  reconnectPeriod: 0,
});

client.on('connect', () => {
  client.subscribe('$aws/events/certificates/registered/+', { qos: 1 }, (err, granted) => {
    if (err || granted?.[0]?.qos === 128) {
      process.stderr.write(`subscription refused: ${err?.message ?? 'SUBACK 128'}\n`);
      process.exit(2);
    }
    process.stdout.write('subscribed\n');
  });
});
client.on('message', (_topic, payload) => {
  const event = JSON.parse(payload.toString()) as { certificateId: string; awsAccountId: string };
  void (async () => {
    // The policy first: the device may connect as soon as the certificate is ACTIVE.
    const arn = `arn:aws:iot:${env('AWS_REGION')}:${event.awsAccountId}:cert/${event.certificateId}`;
    await iot.send(new AttachPolicyCommand({ policyName: env('POLICY_NAME'), target: arn }));
    await iot.send(new UpdateCertificateCommand({ certificateId: event.certificateId, newStatus: 'ACTIVE' }));
    process.stdout.write(`${JSON.stringify({ topic: _topic, ...event })}\n`);
  })().catch((err: Error) => process.stderr.write(`activation failed: ${err.name}: ${err.message}\n`));
});
client.on('close', () => process.exit(0));
process.on('SIGTERM', () => client.end(true, () => process.exit(0)));
