import type { OperationModel } from '../../model/shapes.js';
import type { CliAdditions } from '../../operations/operation.js';
import type { ArgumentTable } from '../argv/cli-argument.js';
import { SERVICE_COMMAND } from '../argv/command-names.js';
import { buildArgumentTable, cliAdditionsOf, OPERATION_COMMANDS } from '../argv/command-table.js';
import { GLOBAL_OPTIONS } from '../argv/global-options.js';
import { PROG } from '../prog.js';

/** An option the prompt can offer: its name, whether it takes a value, its allowed values. */
export interface PromptOption {
  readonly name: string;
  readonly takesValue: boolean;
  readonly choices: readonly string[];
}

const tables = new Map<string, ArgumentTable>();
const additions = new Map<OperationModel, CliAdditions | undefined>();

/**
 * Imports every operation's declaration for the prompt, whose completion is synchronous (readline's completer):
 * their outfile options are then offered too. Without it, tables hold the model's members and the generic options.
 */
export async function prepareCompletion(): Promise<void> {
  for (const model of OPERATION_COMMANDS.values()) additions.set(model, await cliAdditionsOf(model));
  tables.clear();
}

/** The operation's argument table (cached: building it walks the model). */
export function operationTable(operation: string): ArgumentTable | undefined {
  const model = OPERATION_COMMANDS.get(operation);
  if (model === undefined) return undefined;
  let table = tables.get(operation);
  if (table === undefined) {
    table = buildArgumentTable(model, additions.get(model));
    tables.set(operation, table);
  }
  return table;
}

/** Every option of `operation` that is shown in help, then the global options. */
export function promptOptions(operation: string): PromptOption[] {
  const options: PromptOption[] = [];
  for (const argument of operationTable(operation)?.args.values() ?? []) {
    if (argument.hidden) continue;
    const takesValue = argument.parserAction().kind === 'store';
    options.push({ name: `--${argument.name}`, takesValue, choices: argument.helpChoices ?? [] });
  }
  for (const row of GLOBAL_OPTIONS) {
    options.push({ name: row.option, takesValue: row.takes === 'value', choices: row.choices ?? [] });
  }
  return options;
}

/** The words of a prompt line, the last one being the word under completion ('' after a space). */
export function lineWords(line: string): string[] {
  const words = line.trimStart().split(/\s+/);
  return words.length === 0 ? [''] : words;
}

/**
 * node:readline's completer for a `fleetca iot <operation> --option value ...` line: the service,
 * then operation names, then the operation's (and the global) option names, and after an option
 * with allowed values (model enums, `--output`) those values. Returns [candidates, word].
 */
export function completeLine(line: string): [string[], string] {
  const words = lineWords(line);
  const current = words[words.length - 1] ?? '';
  const starting = (candidates: readonly string[]) => candidates.filter((candidate) => candidate.startsWith(current));
  if (words.length === 1) return [starting([PROG]), current];
  if (words.length === 2) return [starting([SERVICE_COMMAND]), current];
  if (words.length === 3) return [starting([...OPERATION_COMMANDS.keys()]), current];
  const operation = words[2] as string;
  const options = promptOptions(operation);
  const previous = options.find((option) => option.name === words[words.length - 2]);
  if (previous?.takesValue) return [starting(previous.choices), current];
  const used = new Set(words.slice(3, -1));
  const names = options.map((option) => option.name).filter((name) => !used.has(name));
  return [starting(names.map((name) => `${name} `)), current];
}
