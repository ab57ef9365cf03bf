import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliEnv, makeEcCsr, runCli, runTool, tempHome } from '../helpers/run-cli.js';

test('first use from several processes at once ends with one data directory, one CA, one registry', async () => {
  const home = await tempHome();
  const env = cliEnv(home);
  const csr = await makeEcCsr(home, 'race');

  const racers = await Promise.all(
    Array.from({ length: 4 }, () =>
      runCli(['iot', 'create-certificate-from-csr', '--certificate-signing-request', `file://${csr}`], env),
    ),
  );
  for (const run of racers) assert.equal(run.code, 0, run.stderr);
  const notes = racers.filter((run) => run.stderr !== '');
  assert.equal(notes.length, 1, 'only the process that made the directory says so');
  assert.equal(
    notes[0]?.stderr,
    `fleetca: created a new CA and registry in ${env.FLEETCA_HOME} (first use); \`fleetca ca export\` prints its chain\n`,
  );
  const ids = racers.map((run) => JSON.parse(run.stdout).certificateId as string);
  assert.equal(new Set(ids).size, 4, 'the same CSR gives a distinct certificate each time');

  const chain = await runCli(['ca', 'export'], env);
  assert.equal(chain.code, 0, chain.stderr);
  const chainFile = join(home, 'chain.pem');
  await writeFile(chainFile, chain.stdout);
  assert.equal(chain.stdout.match(/BEGIN CERTIFICATE/g)?.length, 2, 'issuing CA then root');
  for (const [i, run] of racers.entries()) {
    const certFile = join(home, `race-${i}.pem`);
    await writeFile(certFile, JSON.parse(run.stdout).certificatePem);
    const verify = await runTool('openssl', ['verify', '-CAfile', chainFile, certFile]);
    assert.equal(verify.stdout.trim(), `${certFile}: OK`, 'every racer used the one CA that survived');
  }

  const listed = await runCli(['iot', 'list-certificates'], env);
  assert.equal(listed.code, 0, listed.stderr);
  assert.deepEqual(
    JSON.parse(listed.stdout)
      .certificates.map((c: { certificateId: string }) => c.certificateId)
      .sort(),
    [...ids].sort(),
  );
  const leftovers = (await readdir(String(env.FLEETCA_HOME))).filter(
    (name) => !/^(config\.json|ca|registry\.db.*)$/.test(name),
  );
  assert.deepEqual(leftovers, [], 'no temporary files or directories are left behind');
});
