import type { OptionalAction, ParsedValues } from '../argv/argparse.js';
import { globalOptionActions, toParsedGlobals } from '../argv/global-options.js';
import type { CliIO } from '../io.js';
import { displayOptions } from '../output/display-options.js';
import type { CompiledQuery } from '../output/formatter.js';
import { createFormatter } from '../output/formatters.js';
import { compileQuery } from '../query/compile-query.js';

/** How a command's result is printed: the `--output` format and the compiled `--query`. */
export interface OutputChoice {
  readonly format?: string;
  readonly query?: CompiledQuery;
}

const OUTPUT_DESTS = new Set(['output', 'query']);

/**
 * `--output` and `--query` from the global option table, for fleetca's own commands that print a
 * result (the other global options would clash with their own, e.g. admin's `--region`).
 */
export const OUTPUT_OPTIONS: readonly OptionalAction[] = globalOptionActions()
  .filter((action) => OUTPUT_DESTS.has(action.dest))
  .map((action) => ({ ...action, listChoices: true }));

/** The choice parsed from OUTPUT_OPTIONS; `--query` compiled now, so a bad one fails before anything runs. */
export function outputChoice(values: ParsedValues, fallback: OutputChoice = {}): OutputChoice {
  return {
    format: typeof values.output === 'string' ? values.output : fallback.format,
    query: typeof values.query === 'string' ? compileQuery(values.query) : fallback.query,
  };
}

/**
 * Prints a result as `fleetca iot` prints a response: through the `--output` formatter (json by
 * default) with `--query` applied. `commandName` is `list-accounts`; table titles read `ListAccounts`.
 */
export async function printResult(
  commandName: string,
  result: Record<string, unknown>,
  choice: OutputChoice,
  io: CliIO,
): Promise<void> {
  const formatter = await createFormatter(choice.format ?? 'json', {
    ...displayOptions(toParsedGlobals({}), io),
    query: choice.query,
  });
  const title = commandName.replace(/(?:^|-)([a-z])/g, (_, letter: string) => letter.toUpperCase());
  formatter.format(title, { paginated: false, response: result }, io.stdout);
}
