import { SERVICE } from '../../model/service.js';

// The top-level command names alone, without the operation tables: `fleetca --version`, `fleetca help` and the
// dispatch in main.ts need these and nothing that loads the operations (command-table.ts builds those).

/** The service command name, `iot`. */
export const SERVICE_COMMAND = SERVICE.name;

/** fleetca's own API, model-driven like `iot`: `fleetca fleet <operation>`. */
export const FLEET_COMMAND = 'fleet';

/** The model-driven service commands: an operation table each, the same machinery (command-table.ts). */
export const SERVICE_COMMANDS: readonly string[] = [SERVICE_COMMAND, FLEET_COMMAND];

/** fleetca's own command outside the AWS surface. */
export const CA_COMMAND = 'ca';

/** fleetca's accounts and access keys, `fleetca admin`. */
export const ADMIN_COMMAND = 'admin';

/** fleetca's REST server, `fleetca serve`. */
export const SERVE_COMMAND = 'serve';

/** The main parser's command choices: services and fleetca commands, then `help` (as the AWS CLI appends it). */
export const TOP_LEVEL_COMMANDS: readonly string[] = [
  ADMIN_COMMAND,
  CA_COMMAND,
  FLEET_COMMAND,
  SERVICE_COMMAND,
  SERVE_COMMAND,
  'help',
];

/** Each top-level command in one line: `fleetca help` lists them, and each command's help page opens with its own. */
export const COMMAND_SUMMARIES: Readonly<Record<string, string>> = {
  [ADMIN_COMMAND]: "accounts and access keys of fleetca's data directory",
  [CA_COMMAND]: "fleetca's certificate authority",
  [FLEET_COMMAND]:
    "fleetca's own operations (certificate search and statistics, device connections, chains), on local data or a server",
  [SERVICE_COMMAND]: 'the AWS IoT operations, as "aws iot" has them, on local data or a server',
  [SERVE_COMMAND]: 'the AWS IoT REST API and the MQTT device endpoint',
  help: 'this page',
};
