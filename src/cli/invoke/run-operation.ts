import { ServiceError } from '../../errors.js';
import type { OperationModel } from '../../model/shapes.js';
import { type Action, ArgumentParser } from '../argv/argparse.js';
import { buildArgumentTable } from '../argv/command-table.js';
import type { ParsedGlobals } from '../argv/global-options.js';
import { CliSession } from '../config/session.js';
import type { SharedConfig } from '../config/shared-config.js';
import { ClientError, UnknownArgumentError } from '../errors/cli-errors.js';
import { renderOperationHelp } from '../help/render-help.js';
import type { CliIO } from '../io.js';
import type { CommandResult } from '../output/formatter.js';
import { assertFormatSupported, createFormatter } from '../output/formatters.js';
import { parseResponse } from '../output/parse-response.js';
import { paginate } from '../paginate/paginate.js';
import { resolveRemoteSettings } from '../remote/remote-settings.js';
import type { Transport } from '../transport.js';
import { validateParams } from '../validation/param-validator.js';
import { buildCallParameters } from './call-parameters.js';
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
): Promise<number> {
  const table = buildArgumentTable(operation);
  // ArgTableArgParser: a lone `help` skips every check, required arguments included.
  if (args.length === 1 && args[0] === 'help') {
    io.stdout.write(renderOperationHelp(operation, table));
    return 0;
  }
  const actions: Action[] = [...table.args.values()].map((argument) => argument.parserAction());
  actions.push({ dest: 'help', nargs: 'optional' });
  const { values, extras } = new ArgumentParser(actions).parseKnownArgs(args);
  if (values.help === 'help') {
    io.stdout.write(renderOperationHelp(operation, table));
    return 0;
  }
  if (typeof values.help === 'string') extras.push(values.help);
  if (extras.length > 0) throw new UnknownArgumentError(`Unknown options: ${extras.join(', ')}`);

  for (const hook of table.argsParsedHooks) hook(values, globals);
  const call = buildCallParameters(table, values, io);

  // Creating the client: the profile must exist and the region be well-formed.
  const session = new CliSession(io, globals, config);
  session.checkProfile();
  const region = session.region();
  // With an endpoint configured: credentials, retry settings and the endpoint itself (remote mode).
  const remote = resolveRemoteSettings({ io, globals, shared: config, session, region });
  const outputFormat = session.outputFormat();
  assertFormatSupported(outputFormat);

  let transport: Transport | undefined;
  const request = async (params: Record<string, unknown>): Promise<Record<string, unknown>> => {
    validateParams(operation.input, params);
    transport ??= await deps.openTransport({ region, env: io.env, remote });
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

  try {
    const result: CommandResult =
      operation.paginator && globals.paginate
        ? await paginate(operation.paginator, call.params, call.pagination, request)
        : { paginated: false, response: await request(call.params) };
    createFormatter(outputFormat, {}).format(operation.name, result, io.stdout);
  } finally {
    await (transport as Transport | undefined)?.close();
  }
  return 0;
}
