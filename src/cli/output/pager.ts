import type { ParsedGlobals } from '../argv/global-options.js';
import type { CliIO } from '../io.js';
import type { OutputStream } from './formatter.js';

/**
 * AWS CLI v2's output pager (spec §8): used only when stdout is a terminal; the command is
 * `--no-cli-pager` (none) > AWS_PAGER > `cli_pager` of the profile > PAGER > `less`, an empty
 * value meaning none. It is started on the first write, gets `LESS=FRX` unless LESS is set, and
 * a pager that cannot be started is a Pager configuration error (exit 253).
 */
export function pagerCommand(
  env: Readonly<Record<string, string | undefined>>,
  globals: Pick<ParsedGlobals, 'all'>,
  profileSetting: string | undefined,
): string | undefined {
  if (globals.all.no_cli_pager === true) return undefined;
  const command = env.AWS_PAGER ?? profileSetting ?? env.PAGER ?? 'less';
  return command === '' ? undefined : command;
}

/** An output stream that is stdout itself, or a pager fed through a pipe; `close()` waits for it. */
export interface PagedOutput extends OutputStream {
  close(): Promise<void>;
}

/**
 * Opens the output for a formatter: `io.stdout` unless it is a TTY with a pager configured.
 * `command` comes from pagerCommand(). The pager process's code is imported only for a terminal.
 */
export async function openPagedOutput(io: CliIO, command: string | undefined): Promise<PagedOutput> {
  if (command === undefined || io.stdout.isTTY !== true) {
    return { write: (chunk) => io.stdout.write(chunk), close: async () => {} };
  }
  return (await import('./pager-process.js')).openPagerProcess(io, command);
}

/** Writes a whole text (a help page) through the pager when stdout is a terminal. */
export async function writePaged(io: CliIO, command: string | undefined, text: string): Promise<void> {
  const output = await openPagedOutput(io, command);
  output.write(text);
  await output.close();
}
