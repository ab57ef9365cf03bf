import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { awsClientEnv, createAccount, type RunningServer, startServer } from '../helpers/fleetca-server.js';
import { cliEnv, makeEcCsr, REPO_ROOT, run, tempHome } from '../helpers/run-cli.js';

let server: RunningServer;
let home: string;

before(async () => {
  home = await tempHome('fleetca-boto3-');
  server = await startServer(cliEnv(home));
});

after(async () => {
  assert.equal(await server.stop(), 0);
});

test('boto3 runs the whole lifecycle against fleetca serve', async () => {
  const credentials = await createAccount(cliEnv(home));
  const csr = await makeEcCsr(home, 'boto3-device');
  const script = join(REPO_ROOT, 'test', 'compat', 'boto3_lifecycle.py');
  const result = await run('python3', [script], {
    env: { ...awsClientEnv(home, credentials, 'eu-west-1'), FLEETCA_ENDPOINT: server.url, FLEETCA_CSR: csr },
  });
  assert.equal(result.code, 0, `boto3 script failed:\n${result.stderr}`);
  const summary = JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}');
  assert.ok(summary.certificates >= 6);
  assert.ok(summary.pages >= 3);
});
