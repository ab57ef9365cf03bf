import type { ParsedGlobals } from '../argv/global-options.js';
import type { CliIO } from '../io.js';
import type { FormatterOptions } from './formatter.js';

/**
 * The formatter settings that come from the terminal: `--color` and what stdout is. The real
 * stdout decides (Python's isatty/ioctl on sys.stdout), even when the output goes through a pager.
 */
export function displayOptions(globals: ParsedGlobals, io: CliIO): Pick<FormatterOptions, 'color' | 'terminal'> {
  const color = typeof globals.all.color === 'string' ? globals.all.color : 'auto';
  const stdout = io.stdout as CliIO['stdout'] & { readonly columns?: number };
  const isTTY = stdout.isTTY === true;
  return { color, terminal: { isTTY, columns: isTTY ? stdout.columns : undefined } };
}
