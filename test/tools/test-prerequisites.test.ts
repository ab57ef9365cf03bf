import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { REPO_ROOT } from '../helpers/run-cli.js';

/**
 * tools/test-prerequisites.mjs, which `npm test` runs first, on a PATH that holds nothing but `sh`: it must list
 * every missing tool with the command that installs it and stop, and — run as a user who may not install —
 * must not try apt-get. Under root the script runs as `nobody` (setpriv), since root would install.
 */
let scratch: string | undefined;
after(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

test('a machine without the tools: each is named with its install command, the run stops, nothing is installed', async () => {
  scratch = await mkdtemp(join(tmpdir(), 'fleetca-prereq-'));
  chmodSync(scratch, 0o755);
  const bin = join(scratch, 'bin');
  mkdirSync(bin);
  symlinkSync('/bin/sh', join(bin, 'sh'));
  const script = join(scratch, 'test-prerequisites.mjs');
  copyFileSync(join(REPO_ROOT, 'tools', 'test-prerequisites.mjs'), script);
  chmodSync(script, 0o644);

  const asRoot = userInfo().uid === 0;
  // Looked up on this PATH: the script's own PATH holds only sh.
  const setpriv = spawnSync('sh', ['-c', 'command -v setpriv'], { encoding: 'utf8' }).stdout.trim();
  const command = asRoot ? setpriv : process.execPath;
  const args = asRoot ? ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, script] : [script];
  const result = spawnSync(command, args, { cwd: scratch, encoding: 'utf8', env: { PATH: bin, HOME: scratch } });

  assert.equal(result.status, 1, result.stderr);
  assert.equal(result.stdout, '');
  assert.doesNotMatch(result.stderr, /installing/, 'a user who may not install is not offered apt-get runs');
  for (const expected of [
    /openssl is missing: apt-get install openssl/,
    /tmux \(pager and auto-prompt tests\) is missing: apt-get install tmux/,
    /mosquitto_pub \/ mosquitto_sub \(device endpoint tests\) is missing: apt-get install mosquitto-clients/,
    /the AWS CLI v1 must come first on PATH as `aws` \(found: .*\): pip install awscli/,
    /boto3 is missing for python3: pip install boto3/,
    /PostgreSQL does not answer on 127\.0\.0\.1:5432/,
  ]) {
    assert.match(result.stderr, expected);
  }
  assert.match(result.stderr, /^test prerequisites: the test suite cannot run on this machine yet:\n/);
});
