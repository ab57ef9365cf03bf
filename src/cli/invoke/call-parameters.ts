import type { ParsedValues } from '../argv/argparse.js';
import type { ArgumentTable, CallParameters } from '../argv/cli-argument.js';
import { loadParamFile } from '../argv/param-files.js';
import type { CliIO } from '../io.js';

/**
 * ServiceOperation._build_call_parameters: every argument of the table that was parsed gets its
 * value — after `file://` / `fileb://` loading — and adds it to the call, in table order (so
 * outfile checks and paramfile errors surface in the AWS CLI's order).
 */
export function buildCallParameters(table: ArgumentTable, values: ParsedValues, io: CliIO): CallParameters {
  const call: CallParameters = { params: {}, pagination: {}, afterCall: [] };
  for (const argument of table.args.values()) {
    // The `--no-x` half of a boolean shares the dest of `--x`, so it has no entry of its own.
    if (!Object.hasOwn(values, argument.name)) continue;
    const value = loadParamFile(values[argument.name], `--${argument.name}`, io);
    argument.addToParams(call, value, { io });
  }
  return call;
}
