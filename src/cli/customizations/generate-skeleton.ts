import type { OperationModel } from '../../model/shapes.js';
import type { OptionalAction, ParsedValues } from '../argv/argparse.js';
import type { ArgumentContext, ArgumentTable, CallingCommandOverride, CliArgument } from '../argv/cli-argument.js';
import { pyJsonDumps } from '../python/json.js';
import { overrideRequiredWhenPresent } from './override-required.js';

const NAME = 'generate-cli-skeleton';
const HELP =
  'Prints a JSON skeleton to standard output without sending an API request. If provided with no value or the value ``input``, prints a sample input JSON that can be used as an argument for ``--cli-input-json``. Similarly, if provided ``yaml-input`` it will print a sample input YAML that can be used with ``--cli-input-yaml``. If provided with the value ``output``, it validates the command inputs and returns a sample output JSON for that command. The generated JSON skeleton is not stable between versions of the AWS CLI and there are no backwards compatibility guarantees in the JSON skeleton generated.';

/** `--generate-cli-skeleton [input|output|yaml-input]`: its value alone, `input` when none follows. */
class GenerateSkeletonArgument implements CliArgument {
  readonly name = NAME;
  readonly documentation = HELP;
  readonly typeName = 'string';
  hidden = false;
  required = false;
  readonly helpChoices = ['input', 'output', 'yaml-input'];

  parserAction(): OptionalAction {
    return {
      optionStrings: [`--${NAME}`],
      dest: NAME,
      kind: 'store',
      nargs: 'optional',
      constValue: 'input',
      choices: this.helpChoices,
    };
  }

  addToParams(): void {}
}

/**
 * The calling-command step of awscli/customizations/generatecliskeleton.py: `input` and
 * `yaml-input` print the skeleton (stdout, never paged) and end the command with 0 — no region,
 * no credentials, other arguments ignored. `output` goes on with the real command steps but with a
 * fake response made from the output shape (member names as values), which is validated like the
 * Stubber validates it.
 */
async function generate(
  operation: OperationModel,
  values: ParsedValues,
  { io }: ArgumentContext,
): Promise<CallingCommandOverride | undefined> {
  const kind = values[NAME];
  if (!kind) return undefined;
  // The skeleton builders are imported only when a skeleton is asked for.
  if (kind === 'yaml-input') {
    io.stdout.write((await import('../skeleton/yaml-skeleton.js')).yamlInputSkeleton(operation.input));
    return { exitCode: 0 };
  }
  const { generateSkeleton } = await import('../skeleton/argument-generator.js');
  if (kind === 'output') {
    const fake = operation.output ? generateSkeleton(operation.output, true) : {};
    return { stubResponse: fake as Record<string, unknown> };
  }
  io.stdout.write(`${pyJsonDumps(generateSkeleton(operation.input), { indent: 4, ensureAscii: true })}\n`);
  return { exitCode: 0 };
}

/** Adds `--generate-cli-skeleton` to an operation (every operation has it). */
export function addGenerateSkeleton(table: ArgumentTable, operation: OperationModel): void {
  table.add(new GenerateSkeletonArgument());
  // `--generate-cli-skeleton output` keeps the required arguments: the command is validated.
  table.beforeParseHooks.push(overrideRequiredWhenPresent(`--${NAME}`, (args, index) => args[index + 1] === 'output'));
  table.callingCommandHooks.push((_call, values, context) => generate(operation, values, context));
}
