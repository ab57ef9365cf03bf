import type { BeforeParseHook } from '../argv/cli-argument.js';

/**
 * awscli OverrideRequiredArgsArgument: when the option is written out in full on the command line
 * (an abbreviation does not count), no argument of the operation is required any more.
 * `unless` lets `--generate-cli-skeleton output` keep the required arguments.
 */
export function overrideRequiredWhenPresent(
  option: string,
  unless?: (args: readonly string[], index: number) => boolean,
): BeforeParseHook {
  return (table, args) => {
    const index = args.indexOf(option);
    if (index < 0 || unless?.(args, index)) return;
    for (const argument of table.args.values()) argument.required = false;
  };
}
