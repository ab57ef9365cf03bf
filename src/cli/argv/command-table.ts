import type { OperationModel } from '../../model/shapes.js';
import { loadOperation } from '../../operations/index.js';
import { FLEET_MODELS, IOT_MODELS } from '../../operations/iot-models.js';
import type { CliAdditions } from '../../operations/operation.js';
import { applyCustomizations } from '../customizations/index.js';
import { PROG } from '../prog.js';
import type { ArgumentTable } from './cli-argument.js';
import { FLEET_COMMAND, SERVICE_COMMAND } from './command-names.js';
import { modelArgumentTable } from './model-arguments.js';
import { xformName } from './names.js';

/** A model-driven service command (`fleetca iot`, `fleetca fleet`): its operations, and its help page's words. */
export interface ServiceCommandTable {
  readonly name: string;
  /** The operations by CLI name (`describe-certificate`), in the order help lists them. */
  readonly operations: ReadonlyMap<string, OperationModel>;
  /** The service parser's choices: the operations, then `help`. */
  readonly subcommands: readonly string[];
  /** The DESCRIPTION of `fleetca <service> help`. */
  readonly description: string;
}

function commandTable(name: string, models: readonly OperationModel[], description: string): ServiceCommandTable {
  const operations = new Map(models.map((operation) => [xformName(operation.name), operation]));
  return { name, operations, subcommands: [...operations.keys(), 'help'], description };
}

/** `fleetca iot`: the AWS IoT API. */
export const IOT_COMMAND_TABLE = commandTable(
  SERVICE_COMMAND,
  IOT_MODELS,
  'AWS IoT operations, served by fleetca from its own certificate authority and registry. ' +
    `New here? Start with "${PROG} ${SERVICE_COMMAND} create-keys-and-certificate help".`,
);

/** `fleetca fleet`: fleetca's own API (routes under /fleetca/), with the same options, outputs and errors. */
export const FLEET_COMMAND_TABLE = commandTable(
  FLEET_COMMAND,
  FLEET_MODELS,
  `fleetca's own operations, beyond the AWS IoT API, on the local data directory or, with --endpoint-url, on a ` +
    `running ${PROG} serve (signed like "${PROG} ${SERVICE_COMMAND}"). Device connections are known only to a ` +
    'running server.',
);

/** The service commands by name. */
export const SERVICE_COMMAND_TABLES: ReadonlyMap<string, ServiceCommandTable> = new Map(
  [IOT_COMMAND_TABLE, FLEET_COMMAND_TABLE].map((table) => [table.name, table]),
);

/** The table of a service command named in SERVICE_COMMANDS. */
export function serviceCommandTable(name: string): ServiceCommandTable {
  const table = SERVICE_COMMAND_TABLES.get(name);
  if (!table) throw new Error(`no service command ${name}`);
  return table;
}

/** `fleetca iot`'s operations by CLI name (`describe-certificate`), in the order help lists them. */
export const OPERATION_COMMANDS: ReadonlyMap<string, OperationModel> = IOT_COMMAND_TABLE.operations;

/** `fleetca iot`'s service parser choices: the operations, then `help`. */
export const SERVICE_SUBCOMMANDS: readonly string[] = IOT_COMMAND_TABLE.subcommands;

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
