/**
 * What AWS IoT policies cost at the device door: the publish throughput of one connected device whose certificate
 * has a three-statement policy with policy variables (connect as its thing, publish/receive and subscribe on its
 * thing's topics), against the same device with `--device-authorization permissive` (no policy evaluated). Each
 * message is a QoS 1 PUBLISH on one of 1,000 topics (so decisions are not all one cached answer) that the device also
 * receives back through its own subscription: iot:Publish and iot:Receive are decided for every message.
 * Run: npm run build && node dist/bench/device-policy-throughput.js [--messages N] [--rounds N]
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connect, type MqttClient } from 'mqtt';
import { describeMachine } from './machine.js';
import { FLEETCA_BIN, fleetcaEnv, REPO_ROOT } from './servers.js';

const execFileAsync = promisify(execFile);
const argument = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const MESSAGES = argument('--messages', 20_000);
const ROUNDS = argument('--rounds', 3);
const IN_FLIGHT = 64;
const THING = 'bench-device';

// biome-ignore lint/suspicious/noTemplateCurlyInString: an AWS IoT policy variable, not a template placeholder
const THING_NAME = '${iot:Connection.Thing.ThingName}';
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 'iot:Connect', Resource: `arn:aws:iot:*:*:client/${THING_NAME}` },
    {
      Effect: 'Allow',
      Action: ['iot:Publish', 'iot:Receive'],
      Resource: `arn:aws:iot:*:*:topic/things/${THING_NAME}/*`,
    },
    {
      Effect: 'Allow',
      Action: 'iot:Subscribe',
      Resource: `arn:aws:iot:*:*:topicfilter/things/${THING_NAME}/*`,
    },
  ],
});

const workDir = await mkdtemp(join(tmpdir(), 'fleetca-policy-bench-'));
const env = fleetcaEnv(workDir);
const iot = async (...args: string[]) =>
  JSON.parse(
    (await execFileAsync(process.execPath, [FLEETCA_BIN, 'iot', ...args], { env, cwd: REPO_ROOT })).stdout || '{}',
  );

try {
  const created = await iot('create-keys-and-certificate', '--set-as-active');
  await iot('create-policy', '--policy-name', 'confined', '--policy-document', POLICY);
  await iot('attach-policy', '--policy-name', 'confined', '--target', created.certificateArn);
  await iot('create-thing', '--thing-name', THING);
  await iot('attach-thing-principal', '--thing-name', THING, '--principal', created.certificateArn);
  const chain = (await execFileAsync(process.execPath, [FLEETCA_BIN, 'ca', 'export'], { env, cwd: REPO_ROOT })).stdout;
  await writeFile(join(workDir, 'chain.pem'), chain);
  const device = { cert: created.certificatePem as string, key: created.keyPair.PrivateKey as string, ca: chain };

  const rates: Record<'permissive' | 'policies', number[]> = { permissive: [], policies: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of ['permissive', 'policies'] as const) rates[mode].push(await measure(mode, device));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  const machine = await describeMachine();
  console.log(`machine: ${machine.cpuModel} x${machine.cores}, Node ${machine.node}, ${new Date().toISOString()}`);
  console.log(`${MESSAGES} QoS 1 messages per run, ${IN_FLIGHT} in flight, each also received back; ${ROUNDS} rounds`);
  for (const mode of ['permissive', 'policies'] as const) {
    console.log(
      `  ${mode.padEnd(10)} ${rates[mode].map((r) => r.toFixed(0)).join(', ')} msg/s (median ${median(rates[mode]).toFixed(0)})`,
    );
  }
  const ratio = median(rates.policies) / median(rates.permissive);
  console.log(`  policies / permissive: ${ratio.toFixed(2)}x (target >= 0.80): ${ratio >= 0.8 ? 'PASS' : 'FAIL'}`);
} finally {
  await rm(workDir, { recursive: true, force: true });
}

/** Messages per second through one device connected to a fresh `fleetca serve` in `mode`. */
async function measure(
  mode: 'permissive' | 'policies',
  device: { cert: string; key: string; ca: string },
): Promise<number> {
  const server = spawn(
    process.execPath,
    [FLEETCA_BIN, 'serve', '--port', '0', '--mqtt-port', '0', '--key-pool-size', '0', '--device-authorization', mode],
    { env, cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      server.once('exit', (code) => reject(new Error(`fleetca serve exited with ${code}`)));
      server.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        const found = /devices connect to mqtts:\/\/[^\s]+:(\d+)\n/.exec(out)?.[1];
        if (found) resolve(Number(found));
      });
    });
    const client = connect({
      host: '127.0.0.1',
      port,
      protocol: 'mqtts',
      servername: 'localhost',
      ...device,
      clientId: THING,
      protocolVersion: 5,
      reconnectPeriod: 0,
    });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
      client.once('close', () => reject(new Error(`${mode}: connection closed`)));
    });
    client.removeAllListeners('close');
    await client.subscribeAsync(`things/${THING}/#`, { qos: 0 });
    const rate = await publishAll(client);
    await client.endAsync();
    return rate;
  } finally {
    server.kill('SIGTERM');
    await new Promise((done) => server.once('exit', done));
  }
}

async function publishAll(client: MqttClient): Promise<number> {
  let received = 0;
  client.on('message', () => received++);
  const start = process.hrtime.bigint();
  let next = 0;
  await new Promise<void>((resolve, reject) => {
    let done = 0;
    const send = () => {
      const i = next++;
      client.publish(`things/${THING}/telemetry/${i % 1000}`, `{"n":${i}}`, { qos: 1 }, (err) => {
        if (err) return reject(err);
        if (++done === MESSAGES) resolve();
        else if (next < MESSAGES) send();
      });
    };
    for (let i = 0; i < IN_FLIGHT; i++) send();
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  // QoS 0 delivery on a busy socket may drop a few; the count checks that Receive was decided, not refused.
  if (received < MESSAGES * 0.5) throw new Error(`only ${received} of ${MESSAGES} messages came back`);
  return MESSAGES / seconds;
}
