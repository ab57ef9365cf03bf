import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { startServer } from '../helpers/fleetca-server.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';

const note = (dir: unknown) =>
  `fleetca: created a new CA and registry in ${dir} (first use); \`fleetca ca export\` prints its chain\n`;

test('the first command says once, on stderr, that it made the data directory; stdout is unchanged', async () => {
  const env = cliEnv(await tempHome());
  const first = await runCli(['iot', 'list-certificates'], env);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stderr, note(env.FLEETCA_HOME));
  const second = await runCli(['iot', 'list-certificates'], env);
  assert.equal(second.code, 0, second.stderr);
  assert.equal(second.stderr, '', 'only the run that made it says so');
  assert.equal(first.stdout, second.stdout);
  assert.equal(first.stdout, '{\n    "certificates": []\n}\n');
});

test('with the registry elsewhere, the note names only the CA', async () => {
  const home = await tempHome();
  const file = join(home, 'elsewhere.db');
  const env = cliEnv(home, { FLEETCA_STORE: `sqlite:${file}` });
  const first = await runCli(['admin', 'list-accounts'], env);
  assert.equal(first.code, 0, first.stderr);
  // The explicit file is new too, and made by this run: both are told.
  assert.equal(
    first.stderr,
    `fleetca: created a new CA in ${env.FLEETCA_HOME} (first use); \`fleetca ca export\` prints its chain\n` +
      `fleetca: created a new, empty registry ${file}\n`,
  );
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  await assert.rejects(stat(join(String(env.FLEETCA_HOME), 'registry.db')), { code: 'ENOENT' });
});

test('fleetca serve logs the note at info level when it makes the data directory', async () => {
  const env = cliEnv(await tempHome());
  const server = await startServer(env, ['--no-mqtt', '--key-pool-size', '0']);
  try {
    const lines = server
      .logs()
      .split('\n')
      .filter((line) => line.includes('first use'))
      .map((line) => JSON.parse(line) as { level: string; msg: string });
    assert.deepEqual(
      lines.map((line) => [line.level, line.msg]),
      [['info', note(env.FLEETCA_HOME).replace(/^fleetca: |\n$/g, '')]],
    );
  } finally {
    await server.stop();
  }
});
