import { type Action, ArgumentParser, VersionRequested } from './argv/argparse.js';
import {
  ADMIN_COMMAND,
  CA_COMMAND,
  SERVE_COMMAND,
  SERVICE_COMMAND,
  SERVICE_COMMANDS,
  TOP_LEVEL_COMMANDS,
} from './argv/command-names.js';
import { globalOptionActions, type ParsedGlobals, toParsedGlobals } from './argv/global-options.js';
import { loadSharedConfig, type SharedConfig } from './config/shared-config.js';
import { debugLog, disableDebugLog } from './debug/debug-log.js';
import { rememberErrorFormat, takeErrorFormat } from './errors/error-format.js';
import type { CliDeps } from './invoke/deps.js';
import { type CliIO, processIO } from './io.js';
import { promptIfConfigured, runPartialPrompt } from './prompt/prompt-command.js';
import { resolveTopLevelArgs } from './remote/top-level-args.js';
import { INTERRUPTED_EXIT_CODE, Interrupted, installInterruptHandler } from './signals/interrupt.js';
import { openConfiguredTransport } from './transports/open-transport.js';
import { versionString } from './version.js';

// Start-up: what every command line needs is imported above and is small (argument parsing, config, error
// reporting). Each command's own code — the operation tables, the help pages, admin, ca, serve (server, MQTT,
// logging, metrics) — is imported at its dispatch below, so `fleetca --version` or a describe loads only its own.

export type { CliDeps } from './invoke/deps.js';

// fleetca's addition to the AWS grammar: `--help` anywhere shows the help of the command given.
const HELP_OPTION = '--help';

function mainParser(commandRequired: boolean): ArgumentParser {
  const actions: Action[] = [
    ...globalOptionActions(),
    { dest: 'command', nargs: commandRequired ? 'one' : 'optional', choices: TOP_LEVEL_COMMANDS },
  ];
  return new ArgumentParser(actions);
}

function serviceParser(operations: readonly string[], operationRequired: boolean): ArgumentParser {
  return new ArgumentParser([
    { dest: 'operation', nargs: operationRequired ? 'one' : 'optional', choices: operations },
  ]);
}

/** `iot <operation> ...`, `fleet <operation> ...`: the service parser picks the operation, which parses the rest. */
async function runService(
  service: string,
  args: readonly string[],
  globals: ParsedGlobals,
  config: SharedConfig,
  io: CliIO,
  deps: CliDeps,
): Promise<number> {
  const [{ serviceCommandTable }, { runOperation }] = await Promise.all([
    import('./argv/command-table.js'),
    import('./invoke/run-operation.js'),
  ]);
  const table = serviceCommandTable(service);
  const { values, extras } = serviceParser(table.subcommands, true).parseKnownArgs(args);
  const operation = table.operations.get(values.operation as string);
  if (operation === undefined) {
    // ServiceHelpCommand ignores further arguments.
    const help = await helpPages();
    await help.writeHelp(io, globals, config, help.renderServiceHelp(table));
    return 0;
  }
  return runOperation(operation, extras, globals, config, io, deps, table.name);
}

function isServiceCommand(command: unknown): command is string {
  return typeof command === 'string' && SERVICE_COMMANDS.includes(command);
}

/** The help pages and their pager, imported only when a help page is shown. */
async function helpPages() {
  const [output, pages] = await Promise.all([import('./help/help-output.js'), import('./help/render-help.js')]);
  return { writeHelp: output.writeHelp, ...pages };
}

/** `--help` somewhere on the line: the help page of the deepest command named. */
async function runHelp(args: readonly string[], io: CliIO, config: SharedConfig): Promise<number> {
  const { values, extras } = mainParser(false).parseKnownArgs(args);
  if (isOwnCommand(values.command)) return runOwnCommand(values.command, [...extras, HELP_OPTION], io);
  const help = await helpPages();
  if (!isServiceCommand(values.command)) {
    await help.writeHelp(io, toParsedGlobals(values), config, help.renderTopHelp());
    return 0;
  }
  const commands = await import('./argv/command-table.js');
  const table = commands.serviceCommandTable(values.command);
  const service = serviceParser(table.subcommands, false).parseKnownArgs(extras);
  const operation = table.operations.get(service.values.operation as string);
  let page = help.renderServiceHelp(table);
  if (operation) {
    const cli = await commands.cliAdditionsOf(operation);
    page = help.renderOperationHelp(operation, commands.buildArgumentTable(operation, cli), cli?.examples ?? []);
  }
  await help.writeHelp(io, toParsedGlobals(values), config, page);
  return 0;
}

type OwnCommand = typeof ADMIN_COMMAND | typeof CA_COMMAND | typeof SERVE_COMMAND;

function isOwnCommand(command: unknown): command is OwnCommand {
  return command === ADMIN_COMMAND || command === CA_COMMAND || command === SERVE_COMMAND;
}

/** fleetca's own commands, each imported when it runs (serve alone brings the server, MQTT and logging). */
async function runOwnCommand(
  command: OwnCommand,
  args: readonly string[],
  io: CliIO,
  adminOutput?: { format: ParsedGlobals['output']; query: ParsedGlobals['query'] },
): Promise<number> {
  switch (command) {
    case ADMIN_COMMAND:
      return (await import('./commands/admin.js')).runAdminCommand(args, io, adminOutput);
    case CA_COMMAND:
      return (await import('./commands/ca.js')).runCaCommand(args, io);
    case SERVE_COMMAND:
      return (await import('./commands/serve.js')).runServeCommand(args, io);
  }
}

let pipeGuarded = false;

/** A closed stdout (`fleetca ... | head -1`) ends the output quietly, as the AWS CLI's formatter does. */
function guardStdout(io: CliIO): void {
  if (io.stdout !== process.stdout || pipeGuarded) return;
  pipeGuarded = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') process.stderr.write(`\n${error.message}\n`);
  });
}

async function run(argv: readonly string[], io: CliIO, deps: CliDeps, prompted = false): Promise<number> {
  // AWS CLI v2 reads the shared config files when it starts, so a malformed one fails every command.
  const config = loadSharedConfig(io.env, io.cwd);
  if (argv.includes(HELP_OPTION))
    return runHelp(
      argv.filter((arg) => arg !== HELP_OPTION),
      io,
      config,
    );
  const { values, extras } = mainParser(true).parseKnownArgs(argv);
  const globals = toParsedGlobals(values);
  rememberErrorFormat(globals, io, config);
  if (values.debug === true) (await import('./debug/command-debug.js')).startCommandDebugLog(argv, io);
  // awscli's top-level-args-parsed handlers: checked before any command runs (--query first).
  if (typeof values.query === 'string')
    globals.query = (await import('./query/compile-query.js')).compileQuery(values.query);
  resolveTopLevelArgs(globals);
  // --cli-auto-prompt / cli_auto_prompt: prompt first (on), or after a parameter error (on-partial).
  const prompt = promptIfConfigured(argv, globals, config, io, values.command === SERVICE_COMMAND && !prompted);
  if (prompt.mode === 'on') return run(await prompt.ask(), io, deps, true);
  if (prompt.mode === 'on-partial' && values.command === SERVICE_COMMAND) {
    return runPartialPrompt(
      () => runService(SERVICE_COMMAND, extras, globals, config, io, deps),
      async () => run(await prompt.ask(), io, deps, true),
    );
  }
  if (isOwnCommand(values.command))
    return runOwnCommand(values.command, extras, io, { format: globals.output, query: globals.query });
  if (isServiceCommand(values.command)) return runService(values.command, extras, globals, config, io, deps);
  // `help`: the provider help ignores further arguments, as the AWS CLI's does.
  const help = await helpPages();
  await help.writeHelp(io, globals, config, help.renderTopHelp());
  return 0;
}

/**
 * The fleetca command line. `fleetca iot <operation> ...` behaves like `aws iot <operation> ...`
 * of AWS CLI v2 (2.34+); `fleetca ca ...` is fleetca's own. Returns the exit code; never throws
 * and never prints a stack trace.
 */
export async function main(
  argv: readonly string[],
  io: CliIO = processIO,
  deps: CliDeps = { openTransport: openConfiguredTransport },
): Promise<number> {
  guardStdout(io);
  // `serve` answers SIGINT itself, with a graceful shutdown and exit 0; every other command exits 130.
  if (io === processIO && argv[0] !== SERVE_COMMAND) installInterruptHandler(process.stdout);
  try {
    // fleetca's own commands own their whole command line: AWS global options must not swallow their options.
    if (isOwnCommand(argv[0])) return await runOwnCommand(argv[0], argv.slice(1), io);
    return await run(argv, io, deps);
  } catch (error) {
    if (error instanceof VersionRequested) {
      io.stdout.write(`${versionString(io.env)}\n`);
      return 0;
    }
    if (error instanceof Interrupted) {
      io.stdout.write('\n');
      return INTERRUPTED_EXIT_CODE;
    }
    debugLog('fleetca.clidriver', () => `Exception caught in main(): ${describeError(error)}`);
    const { reportError } = await import('./errors/report-error.js');
    const code = await reportError(error, io, takeErrorFormat());
    debugLog('fleetca.clidriver', `Exiting with rc ${code}`);
    return code;
  } finally {
    takeErrorFormat();
    disableDebugLog();
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
