import type { CliIO } from '../io.js';
import { pyRepr } from '../python/repr.js';
import { versionString } from '../version.js';
import { debugLog, enableDebugLog } from './debug-log.js';

/** Opens the `--debug` log of one command and writes its first lines: the version and the arguments. */
export function startCommandDebugLog(argv: readonly string[], io: CliIO, now?: () => Date): void {
  enableDebugLog(io.stderr, now);
  debugLog('fleetca.clidriver', `CLI version: ${versionString(io.env)}`);
  debugLog('fleetca.clidriver', `Arguments entered to CLI: ${pyRepr([...argv])}`);
}
