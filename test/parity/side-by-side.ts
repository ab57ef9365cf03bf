import { join } from 'node:path';
import { type CliResult, run, runCli } from '../helpers/run-cli.js';

/** The AWS CLI builds used as oracles: v1 from pip (on PATH), v2 from Debian's awscli package. */
export const AWS_V1 = 'aws';
export const AWS_V2 = '/usr/bin/aws';

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
 * Runs `aws iot <args>` and `fleetca iot <args>` against the same endpoint with the same environment.
 * fleetca prints `fleetca` where the AWS CLI prints its program name; `sameBytes` accounts for that.
 */
export async function sideBySide(
  args: readonly string[],
  endpoint: string,
  env: NodeJS.ProcessEnv,
  oracle: string = AWS_V2,
): Promise<SideBySide> {
  const full = ['iot', ...args, '--endpoint-url', endpoint];
  const aws = await run(oracle, full, { env });
  const fleetca = await runCli(full, env);
  return { aws, fleetca };
}

/** The AWS CLI's text with its program name written as fleetca's. */
export function asFleetca(text: string): string {
  return text.replace(/\baws(?=: |\.cmd|\s+help|\s+\[options\]|\s+<command>)/g, 'fleetca');
}
