import assert from 'node:assert/strict';
import { chmod, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CA_FILES } from '../../src/ca/bootstrap.js';
import { type CliResult, cliEnv, initialisedHome, runCli, tempHome } from '../helpers/run-cli.js';

function assertRefused(run: CliResult, pattern: RegExp): void {
  assert.equal(run.code, 255, run.stderr);
  assert.match(run.stderr, pattern);
  assert.equal(run.stdout, '');
  assert.doesNotMatch(run.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
}

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('data directory and CA key modes', () => {
  test('an initialised data directory others can enter is refused, left as it is, by iot, admin, ca and serve', async () => {
    const env = cliEnv(await initialisedHome('fleetca-mode-'));
    const dataDir = env.FLEETCA_HOME as string;
    for (const mode of [0o755, 0o750, 0o701]) {
      await chmod(dataDir, mode);
      const before = await readdir(dataDir);
      for (const args of [
        ['iot', 'list-certificates'],
        ['admin', 'list-accounts'],
        ['ca', 'export'],
        ['serve', '--port', '0', '--no-mqtt', '--key-pool-size', '0'],
      ]) {
        assertRefused(
          await runCli(args, env),
          new RegExp(
            `data directory ${escaped(dataDir)} has mode ${`0${mode.toString(8)}`}, which gives other users access to its CA and registry \\(fleetca does not change it: check first that nothing was copied\\); restrict it with: chmod 700 ${escaped(dataDir)}\\n$`,
          ),
        );
      }
      assert.equal(await modeOf(dataDir), mode, 'the mode is left for the operator to judge');
      assert.deepEqual(await readdir(dataDir), before);
    }
    await chmod(dataDir, 0o700);
    assert.equal((await runCli(['iot', 'list-certificates'], env)).code, 0, 'and it works once fixed');
  });

  test('a new, empty data directory made with a loose mode is tightened to 0700 on first use', async () => {
    const env = cliEnv(await tempHome('fleetca-mode-new-'));
    const dataDir = env.FLEETCA_HOME as string;
    await mkdir(dataDir, { mode: 0o755 });
    await chmod(dataDir, 0o775);
    const first = await runCli(['iot', 'list-certificates'], env);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(await modeOf(dataDir), 0o700);
    assert.equal(await modeOf(join(dataDir, 'ca')), 0o700);
  });

  test('a foreign directory with a loose mode is refused as foreign, and its mode is not touched', async () => {
    const env = cliEnv(await tempHome('fleetca-mode-foreign-'));
    const dataDir = env.FLEETCA_HOME as string;
    await mkdir(dataDir, { mode: 0o755 });
    await chmod(dataDir, 0o755);
    await writeFile(join(dataDir, 'notes.txt'), 'not fleetca');
    assertRefused(await runCli(['iot', 'list-certificates'], env), /is not a fleetca data directory/);
    assert.equal(await modeOf(dataDir), 0o755);
  });

  test('CA key files others can read are refused, plain or encrypted', async () => {
    const env = cliEnv(await initialisedHome('fleetca-mode-keys-'), { FLEETCA_CA_PASSPHRASE: 'a passphrase' });
    const caDir = join(env.FLEETCA_HOME as string, 'ca');
    for (const encrypted of [false, true]) {
      if (encrypted) assert.equal((await runCli(['ca', 'protect'], env)).code, 0);
      for (const name of [CA_FILES.issuingKey, CA_FILES.rootKey]) {
        const key = join(caDir, name);
        for (const mode of [0o644, 0o640, 0o604]) {
          await chmod(key, mode);
          assertRefused(
            await runCli(['iot', 'list-certificates'], env),
            new RegExp(`CA private key ${escaped(key)} has mode 0${mode.toString(8)}.*chmod 600 ${escaped(key)}`),
          );
        }
        await chmod(key, 0o600);
      }
      assert.equal((await runCli(['iot', 'list-certificates'], env)).code, 0);
    }
  });
});
