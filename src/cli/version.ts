import { readFileSync } from 'node:fs';
import { machine, release, type } from 'node:os';

function packageVersion(): string {
  try {
    // dist/src/cli/version.js and src/cli/version.ts both sit three levels below the package root.
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * The `--version` line in AWS CLI v2's layout (`aws-cli/2.x Python/3.x Linux/6.x source/x86_64`)
 * for fleetca: `fleetca/<version> Node/<version> <OS>/<release>[ exec-env/<env>] source/<machine>`.
 */
export function versionString(env: Readonly<Record<string, string | undefined>>): string {
  let text = `fleetca/${packageVersion()} Node/${process.versions.node} ${type()}/${release()}`;
  if (env.AWS_EXECUTION_ENV !== undefined) text += ` exec-env/${env.AWS_EXECUTION_ENV}`;
  return `${text} source/${machine()}`;
}
