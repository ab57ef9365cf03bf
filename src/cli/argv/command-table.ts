import type { OperationModel } from '../../model/shapes.js';
import { loadOperation } from '../../operations/index.js';
import { IOT_MODELS } from '../../operations/iot-models.js';
import type { CliAdditions } from '../../operations/operation.js';
import { applyCustomizations } from '../customizations/index.js';
import type { ArgumentTable } from './cli-argument.js';
import { modelArgumentTable } from './model-arguments.js';
import { xformName } from './names.js';

/** The service's operations by CLI name (`describe-certificate`), in the order help lists them. */
export const OPERATION_COMMANDS: ReadonlyMap<string, OperationModel> = new Map(
  IOT_MODELS.map((operation) => [xformName(operation.name), operation]),
);

/** The service parser's choices: the operations, then `help`. */
export const SERVICE_SUBCOMMANDS: readonly string[] = [...OPERATION_COMMANDS.keys(), 'help'];

/**
 * An operation's full argument table: model members, then the AWS CLI's customizations (`cli` = the additions its
 * declaration makes, from `cliAdditionsOf`).
 */
export function buildArgumentTable(operation: OperationModel, cli: CliAdditions | undefined): ArgumentTable {
  const table = modelArgumentTable(operation);
  applyCustomizations(table, operation, cli?.outfiles ?? []);
  return table;
}

/** What the operation's declaration adds for the CLI (outfiles, help examples); imports that one operation. */
export async function cliAdditionsOf(operation: OperationModel): Promise<CliAdditions | undefined> {
  return (await loadOperation(operation))?.cli;
}
