import { machine, release, type } from 'node:os';
import type { RetryMode } from '../config/retry-config.js';
import { versionString } from '../version.js';

// botocore's os/ families for the names os.type() returns.
const OS_FAMILIES: Readonly<Record<string, string>> = { Linux: 'linux', Darwin: 'macos', Windows_NT: 'windows' };

/**
 * The User-Agent header in AWS CLI v2's layout (`aws-cli/2.x ua/2.1 os/linux#6.x md/arch#x86_64
 * lang/python#3.x ... cfg/retry-mode#standard ... md/command#iot.<operation>`), for fleetca:
 * `fleetca/<version> ua/2.1 os/<family>#<release> md/arch#<machine> lang/node#<version>
 * [exec-env/<AWS_EXECUTION_ENV>] cfg/retry-mode#<mode> md/command#iot.<operation>`.
 */
export function userAgent(
  env: Readonly<Record<string, string | undefined>>,
  retryMode: RetryMode,
  command: string,
): string {
  // The first word of the --version line is `fleetca/<version>`.
  const product = versionString(env).split(' ')[0] as string;
  const os = OS_FAMILIES[type()];
  const parts = [
    product,
    'ua/2.1',
    os ? `os/${os}#${release()}` : `os/other#${type()}`,
    `md/arch#${machine().toLowerCase()}`,
    `lang/node#${process.versions.node}`,
  ];
  if (env.AWS_EXECUTION_ENV !== undefined) parts.push(`exec-env/${env.AWS_EXECUTION_ENV}`);
  parts.push(`cfg/retry-mode#${retryMode}`, `md/command#${command}`);
  return parts.join(' ');
}
