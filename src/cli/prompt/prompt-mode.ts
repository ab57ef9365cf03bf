import { ParamValidationError } from '../errors/cli-errors.js';

/** The auto-prompt modes of AWS CLI v2 (`cli_auto_prompt`). */
export type AutoPromptMode = 'on' | 'on-partial' | 'off';

/**
 * Whether to prompt, resolved the AWS CLI's way from the raw arguments (written out in full,
 * not abbreviated): `help` or `--version` → off; `--no-cli-auto-prompt` → off;
 * `--cli-auto-prompt` → on; then AWS_CLI_AUTO_PROMPT, then the profile's `cli_auto_prompt`;
 * default off. Unknown values count as off.
 */
export function resolveAutoPromptMode(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  profileSetting: string | undefined,
): AutoPromptMode {
  const on = argv.includes('--cli-auto-prompt');
  const off = argv.includes('--no-cli-auto-prompt');
  if (on && off) {
    throw new ParamValidationError(
      'Both --cli-auto-prompt and --no-cli-auto-prompt cannot be specified at the same time.',
    );
  }
  if (argv.includes('help') || argv.includes('--version') || off) return 'off';
  if (on) return 'on';
  const configured = (env.AWS_CLI_AUTO_PROMPT ?? profileSetting ?? 'off').trim().toLowerCase();
  return configured === 'on' || configured === 'on-partial' ? configured : 'off';
}
