import type { OperationModel } from '../../model/shapes.js';
import type { ParsedValues } from '../argv/argparse.js';
import type { ArgumentTable, CallingCommandOverride, CallParameters } from '../argv/cli-argument.js';
import type { CliIO } from '../io.js';
import type { Transport } from '../transport.js';
import { validateParams } from '../validation/param-validator.js';

/**
 * awscli's `calling-command` event: the table's handlers in order (the --cli-input-* merge, then
 * --generate-cli-skeleton); the first override ends the chain.
 */
export async function runCallingCommand(
  table: ArgumentTable,
  call: CallParameters,
  values: ParsedValues,
  io: CliIO,
): Promise<CallingCommandOverride | undefined> {
  for (const hook of table.callingCommandHooks) {
    const override = await hook(call, values, { io });
    if (override !== undefined) return override;
  }
  return undefined;
}

/**
 * The transport of `--generate-cli-skeleton output` (botocore's Stubber): nothing is sent; the
 * fake response is checked against the output shape with the parameter validator and returned.
 */
export function stubTransport(response: Record<string, unknown>): Transport {
  return {
    async call(operation: OperationModel) {
      if (operation.output) validateParams(operation.output, response);
      return structuredClone(response);
    },
    async close() {},
  };
}
