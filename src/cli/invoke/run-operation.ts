import { ServiceError } from '../../errors.js';
import type { OperationModel } from '../../model/shapes.js';
import { type Action, ArgumentParser } from '../argv/argparse.js';
import { buildArgumentTable, cliAdditionsOf } from '../argv/command-table.js';
import type { ParsedGlobals } from '../argv/global-options.js';
import { CliSession } from '../config/session.js';
import type { SharedConfig } from '../config/shared-config.js';
import { debugEnabled, debugLog } from '../debug/debug-log.js';
import { ClientError, ConfigurationError, UnknownArgumentError } from '../errors/cli-errors.js';
import { type CliIO, writeNote } from '../io.js';
import { displayOptions } from '../output/display-options.js';
import type { CommandResult } from '../output/formatter.js';
import { assertFormatSupported, createFormatter } from '../output/formatters.js';
import { openPagedOutput, pagerCommand } from '../output/pager.js';
import { parseResponse } from '../output/parse-response.js';
import { resolveRemoteSettings } from '../remote/remote-settings.js';
import type { Transport } from '../transport.js';
import { validateParams } from '../validation/param-validator.js';
import { buildCallParameters } from './call-parameters.js';
import { runCallingCommand, stubTransport } from './calling-command.js';
import type { CliDeps } from './deps.js';

/**
 * Runs `fleetca iot <operation> <args>` the way ServiceOperation.__call__ and CLIOperationCaller
 * do: parse the operation's arguments, build the call (paramfiles, outfile checks), resolve the
 * profile and region, validate, call (page by page when paginated), run the after-call handlers,
 * then format. Returns the exit code; errors are thrown to main's single reporter.
 */
export async function runOperation(
  operation: OperationModel,
  args: readonly string[],
  globals: ParsedGlobals,
  config: SharedConfig,
  io: CliIO,
  deps: CliDeps,
  /** The service command it was called under: `iot`, or `fleet` for fleetca's own operations. */
  command: string,
): Promise<number> {
  const cli = await cliAdditionsOf(operation);
  const table = buildArgumentTable(operation, cli);
  // ArgTableArgParser: a lone `help` skips every check, required arguments included.
  const showHelp = async () => {
    // The help page and its pager are imported only when asked for.
    const [{ writeHelp }, { renderOperationHelp }] = await Promise.all([
      import('../help/help-output.js'),
      import('../help/render-help.js'),
    ]);
    await writeHelp(io, globals, config, renderOperationHelp(operation, table, cli?.examples ?? []));
    return 0;
  };
  if (args.length === 1 && args[0] === 'help') return showHelp();
  for (const hook of table.beforeParseHooks) hook(table, args);
  const actions: Action[] = [...table.args.values()].map((argument) => argument.parserAction());
  actions.push({ dest: 'help', nargs: 'optional' });
  const { values, extras } = new ArgumentParser(actions).parseKnownArgs(args);
  if (values.help === 'help') return showHelp();
  if (typeof values.help === 'string') extras.push(values.help);
  if (extras.length > 0) throw new UnknownArgumentError(`Unknown options: ${extras.join(', ')}`);

  for (const hook of table.argsParsedHooks) hook(values, globals);
  const call = buildCallParameters(table, values, io);
  // calling-command: --cli-input-* fill the parameters; a skeleton ends here or fakes the response.
  const override = await runCallingCommand(table, call, values, io);
  if (override && 'exitCode' in override) return override.exitCode;
  const stubResponse = override?.stubResponse;

  // Creating the client: the profile must exist and the region be well-formed.
  const session = new CliSession(io, globals, config);
  session.checkProfile();
  const region = session.region();
  // The stubbed client of `--generate-cli-skeleton output` still needs a region.
  if (stubResponse && region === undefined) throw (await import('../remote/remote-errors.js')).noRegionError();
  // With an endpoint configured: credentials, retry settings and the endpoint itself (remote mode).
  const remote = await resolveRemoteSettings({ io, globals, shared: config, session, region, command });
  if (remote && globals.store !== undefined) {
    throw new ConfigurationError(
      'Configuration',
      '--store names a local registry; it cannot be used together with an endpoint (the server has its own)',
    );
  }
  const outputFormat = session.outputFormat();
  assertFormatSupported(outputFormat);
  debugLog('fleetca.clidriver', () =>
    configurationLine(session.profileName, region, remote?.endpoint.url, outputFormat),
  );

  const openTransport = async (): Promise<Transport> => {
    const opened = await deps.openTransport({
      region,
      env: io.env,
      remote,
      store: globals.store,
      onNote: (note) => writeNote(io, note),
    });
    // The --debug wrapper is imported only with --debug.
    if (!debugEnabled()) return opened;
    return (await import('../debug/debug-transport.js')).withDebugLogging(opened, remote ? 'remote' : 'local');
  };
  let transport: Transport | undefined;
  const request = async (params: Record<string, unknown>): Promise<Record<string, unknown>> => {
    validateParams(operation.input, params);
    if (stubResponse) transport ??= stubTransport(stubResponse);
    transport ??= await openTransport();
    let raw: Record<string, unknown>;
    try {
      raw = await transport.call(operation, params);
    } catch (error) {
      if (error instanceof ServiceError)
        throw new ClientError(error.code, error.message, operation.name, error.details);
      throw error;
    }
    const parsed = parseResponse(operation.output, raw, { timeZone: io.env.TZ });
    for (const handler of call.afterCall) handler(parsed);
    return parsed;
  };

  // Only the formatter's output goes through the pager (spec §8); errors and debug lines do not.
  const stdout = await openPagedOutput(io, pagerCommand(io.env, globals, stringSetting(session, 'cli_pager')));
  try {
    const result: CommandResult =
      operation.paginator && globals.paginate
        ? await (await import('../paginate/paginate.js')).paginate(
            operation.paginator,
            call.params,
            call.pagination,
            request,
          )
        : { paginated: false, response: await request(call.params) };
    const formatter = await createFormatter(outputFormat, { ...displayOptions(globals, io), query: globals.query });
    formatter.format(operation.name, result, stdout);
    await stdout.close();
  } finally {
    // A formatter that failed half-way must not leave the pager waiting for more input.
    await stdout.close().catch(() => {});
    await (transport as Transport | undefined)?.close();
  }
  return 0;
}

function stringSetting(session: CliSession, key: string): string | undefined {
  const value = session.scopedConfig()[key];
  return typeof value === 'string' ? value : undefined;
}

/** The `--debug` line with the configuration the command resolved. */
function configurationLine(
  profile: string | undefined,
  region: string | undefined,
  endpoint: string | undefined,
  output: string,
): string {
  const show = (value: string | undefined) => (value === undefined ? 'None' : value);
  return `Resolved configuration: profile=${show(profile ?? 'default')} region=${show(region)} endpoint=${endpoint ?? 'local data directory'} output=${output}`;
}
