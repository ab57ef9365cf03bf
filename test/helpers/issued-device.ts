import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli } from './run-cli.js';

/** A device certificate from `fleetca iot create-keys-and-certificate --set-as-active`, with its files. */
export interface IssuedDevice {
  readonly id: string;
  readonly certFile: string;
  readonly keyFile: string;
}

/** Issues one ACTIVE device certificate locally, its PEM and key written to `dir` as NAME.pem and NAME.key. */
export async function issueDevice(env: NodeJS.ProcessEnv, dir: string, name: string): Promise<IssuedDevice> {
  const certFile = join(dir, `${name}.pem`);
  const keyFile = join(dir, `${name}.key`);
  const run = await runCli(
    [
      'iot',
      'create-keys-and-certificate',
      '--set-as-active',
      '--certificate-pem-outfile',
      certFile,
      '--private-key-outfile',
      keyFile,
    ],
    env,
  );
  assert.equal(run.code, 0, `create-keys-and-certificate: ${run.stderr}`);
  return { id: JSON.parse(run.stdout).certificateId, certFile, keyFile };
}
