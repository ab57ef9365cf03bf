import { createRequire } from 'node:module';
import type { OperationModel } from '../../model/shapes.js';
import type { OptionalAction, ParsedValues } from '../argv/argparse.js';
import type { ArgumentContext, ArgumentTable, CallParameters, CliArgument } from '../argv/cli-argument.js';
import { loadParamFile, paramError } from '../argv/param-files.js';
import { ParamValidationError } from '../errors/cli-errors.js';
import { pyTypeName } from '../python/repr.js';
import { overrideRequiredWhenPresent } from './override-required.js';

const JSON_HELP =
  'Reads arguments from the JSON string provided. The JSON string follows the format provided by ``--generate-cli-skeleton``. If other arguments are provided on the command line, those values will override the JSON-provided values. It is not possible to pass arbitrary binary values using a JSON-provided value as the string will be taken literally. This may not be specified along with ``--cli-input-yaml``.';
const YAML_HELP =
  'Reads arguments from the YAML string provided. The YAML string follows the format provided by ``--generate-cli-skeleton yaml-input``. If other arguments are provided on the command line, those values will override the YAML-provided values. This may not be specified along with ``--cli-input-json``.';

const CLI_INPUT_NAMES = ['cli-input-json', 'cli-input-yaml'] as const;

/** The text of a `fileb://` document (bytes) or of an inline / `file://` one. */
function documentText(value: unknown): string {
  return value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : String(value);
}

/**
 * The YAML parser, required only by a `--cli-input-yaml` command (start-up: yaml is the largest package the CLI
 * has, and the step that reads the document is synchronous, so it is required rather than imported).
 */
function yamlParser(): (text: string) => unknown {
  return (createRequire(import.meta.url)('yaml') as typeof import('yaml')).parse;
}

/** json.loads / the YAML safe loader; undefined stands for "not parseable". */
const LOADERS: Readonly<Record<(typeof CLI_INPUT_NAMES)[number], (text: string) => { value: unknown } | undefined>> = {
  'cli-input-json': (text) => {
    try {
      return { value: JSON.parse(text) };
    } catch {
      return undefined;
    }
  },
  'cli-input-yaml': (text) => {
    const parseYaml = yamlParser();
    try {
      return { value: parseYaml(text) ?? null };
    } catch {
      return undefined;
    }
  },
};

/**
 * awscli CliInputJSONArgument / CliInputYAMLArgument: the whole input of the command as one
 * document. It adds nothing while the parameters are built; at `calling-command` the document
 * fills the parameters the command line did not set.
 */
class CliInputArgument implements CliArgument {
  hidden = false;
  required = false;
  readonly typeName = 'string';

  constructor(
    readonly name: (typeof CLI_INPUT_NAMES)[number],
    readonly documentation: string,
  ) {}

  parserAction(): OptionalAction {
    return { optionStrings: [`--${this.name}`], dest: this.name, kind: 'store' };
  }

  addToParams(): void {}

  /** The calling-command step: merge the document under the command line's parameters. */
  applyTo(call: CallParameters, values: ParsedValues, { io }: ArgumentContext): undefined {
    const raw = values[this.name];
    if (raw === undefined || raw === null) return undefined;
    const given = CLI_INPUT_NAMES.filter((name) => values[name] !== undefined && values[name] !== null);
    if (given.length !== 1) throw new ParamValidationError('Only one --cli-input- parameter may be specified.');
    const text = documentText(loadParamFile(raw, `--${this.name}`, io));
    const loaded = LOADERS[this.name](text);
    // The parse errors name the argument without dashes; the type error with them (as awscli does).
    if (loaded === undefined) {
      throw paramError(this.name, `Invalid ${this.name === 'cli-input-json' ? 'JSON' : 'YAML'} received.`);
    }
    const document = loaded.value;
    if (typeof document !== 'object' || document === null || Array.isArray(document)) {
      throw paramError(`--${this.name}`, `Invalid type: expecting map, received ${pyTypeName(document)}`);
    }
    for (const [key, value] of Object.entries(document)) {
      if (!Object.hasOwn(call.params, key)) call.params[key] = value;
    }
    return undefined;
  }
}

/**
 * awscli/customizations/cliinput.py for every operation: `--cli-input-json` and
 * `--cli-input-yaml`. Either one on the command line makes every other argument optional.
 */
export function addCliInputArguments(table: ArgumentTable, _operation: OperationModel): void {
  for (const [name, help] of [
    ['cli-input-json', JSON_HELP],
    ['cli-input-yaml', YAML_HELP],
  ] as const) {
    const argument = new CliInputArgument(name, help);
    table.add(argument);
    table.beforeParseHooks.push(overrideRequiredWhenPresent(`--${name}`));
    table.callingCommandHooks.push((call, values, context) => argument.applyTo(call, values, context));
  }
}
