import type { ParsedGlobals } from '../argv/global-options.js';
import { CliSession } from '../config/session.js';
import type { SharedConfig } from '../config/shared-config.js';
import { ParamValidationError, UnknownArgumentError } from '../errors/cli-errors.js';
import type { CliIO } from '../io.js';
import { type AutoPromptMode, resolveAutoPromptMode } from './prompt-mode.js';

/** The auto-prompt decision for one command line, and how to ask. */
export interface PromptDecision {
  readonly mode: AutoPromptMode;
  /** Runs the prompt on the process's terminal; resolves to the arguments to run. */
  ask(): Promise<string[]>;
}

/**
 * Resolves the auto-prompt mode (the conflicting-flags error included) for `argv`; `applies` is
 * false for commands that never prompt (fleetca's own, or a line the prompt already produced).
 */
export function promptIfConfigured(
  argv: readonly string[],
  globals: ParsedGlobals,
  config: SharedConfig,
  io: CliIO,
  applies: boolean,
): PromptDecision {
  let setting: string | undefined;
  try {
    const value = new CliSession(io, globals, config).scopedConfig().cli_auto_prompt;
    if (typeof value === 'string') setting = value;
  } catch {
    // A missing profile is reported by the command itself.
  }
  const mode = resolveAutoPromptMode(argv, io.env, setting);
  return {
    mode: applies ? mode : 'off',
    // The prompt (readline, the operation tables) is imported only when it is shown.
    ask: async () =>
      (await import('./auto-prompt.js')).autoPrompt(argv, io, { input: process.stdin, output: process.stderr }),
  };
}

/**
 * on-partial: run the command as given; only a parameter error (exit 252) opens the prompt, and
 * its message is not shown.
 */
export async function runPartialPrompt(
  runCommand: () => Promise<number>,
  prompt: () => Promise<number>,
): Promise<number> {
  try {
    return await runCommand();
  } catch (error) {
    if (error instanceof ParamValidationError || error instanceof UnknownArgumentError) return prompt();
    throw error;
  }
}
