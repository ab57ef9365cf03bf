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

/** Enough keys that generating them on the server's two threads spans many probe rounds. */
const KEYS = 16;

let server: RunningServer;
let iot: IoTClient;

before(async () => {
  const env = cliEnv(await tempHome('fleetca-stall-'));
  server = await startServer(env, ['--key-pool-size', '0']);
  const { accessKeyId, secretAccessKey } = await createAccount(env);
  iot = new IoTClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey } });
});

after(async () => {
  iot.destroy();
  assert.equal(await server.stop(), 0);
});

test('describe, list and health keep answering while keys are generated', async (t) => {
  const { certificateId } = await iot.send(new CreateKeysAndCertificateCommand({}));
  // What the server answered, in order: a probe round ('probe') or a created certificate ('key').
  const answered: ('probe' | 'key')[] = [];
  let generating = true;

  // No key pool (see before): every one of these keys is generated while its request waits.
  const issuing = Promise.all(
    Array.from({ length: KEYS }, () =>
      iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true })).then(() => answered.push('key')),
    ),
  ).finally(() => {
    generating = false;
  });

  const probing = (async () => {
    while (generating) {
      await Promise.all([
        iot.send(new DescribeCertificateCommand({ certificateId })),
        iot.send(new ListCertificatesCommand({ pageSize: 5 })),
        fetch(`${server.url}/_fleetca/health`).then((res) => res.text()),
      ]);
      answered.push('probe');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();

  await issuing;
  await probing;
  assert.equal(answered.filter((a) => a === 'key').length, KEYS);
  // Keys generated in the event loop would be made back to back, each holding every request behind it: probes
  // would wait for the last key. How fast probes are answered under load is bench/'s "probe" rows.
  const lastKey = answered.lastIndexOf('key');
  const whileGenerating = answered.slice(0, lastKey).filter((a) => a === 'probe').length;
  const betweenKeys = answered.slice(answered.indexOf('key'), lastKey).filter((a) => a === 'probe').length;
  t.diagnostic(`${whileGenerating} probe rounds answered while keys were generated, ${betweenKeys} between keys`);
  assert.ok(whileGenerating >= 5, `only ${whileGenerating} probe rounds answered while keys were generated`);
  assert.ok(betweenKeys >= 1, 'no probe round answered between the first and the last key');
});
