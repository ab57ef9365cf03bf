import assert from 'node:assert/strict';
import { join } from 'node:path';
import { requireTool, TOOLS, type Tool } from '../helpers/required-tool.js';
import { type CliResult, run, runCli } from '../helpers/run-cli.js';

/** Environment shared by both sides: fixed credentials and region, no instance metadata, no pager, UTC. */
export function parityEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    FLEETCA_HOME: join(home, 'fleetca'),
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(home, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'aws-credentials'),
    AWS_PAGER: '',
    TZ: 'UTC',
    LC_ALL: 'C.UTF-8',
    ...extra,
  };
}

export interface SideBySide {
  readonly aws: CliResult;
  readonly fleetca: CliResult;
}

/**
 * Runs an AWS CLI build (the oracle) and asserts it exited with `expectedExit`: a parity case compares
 * fleetca with what the AWS CLI did only once the AWS CLI did what the case is about, so two sides that
 * fail alike (an oracle that could not run, an error on a case meant to succeed) never pass.
 */
export async function runOracle(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  expectedExit: number,
  oracle: Tool = TOOLS.awsV2,
): Promise<CliResult> {
  requireTool(oracle);
  const result = await run(oracle.command, args, { env });
  assert.equal(
    result.code,
    expectedExit,
    `the oracle ${oracle.command} ${args.join(' ')} exited ${result.code}, the case expects ${expectedExit}; ` +
      `its stderr: ${result.stderr}`,
  );
  return result;
}

/**
 * Runs `aws iot <args>` (checked to exit with `awsExit`) and `fleetca iot <args>` against the same endpoint with
 * the same environment. fleetca prints `fleetca` where the AWS CLI prints its program name; `asFleetca` accounts
 * for that.
 */
export async function sideBySide(
  args: readonly string[],
  endpoint: string,
  env: NodeJS.ProcessEnv,
  awsExit: number,
  oracle: Tool = TOOLS.awsV2,
): Promise<SideBySide> {
  const full = ['iot', ...args, '--endpoint-url', endpoint];
  const aws = await runOracle(full, env, awsExit, oracle);
  const fleetca = await runCli(full, env);
  return { aws, fleetca };
}

/** The AWS CLI's text with its program name written as fleetca's. */
export function asFleetca(text: string): string {
  return text.replace(/\baws(?=: |\.cmd|\s+help|\s+\[options\]|\s+<command>)/g, 'fleetca');
}
