import type { ParsedGlobals } from '../argv/global-options.js';
import { CliSession } from '../config/session.js';
import type { SharedConfig } from '../config/shared-config.js';
import type { CliIO } from '../io.js';
import { pagerCommand, writePaged } from '../output/pager.js';

/**
 * Prints a help page: through the pager when stdout is a terminal, as the AWS CLI's help does,
 * else straight to stdout. Help never fails on configuration: a profile that does not exist only
 * means no `cli_pager` setting.
 */
export async function writeHelp(
  io: CliIO,
  globals: Pick<ParsedGlobals, 'all' | 'profile'> | undefined,
  config: SharedConfig | undefined,
  text: string,
): Promise<void> {
  if (io.stdout.isTTY !== true) {
    io.stdout.write(text);
    return;
  }
  let setting: string | undefined;
  if (globals && config) {
    try {
      const value = new CliSession(io, globals as ParsedGlobals, config).scopedConfig().cli_pager;
      if (typeof value === 'string') setting = value;
    } catch {
      // No such profile: help still shows.
    }
  }
  await writePaged(io, pagerCommand(io.env, globals ?? { all: {} }, setting), text);
}
