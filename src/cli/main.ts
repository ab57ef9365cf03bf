import { type Action, ArgumentParser, VersionRequested } from './argv/argparse.js';
import {
  ADMIN_COMMAND,
  buildArgumentTable,
  CA_COMMAND,
  OPERATION_COMMANDS,
  SERVE_COMMAND,
  SERVICE_COMMAND,
  SERVICE_SUBCOMMANDS,
  TOP_LEVEL_COMMANDS,
} from './argv/command-table.js';
import { globalOptionActions, type ParsedGlobals, toParsedGlobals } from './argv/global-options.js';
import { runAdminCommand } from './commands/admin.js';
import { runCaCommand } from './commands/ca.js';
import { runServeCommand } from './commands/serve.js';
import { loadSharedConfig, type SharedConfig } from './config/shared-config.js';
import { startCommandDebugLog } from './debug/command-debug.js';
import { debugLog, disableDebugLog } from './debug/debug-log.js';
import { rememberErrorFormat, takeErrorFormat } from './errors/error-format.js';
import { reportError } from './errors/report-error.js';
import { writeHelp } from './help/help-output.js';
import { renderOperationHelp, renderServiceHelp, renderTopHelp } from './help/render-help.js';
import type { CliDeps } from './invoke/deps.js';
import { runOperation } from './invoke/run-operation.js';
import { type CliIO, processIO } from './io.js';
import { promptIfConfigured, runPartialPrompt } from './prompt/prompt-command.js';
import { compileQuery } from './query/compile-query.js';
import { resolveTopLevelArgs } from './remote/top-level-args.js';
import { INTERRUPTED_EXIT_CODE, Interrupted, installInterruptHandler } from './signals/interrupt.js';
import { openConfiguredTransport } from './transports/open-transport.js';
import { versionString } from './version.js';

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

function serviceParser(operationRequired: boolean): ArgumentParser {
  return new ArgumentParser([
    { dest: 'operation', nargs: operationRequired ? 'one' : 'optional', choices: SERVICE_SUBCOMMANDS },
  ]);
}

/** `iot <operation> ...`: the service parser picks the operation, which parses the rest. */
async function runService(
  args: readonly string[],
  globals: ParsedGlobals,
  config: SharedConfig,
  io: CliIO,
  deps: CliDeps,
): Promise<number> {
  const { values, extras } = serviceParser(true).parseKnownArgs(args);
  const operation = OPERATION_COMMANDS.get(values.operation as string);
  if (operation === undefined) {
    // ServiceHelpCommand ignores further arguments.
    await writeHelp(io, globals, config, renderServiceHelp());
    return 0;
  }
  return runOperation(operation, extras, globals, config, io, deps);
}

/** `--help` somewhere on the line: the help page of the deepest command named. */
async function runHelp(args: readonly string[], io: CliIO, config: SharedConfig): Promise<number> {
  const { values, extras } = mainParser(false).parseKnownArgs(args);
  if (values.command === ADMIN_COMMAND) return runAdminCommand([...extras, HELP_OPTION], io);
  if (values.command === CA_COMMAND) return runCaCommand([...extras, HELP_OPTION], io);
  if (values.command === SERVE_COMMAND) return runServeCommand([...extras, HELP_OPTION], io);
  if (values.command !== SERVICE_COMMAND) {
    await writeHelp(io, toParsedGlobals(values), config, renderTopHelp());
    return 0;
  }
  const service = serviceParser(false).parseKnownArgs(extras);
  const operation = OPERATION_COMMANDS.get(service.values.operation as string);
  await writeHelp(
    io,
    toParsedGlobals(values),
    config,
    operation ? renderOperationHelp(operation, buildArgumentTable(operation)) : renderServiceHelp(),
  );
  return 0;
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
  if (values.debug === true) startCommandDebugLog(argv, io);
  // awscli's top-level-args-parsed handlers: checked before any command runs (--query first).
  if (typeof values.query === 'string') globals.query = compileQuery(values.query);
  resolveTopLevelArgs(globals);
  // --cli-auto-prompt / cli_auto_prompt: prompt first (on), or after a parameter error (on-partial).
  const prompt = promptIfConfigured(argv, globals, config, io, values.command === SERVICE_COMMAND && !prompted);
  if (prompt.mode === 'on') return run(await prompt.ask(), io, deps, true);
  if (prompt.mode === 'on-partial' && values.command === SERVICE_COMMAND) {
    return runPartialPrompt(
      () => runService(extras, globals, config, io, deps),
      async () => run(await prompt.ask(), io, deps, true),
    );
  }
  switch (values.command) {
    case ADMIN_COMMAND:
      return runAdminCommand(extras, io, { format: globals.output, query: globals.query });
    case CA_COMMAND:
      return runCaCommand(extras, io);
    case SERVE_COMMAND:
      return runServeCommand(extras, io);
    case SERVICE_COMMAND:
      return runService(extras, globals, config, io, deps);
    default:
      // `help`: the provider help ignores further arguments, as the AWS CLI's does.
      await writeHelp(io, globals, config, renderTopHelp());
      return 0;
  }
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
    if (argv[0] === ADMIN_COMMAND) return await runAdminCommand(argv.slice(1), io);
    if (argv[0] === CA_COMMAND) return await runCaCommand(argv.slice(1), io);
    if (argv[0] === SERVE_COMMAND) return await runServeCommand(argv.slice(1), io);
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
    const code = reportError(error, io, takeErrorFormat());
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
