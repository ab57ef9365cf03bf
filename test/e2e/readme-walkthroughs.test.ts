/**
 * The README's walkthroughs, run as a new user would copy them: every fenced block marked
 * `<!-- walkthrough: NAME -->` is run, in order, by one bash (`set -euo pipefail`) per walkthrough; a block marked
 * `<!-- walkthrough: NAME file=PATH -->` is saved as that file instead. The shell starts in a scratch directory
 * that looks like an installed checkout (bin/, dist/, node_modules/ linked from this one), with `fleetca` on the
 * PATH as `npm link` puts it and a HOME of its own. Only three things differ from copying by hand, all of them
 * because this runs inside the test suite: `npm ci && ` is dropped (the checkout is installed already), and the
 * ports 8080 and 8883 are replaced by free ones so that parallel tests do not collide.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { freePort } from '../helpers/free-port.js';
import { FLEETCA_BIN, REPO_ROOT } from '../helpers/run-cli.js';

interface Block {
  readonly file?: string;
  readonly code: string;
}

/** The walkthroughs of the README, by name, blocks in document order. */
function walkthroughs(readme: string): Map<string, Block[]> {
  const found = new Map<string, Block[]>();
  const marked = /<!-- walkthrough: ([\w-]+)(?: file=(\S+))? -->\n```\w*\n([\s\S]*?)\n```/g;
  for (const [, name, file, code] of readme.matchAll(marked)) {
    if (!name || code === undefined) continue;
    const blocks = found.get(name) ?? [];
    blocks.push(file ? { file, code } : { code });
    found.set(name, blocks);
  }
  return found;
}

interface Outcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly workspace: string;
}

const scratch: string[] = [];
after(async () => {
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

async function runWalkthrough(blocks: readonly Block[]): Promise<Outcome> {
  const root = await mkdtemp(join(tmpdir(), 'fleetca-readme-'));
  scratch.push(root);
  const workspace = join(root, 'checkout');
  const home = join(root, 'home');
  const shims = join(root, 'shims');
  for (const dir of [workspace, home, shims]) mkdirSync(dir);
  for (const entry of ['bin', 'dist', 'node_modules', 'package.json']) {
    symlinkSync(join(REPO_ROOT, entry), join(workspace, entry));
  }
  symlinkSync(FLEETCA_BIN, join(shims, 'fleetca'));
  // `fleetca` and `./bin/fleetca.js` start with `#!/usr/bin/env node`: on the Node running this suite, whatever
  // else is on the PATH (tools/test-on-node.mjs runs it on other lines).
  symlinkSync(process.execPath, join(shims, 'node'));

  const ports = { '8080': String(await freePort()), '8883': String(await freePort()) };
  const adapt = (code: string) =>
    code.replace(/^npm ci && /m, '').replace(/\b(8080|8883)\b/g, (port) => ports[port as keyof typeof ports]);

  const script: string[] = ['set -euo pipefail'];
  for (const block of blocks) {
    if (block.file) {
      mkdirSync(dirname(join(workspace, block.file)), { recursive: true });
      writeFileSync(join(workspace, block.file), `${adapt(block.code)}\n`);
    } else {
      script.push(adapt(block.code));
    }
  }

  const env: NodeJS.ProcessEnv = {
    PATH: `${shims}:${process.env.PATH}`,
    HOME: home,
    TZ: 'UTC',
    // The README's server walkthrough exports this itself; it is set here too so that no step can ever reach
    // the instance-metadata address, whatever a block forgets.
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const child = spawn('bash', ['-c', script.join('\n')], { cwd: workspace, env, detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // A generous bound so that a walkthrough that hangs fails instead of blocking the suite.
  const deadline = setTimeout(() => process.kill(-(child.pid ?? 0), 'SIGKILL'), 240_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(deadline);
  try {
    process.kill(-(child.pid ?? 0), 'SIGTERM'); // a server left behind by a failed step
  } catch {
    // the group is gone: nothing was left running
  }
  return { code, stdout, stderr, workspace };
}

describe('README walkthroughs, run as copied', () => {
  const found = walkthroughs(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8'));

  test('the README marks the walkthroughs this suite runs', () => {
    assert.deepEqual([...found.keys()].sort(), ['quick-start', 'server']);
  });

  test('Quick start: issue a certificate into demo/ and verify it against the exported chain', async () => {
    const outcome = await runWalkthrough(found.get('quick-start') ?? []);
    assert.equal(outcome.code, 0, `stdout:\n${outcome.stdout}\nstderr:\n${outcome.stderr}`);
    const response = JSON.parse(outcome.stdout.slice(0, outcome.stdout.indexOf('\n}\n') + 2)) as {
      certificateArn: string;
      certificateId: string;
    };
    assert.match(response.certificateArn, /^arn:aws:iot:us-east-1:000000000000:cert\/[0-9a-f]{64}$/);
    assert.match(outcome.stdout, /^demo\/cert\.pem: OK$/m);
    for (const file of ['cert.pem', 'public.key', 'private.key']) {
      assert.equal(statSync(join(outcome.workspace, 'demo', file)).mode & 0o777, 0o600, file);
    }
    assert.match(outcome.stderr, /created/i, 'the first use says that a CA was created');
  });

  test('the server, its AWS clients, and a device provisioned by claim with the Device SDK', async () => {
    const outcome = await runWalkthrough(found.get('server') ?? []);
    assert.equal(outcome.code, 0, `stdout:\n${outcome.stdout}\nstderr:\n${outcome.stderr}`);
    const counts = outcome.stdout.match(/^3$/gm) ?? [];
    assert.equal(
      counts.length,
      3,
      'the aws CLI, fleetca in remote mode and fleetca locally each count three certificates',
    );
    assert.match(outcome.stdout, /thingName: 'sensor-0042'/);
    assert.match(outcome.stdout, /telemetryTopic: 'sensors\/0042'/);
    assert.match(outcome.stdout, /"thingName": "sensor-0042"/, 'describe-thing shows the provisioned thing');
    assert.match(outcome.stdout, /"principals": \[\s*"arn:aws:iot:us-east-1:111122223333:cert\/[0-9a-f]{64}"/);
    // The policies walkthrough: the template's policy attached, its Publish statement confining the device.
    assert.match(outcome.stdout, /\[\s*"sensor-policy"\s*\]/);
    assert.match(outcome.stdout, /^ALLOWED\nIMPLICIT_DENY$/m);
    assert.match(outcome.stdout, /^decision: IMPLICIT_DENY$/m);
    assert.match(outcome.stdout, /name: iot:Connection\.Thing\.Attributes\[serial\]\n\s+value: '0042'/);
    // The revocation walkthrough: OCSP good, then on hold once INACTIVE, and the CRL file refusing it.
    assert.match(outcome.stdout, /^demo\/served-cert\.pem: good$/m);
    assert.match(outcome.stdout, /^demo\/served-cert\.pem: revoked$/m);
    assert.match(outcome.stdout, /Reason: certificateHold/);
    assert.match(outcome.stderr, /wrote CRL number \d+ \(\d+ entries/);
    assert.match(outcome.stdout, /^refused, as it should be$/m);
  });
});
