import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CreateKeysAndCertificateCommand,
  DescribeCertificateCommand,
  IoTClient,
  ListCertificatesCommand,
} from '@aws-sdk/client-iot';
import { createAccount, type RunningServer, startServer } from '../helpers/fleetca-server.js';
import { cliEnv, tempHome } from '../helpers/run-cli.js';

const KEYS = 16;

let server: RunningServer;
let iot: IoTClient;

before(async () => {
  const env = cliEnv(await tempHome('fleetca-stall-'));
  server = await startServer(env);
  const { accessKeyId, secretAccessKey } = await createAccount(env);
  iot = new IoTClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey } });
});

after(async () => {
  iot.destroy();
  assert.equal(await server.stop(), 0);
});

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;
}

test('describe, list and health keep answering in milliseconds while keys are generated', async (t) => {
  const { certificateId } = await iot.send(new CreateKeysAndCertificateCommand({}));
  const latencies: number[] = [];
  let generating = true;

  // Enough keys for about 20 probes, so that p90 is not simply the slowest probe on a machine shared with other tests.
  const issuing = Promise.all(
    Array.from({ length: KEYS }, () => iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }))),
  ).finally(() => {
    generating = false;
  });

  const probing = (async () => {
    while (generating) {
      const started = performance.now();
      await Promise.all([
        iot.send(new DescribeCertificateCommand({ certificateId })),
        iot.send(new ListCertificatesCommand({ pageSize: 5 })),
        fetch(`${server.url}/_fleetca/health`).then((res) => res.text()),
      ]);
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();

  const issued = await issuing;
  await probing;
  assert.equal(issued.length, KEYS);
  assert.ok(latencies.length >= 5, `probed ${latencies.length} times during key generation`);
  // Key generation in the event loop would hold each probe for 50–700 ms behind a key.
  const p50 = percentile(latencies, 50);
  const p90 = percentile(latencies, 90);
  t.diagnostic(`${latencies.length} probes: p50 ${p50.toFixed(1)} ms, p90 ${p90.toFixed(1)} ms`);
  assert.ok(p50 < 50, `p50 ${p50.toFixed(1)} ms`);
  assert.ok(p90 < 120, `p90 ${p90.toFixed(1)} ms`);
});
