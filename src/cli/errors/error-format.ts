import { CLI_ERROR_FORMATS, type ParsedGlobals } from '../argv/global-options.js';
import { CliSession } from '../config/session.js';
import type { SharedConfig } from '../config/shared-config.js';
import type { CliIO } from '../io.js';

/** `--cli-error-format` values (AWS CLI v2 ≥ 2.34). */
export type ErrorFormat = (typeof CLI_ERROR_FORMATS)[number];

/** The default, and what an invalid value from the environment or the config file falls back to. */
export const DEFAULT_ERROR_FORMAT: ErrorFormat = 'enhanced';

function isErrorFormat(value: unknown): value is ErrorFormat {
  return typeof value === 'string' && (CLI_ERROR_FORMATS as readonly string[]).includes(value);
}

/**
 * The error format of a command: `--cli-error-format` > AWS_CLI_ERROR_FORMAT > `cli_error_format`
 * of the active profile > enhanced. An invalid value from the environment or config is only
 * logged by the AWS CLI (at debug level) and `enhanced` is used; a missing profile is reported
 * elsewhere, so here it just means "not configured".
 */
export function resolveErrorFormat(globals: ParsedGlobals, io: CliIO, shared: SharedConfig): ErrorFormat {
  const option = globals.all.cli_error_format;
  if (isErrorFormat(option)) return option;
  let value: unknown = io.env.AWS_CLI_ERROR_FORMAT;
  if (value === undefined) {
    try {
      value = new CliSession(io, globals, shared).scopedConfig().cli_error_format;
    } catch {
      value = undefined;
    }
  }
  return isErrorFormat(value) ? value : DEFAULT_ERROR_FORMAT;
}

// The format chosen by the command being run, for main's single reporter (set once the global
// options are parsed; errors before that use the default).
let chosen: ErrorFormat | undefined;

/** Records the running command's error format (after the global options are parsed). */
export function rememberErrorFormat(globals: ParsedGlobals, io: CliIO, shared: SharedConfig): void {
  chosen = resolveErrorFormat(globals, io, shared);
}

/** The recorded error format (default when none), forgetting it for the next command. */
export function takeErrorFormat(): ErrorFormat {
  const format = chosen ?? DEFAULT_ERROR_FORMAT;
  chosen = undefined;
  return format;
}
